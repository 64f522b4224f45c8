import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { expectCleanError } from './support/e2e-dir.js';

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
