import { describe, expect, it, vi } from 'vitest';
import { DEFAULTS } from '../src/config/options.js';
import type { Logger } from '../src/log.js';

// A cache another container holds (cache-same-pid.test.ts, which needs unshare): the run goes on without it, and says
// what becomes of its rows. The local model's run sends nothing; it said "its rows are sent" as Workers AI's does.
vi.mock('../src/state/cache-loader.js', () => ({
  openResultCache: async (_dir: string, _options: unknown, onInUse?: (error: Error) => void) => {
    onInUse?.(new Error('--cache /data/cache: a process in another container has this cache open'));
    return undefined;
  },
}));

describe('a result cache in use elsewhere', () => {
  const warned = async (remote: boolean): Promise<string[]> => {
    const { openRunCache } = await import('../src/job/run-cache.js');
    const said: string[] = [];
    const log = { warn: (message: string) => said.push(message) } as unknown as Logger;
    expect(await openRunCache({ ...DEFAULTS, input: 'in.csv', output: 'out.csv', cache: '/data/cache' }, '/data/cache', log, undefined, remote)).toBeUndefined();
    return said;
  };

  it('says a Workers AI run sends its rows, and a local model run scores them again', async () => {
    const head = '--cache /data/cache: a process in another container has this cache open. This run goes on without the result cache: nothing is read from it or written to it';
    expect(await warned(true)).toEqual([`${head} (the output is the same; its rows are sent)`]);
    expect(await warned(false)).toEqual([`${head} (the output is the same; its rows are scored again)`]);
  });
});
