import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logLines, runCli, tempDir, warnMessages } from './support/cli.js';

// `estimate --cache DIR` opened the cache only when DIR existed, and counted 0 cached texts otherwise, without a word:
// a mistyped folder or a symbolic link to a cache that is gone (an unmounted volume) overstated the cost silently.
// A link to nothing (or a file on the way) is exit 2, as score --cache says of it; a folder that is not there yet
// (score would create it, empty) is a warning line, and `cacheNotRead` with --json.
// With Workers AI credentials (never used: an estimate sends nothing), so that the run estimated reads the cache: an
// embedded run does not, and its estimate says so first (estimate-model.ts).
const WORKERS_AI = { env: { CLOUDFLARE_ACCOUNT_ID: 'dev', CLOUDFLARE_API_TOKEN: 'dev' } };

describe('estimate --cache with no folder there', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    writeFileSync(path.join(dir, 'in.csv'), 'text\ngood film\nawful film\n');
    symlinkSync(path.join(dir, 'unmounted', 'cache'), path.join(dir, 'gone'));
  });
  afterAll(() => cleanup());

  it('a symbolic link to nothing: exit 2, the line score gives', async () => {
    const result = await runCli(['estimate', 'in.csv', '--cache', 'gone'], { cwd: dir, ...WORKERS_AI });
    expect(result.stderr).toBe(
      `sentiment-batch: --cache gone: ${path.join(dir, 'gone')} is a symbolic link to ${path.join(dir, 'unmounted', 'cache')}, which leads to no folder; create the folder it points to, or choose another --cache (in a container, a link holding an absolute path of the host leads nowhere: make it relative)\n`,
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  it('a path through a file: exit 2, naming the file', async () => {
    const result = await runCli(['estimate', 'in.csv', '--cache', 'in.csv/cache'], { cwd: dir, ...WORKERS_AI });
    expect(result.stderr).toBe(`sentiment-batch: --cache in.csv/cache: ${path.join(dir, 'in.csv')} is a file, not a folder; choose another --cache\n`);
    expect(result.code).toBe(2);
  });

  it('a folder that does not exist: one warning line, nothing counted as cached, the folder not made', async () => {
    const result = await runCli(['estimate', 'in.csv', '--cache', 'cahce', '--json'], { cwd: dir, ...WORKERS_AI });
    const line = `--cache cahce: ${path.join(dir, 'cahce')} does not exist, so this estimate counts no text as cached (a run would start an empty cache there): check the path if you meant an existing cache`;
    // A warn line, as score's warnings on an exit 0: `sentiment-batch: …` is the line of a command that stopped.
    expect(warnMessages(result.stderr)).toEqual([line]);
    expect(logLines(result.stderr)).toHaveLength(result.stderr.split('\n').filter((l) => l !== '').length);
    expect(result.code).toBe(0);
    const figures = JSON.parse(result.stdout) as { alreadyCached: number; uniqueTexts: number; cacheNotRead?: string };
    expect(figures.uniqueTexts).toBe(2);
    expect(figures.alreadyCached).toBe(0);
    expect(figures.cacheNotRead).toBe(line);
    expect(existsSync(path.join(dir, 'cahce'))).toBe(false);
  });

  // A job file's "logLevel" and "logFormat" decide its warnings, as they do score's: estimate wrote a JSON warn line
  // under "logLevel":"error","logFormat":"pretty" (review63).
  it('a job file: its "logLevel" and "logFormat" decide the warning line, as for run', async () => {
    const job = (settings: object): string => {
      writeFileSync(path.join(dir, 'job.json'), JSON.stringify({ input: 'in.csv', output: 'out.csv', cache: 'cahce', ...settings }));
      return 'job.json';
    };
    const quiet = await runCli(['estimate', job({ logLevel: 'error', logFormat: 'pretty' }), '--json'], { cwd: dir, ...WORKERS_AI });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    const pretty = await runCli(['estimate', job({ logLevel: 'warn', logFormat: 'pretty' }), '--json'], { cwd: dir, ...WORKERS_AI });
    expect(pretty.code).toBe(0);
    expect(logLines(pretty.stderr)).toEqual([]);
    expect(pretty.stderr).toContain('does not exist, so this estimate counts no text as cached');
    const json = await runCli(['estimate', job({ logFormat: 'json' }), '--json'], { cwd: dir, ...WORKERS_AI });
    expect(warnMessages(json.stderr)).toEqual([expect.stringContaining('does not exist, so this estimate counts no text as cached')]);
  });
});
