import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { expectCleanError } from './support/e2e-dir.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A damaged .csv.gz (bytes flipped in the middle) can decompress to garbage that reads as ragged rows for a while before
 * gunzip's CRC check at the end says the file is corrupt. The error guard stopped the run on those rows first: exit 5,
 * '101 of the last 200 rows read could not be read (ragged rows …); check the input and --text-column/--text-field',
 * though the input is what cannot be read (exit 3), and a rerun, or a change of --text-column, cannot help.
 */
describe('a corrupt gzip input is an input error, whatever rows failed before its reader found it so', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('ragged garbage, then a CRC that does not match: exit 3 naming the gzip, not exit 5 over the rows', async () => {
    const rows = ['id,text,rating'];
    for (let i = 0; i < 3000; i++) rows.push(i >= 1000 && i < 1400 ? `${i};garbled ${i}` : `${i},review ${i} was ${i % 2 ? 'good' : 'bad'},${i % 5}`);
    const gz = gzipSync(`${rows.join('\n')}\n`);
    gz[gz.length - 8]! ^= 0xff; // the stored CRC-32: the data read back no longer matches it
    const input = path.join(dir, 'damaged.csv.gz');
    writeFileSync(input, gz);
    const json = path.join(dir, 'summary.json');
    const run = await runCli(['score', input, '-o', path.join(dir, 'out.csv'), '--summary-json', json, '--log-level', 'warn']);
    expectCleanError(run.stderr);
    expect(run.stderr).toContain(`cannot decompress '${input}' as gzip: incorrect data check`);
    expect(run.stdout).not.toContain('could not be read (ragged rows');
    expect(run.code).toBe(3);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ status: 'failed', exitCode: 3 });
  });

  it('the same rows in a sound gzip still stop the run over the limit, exit 5', async () => {
    const rows = ['id,text,rating'];
    for (let i = 0; i < 3000; i++) rows.push(i >= 1000 && i < 1400 ? `${i};garbled ${i}` : `${i},review ${i},${i % 5}`);
    const input = path.join(dir, 'ragged.csv.gz');
    writeFileSync(input, gzipSync(`${rows.join('\n')}\n`));
    const run = await runCli(['score', input, '-o', path.join(dir, 'ragged.out.csv'), '--log-level', 'warn']);
    expect(run.code).toBe(5);
    expect(run.stdout).toContain('could not be read (ragged rows');
  });
});

/**
 * A gzip input that does not gunzip is named as the user typed it (`plain.tgz`), as every other line names the input:
 * the reader labelled it with its resolved path (`cannot decompress '/tmp/x/plain.tgz'`). Its header read, its rows read
 * (the embedded model), and the read-through a Workers AI run does before it sends (input-prescan.ts) each name it so.
 */
describe('a gzip input that does not gunzip is named as typed', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    writeFileSync(path.join(dir, 'plain.tgz'), 'id,review\n1,fine\n');
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},review ${i} was ${i % 2 ? 'good' : 'bad'} ${(i * 7919) % 10007}`);
    const gz = gzipSync(`id,review\n${rows.join('\n')}\n`);
    writeFileSync(path.join(dir, 'cut.csv.gz'), gz.subarray(0, gz.length >> 1));
  });
  afterAll(() => cleanup());
  const score = (input: string, output: string, ...more: string[]) => ['score', input, '--text-column', 'review', '-o', output, '--log-level', 'warn', ...more];

  it('not gzip at all (its header read), cut short (its rows read by the embedded model)', async () => {
    const plain = await runCli(score('plain.tgz', 'out.csv', '--format', 'csv', '--backend', 'embedded'), { cwd: dir });
    expect(plain.code).toBe(3);
    expect(plain.stderr).toContain("cannot decompress 'plain.tgz' as gzip: incorrect header check; check that it is a complete .tgz file");
    const cut = await runCli(score('cut.csv.gz', 'out.csv', '--backend', 'embedded'), { cwd: dir });
    expect(cut.code).toBe(3);
    expect(cut.stderr).toContain("cannot decompress 'cut.csv.gz' as gzip: unexpected end of file; the .gz file ends before");
  });

  it('cut short, found by the read-through of a Workers AI run before it sends', async () => {
    const server = await startServer({ scorer: new TestScorer() });
    try {
      const cut = await runCli(score('cut.csv.gz', 'paid.csv', '--rpm', '60000'), { cwd: dir, env: workersAiEnv(server) });
      expect(cut.code, cut.stderr).toBe(3);
      expect(cut.stderr).toContain("cannot decompress 'cut.csv.gz' as gzip: unexpected end of file; the .gz file ends before");
      expect(server.stats().total).toBe(0);
    } finally {
      await server.close();
    }
  });
});
