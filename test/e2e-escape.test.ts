import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { TestScorer } from './support/test-scorer.js';
import { SCORED_CELLS, expectCsvCellsAppended, failedCells, joinLines, type WrittenLine } from './support/appended.js';
import { runCli, tempDir } from './support/cli.js';
import { checkOutput } from './support/byte-oracle.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A MySQL `SELECT ... INTO OUTFILE ... FIELDS ENCLOSED BY '"'` export (its `ESCAPED BY '\\'` default) or pandas'
 * `to_csv(escapechar='\\', doublequote=False)`: a review's quote is `\"`, here just before a line break in its cell.
 */
const header: WrittenLine = { body: 'id,text,n', ending: '\n' };
const split = '1,"said \\"hi\\" and\nmore, stuff",5';
const rows: WrittenLine[] = [
  { body: split, ending: '\n' },
  { body: '2,"great, \\"really\\" great",6', ending: '\n' },
  { body: '3,"a lovely \\\\ day",7', ending: '\r\n' },
  { body: '4,fine and good,8', ending: '\n' },
  { body: '5,"awful, awful",9', ending: '' },
];

describe('backslash-escaped exports (--escape)', () => {
  const { file, path: inDir } = useTempDir();

  const score = async (extra: string[]) => {
    const input = file('export.csv', joinLines(header, rows));
    const output = inDir('out.csv');
    const result = await runCli(['score', input, '-o', output, '--backend', 'embedded', '--log-format', 'pretty', ...extra]);
    expectCleanError(result.stderr);
    return { ...result, output, text: () => readFileSync(output, 'utf8') };
  };

  it('with --escape backslash: one record per row, written back byte for byte with the answer appended', async () => {
    const r = await score(['--escape', 'backslash']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows 5: scored 5, skipped 0, failed 0/);
    expectCsvCellsAppended(r.text(), header, rows.map((row) => ({ ...row, cells: SCORED_CELLS })));
    const oracle = checkOutput(Buffer.from(joinLines(header, rows)), readFileSync(r.output), { format: 'csv', delimiter: ',', textNames: ['text'], escape: 'backslash' });
    expect(oracle.problems).toEqual([]);
    expect(oracle.found).toEqual({ read: 5, scored: 5, skipped: 0, failed: 0 });
  });

  it('without it: no half of the split row is scored: it fails as one row that says to use --escape backslash', async () => {
    const r = await score([]);
    // Was: `more, stuff",5` had the header's three fields and was scored (text ` stuff"`): rows 6, 1 failed, 5 scored.
    expect(r.stdout).toMatch(/rows 5: scored 4, skipped 0, failed 1/);
    // Said once on stderr too, as a stray quote is: a nightly job's log names the fix, not only the error column.
    expect(r.stderr).toMatch(/WARN {2}data row 1 is ragged as RFC 4180 \(the default, --escape quote\) reads it, and one whole row read with backslash escapes \(\\"\): the export looks backslash-escaped \(MySQL INTO OUTFILE, pandas escapechar\): run it with --escape backslash\./);
    const lines: WrittenLine[] = [{ body: split, ending: '\n', cells: failedCells('ragged_row') }, ...rows.slice(1).map((row) => ({ ...row, cells: SCORED_CELLS }))];
    expectCsvCellsAppended(r.text(), header, lines);
    const oracle = checkOutput(Buffer.from(joinLines(header, rows)), readFileSync(r.output), { format: 'csv', delimiter: ',', textNames: ['text'] });
    expect(oracle.problems).toEqual([]);
    expect(oracle.found).toEqual({ read: 5, scored: 4, skipped: 0, failed: 1 });
    expect(r.text()).toContain('more, stuff",5,,,,,"ragged_row: the row spans 2 lines, which RFC 4180 reads as 2 records (a quote after a backslash closes its cell there): it looks backslash-escaped (MySQL/pandas escapechar): use --escape backslash; not scored"\n');
  });

  it('a JSONL input says --escape is ignored, and reads as without it', async () => {
    const input = file('in.jsonl', '{"text":"great \\"stuff\\""}\n');
    const r = await runCli(['score', input, '-o', inDir('out.jsonl'), '--backend', 'embedded', '--escape', 'backslash', '--log-format', 'pretty']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--escape is ignored: the input is JSONL, whose strings escape their quotes as JSON does/);
    expect(readFileSync(inDir('out.jsonl'), 'utf8')).toMatch(/^\{"text":"great \\"stuff\\"","sentiment":\{"label":"POSITIVE"/);
  });

  it('a value other than quote or backslash is one line, exit 2', async () => {
    writeFileSync(inDir('x.csv'), 'text\nfine\n');
    const r = await runCli(['score', inDir('x.csv'), '--escape', '\\']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("sentiment-batch: --escape expects one of quote, backslash, got '\\'");
  });
});

describe('a paused job resumed with another --escape', { timeout: 120_000 }, () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let input: string;
  const env = () => workersAiEnv(server);
  const args = (output: string, ...extra: string[]) => ['score', input, '-o', output, '--rpm', '600000', '--concurrency', '1', '--log-format', 'pretty', ...extra];

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), latency: '1-3ms' });
    input = path.join(dir, 'export.csv');
    // The split row first, then enough rows for a pause part-way.
    const more = Array.from({ length: 30 }, (_, i) => `${i + 10},"row ${i} was \\"good\\" or bad",${i}\n`).join('');
    writeFileSync(input, `${joinLines(header, rows.slice(0, 4))}${more}`);
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('is refused under --resume require, and otherwise starts over, reading the records the new setting reads', async () => {
    const lone = path.join(dir, 'lone.csv');
    expect((await runCli(args(lone), { env: env() })).code).toBe(0);
    const output = path.join(dir, 'paused.csv');
    expect((await runCli(args(output, '--escape', 'backslash', '--max-requests', '5'), { env: env() })).code).toBe(75);
    const refused = await runCli(args(output, '--resume', 'require'), { env: env() });
    // Was: the checkpoint did not record the escape, and the job went on, reading the rest with the other one.
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/--resume require: cannot resume, the settings that shape the output \(format, delimiter, escape,/);
    const restarted = await runCli(args(output), { env: env() });
    expect(restarted.code).toBe(0);
    expect(restarted.stderr).toMatch(/starting over/i);
    expect(readFileSync(output, 'utf8')).toBe(readFileSync(lone, 'utf8'));
  });

  it('without --escape, a pause just after the one record a split row is read as resumes there: its proof reads it again whole', async () => {
    const split2 = path.join(dir, 'split-second.csv');
    // A scored row first (the one request allowed), then the split row (none), then a row the budget stops.
    writeFileSync(split2, joinLines(header, [rows[3]!, rows[0]!, rows[1]!, rows[2]!]));
    const splitArgs = (output: string, ...extra: string[]) => ['score', split2, '-o', output, '--rpm', '600000', '--concurrency', '1', '--log-format', 'pretty', ...extra];
    const lone = path.join(dir, 'split-lone.csv');
    expect((await runCli(splitArgs(lone), { env: env() })).code).toBe(0);
    const output = path.join(dir, 'split-paused.csv');
    expect((await runCli(splitArgs(output, '--max-requests', '1'), { env: env() })).code).toBe(75);
    const checkpoint = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as { position: { lastInputStart: number; nextIndex: number } };
    expect(checkpoint.position).toMatchObject({ lastInputStart: Buffer.byteLength(`${header.body}\n${rows[3]!.body}\n`), nextIndex: 2 });
    const resumed = await runCli(splitArgs(output, '--resume', 'require'), { env: env() });
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/resuming from the checkpoint/);
    expect(readFileSync(output, 'utf8')).toBe(readFileSync(lone, 'utf8'));
  });
});
