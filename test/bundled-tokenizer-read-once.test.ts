import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from './support/cli.js';

// Every read of a file of the bundled tokenizer (model/tokenizer/), by its name.
const reads = vi.hoisted(() => new Map<string, number>());
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const readFileSync = ((file: unknown, ...rest: unknown[]) => {
    if (typeof file === 'string' && /[\\/]model[\\/]tokenizer[\\/]tokenizer(_config)?\.json$/.test(file)) reads.set(path.basename(file), (reads.get(path.basename(file)) ?? 0) + 1);
    return (fs.readFileSync as (...args: unknown[]) => unknown)(file, ...rest);
  }) as typeof fs.readFileSync;
  return { ...fs, default: { ...fs, readFileSync }, readFileSync };
});

const { DEFAULTS } = await import('../src/config/options.js');
type JobSettings = import('../src/config/options.js').JobSettings;
const { runJob } = await import('../src/job/run.js');
const { StopController } = await import('../src/job/stop.js');
const { createLogger } = await import('../src/log.js');

/**
 * A --backend local run loaded the bundled tokenizer twice: once for the local scorer (local-scorer.ts) and once for
 * the run's window (run.ts), so `strace -f -e trace=openat` showed tokenizer_config.json opened twice, and
 * tokenizer.json parsed twice (700 KB each time). Once is enough: both use the same tokenizer.
 */
describe('a --backend local run reads the bundled tokenizer once', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('opens tokenizer_config.json once', async () => {
    const input = path.join(dir, 'reviews.csv');
    writeFileSync(input, 'id,review\n1,great product\n2,awful and broken\n');
    reads.clear();
    const settings = { ...DEFAULTS, input, output: path.join(dir, 'scored.csv'), text: ['review'], backend: 'local', modelDir: path.resolve('fixtures/tiny-distilbert'), threads: 1, progress: 'off' };
    const summary = await runJob(settings as JobSettings, { log: createLogger('silent'), stop: new StopController() });
    expect(summary.exitCode, summary.message).toBe(0);
    expect(reads.get('tokenizer_config.json')).toBe(1);
  });
});
