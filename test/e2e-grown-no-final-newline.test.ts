import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, spawnCli, waitFor } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';
import { reviewText, syntheticCsv } from './support/reviews.js';
import { useTestServer } from './support/server.js';
import { rowCounts, summaryOf } from './support/job-summary-file.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const BEFORE = 300;
const AFTER = 400;
const KILL_HOOK = path.join(REPO_ROOT, 'test/support/kill-at-rename.mjs');

/** `rows` JSONL records, one a line, each ended by a line feed. */
const syntheticJsonl = (rows: number) => Array.from({ length: rows }, (_, i) => `${JSON.stringify({ id: i, review: reviewText(i) })}\n`).join('');
const crlf = (text: string) => text.replace(/\n/g, '\r\n');
/** The export as an exporter that writes no line ending after its last row writes it. */
const withoutFinalEnding = (text: string) => text.replace(/\r?\n$/, '');

/**
 * An exporter that never writes a line ending after its last row: the next night's file is yesterday's bytes, a line
 * ending, then the new rows. It was scored afresh every night (1,526 requests for 1,647 rows of which 240 were new); it
 * is continued now when yesterday's last row is the same complete record (job/same-input.ts, prove-checkpoint.ts
 * `withoutEndingAt`): only the new rows are sent, and the output is byte for byte a fresh run's of the new file.
 */
describe('a completed job whose last row had no line ending, ended since and rows appended, is continued', () => {
  const dir = useTempDir();
  const server = useTestServer();

  const cases: Array<[string, string, (rows: number) => string, (text: string) => string | Buffer]> = [
    ['CSV (LF)', 'csv', syntheticCsv, (t) => t],
    ['CSV (CRLF)', 'csv', (rows) => crlf(syntheticCsv(rows)), (t) => t],
    ['JSONL', 'jsonl', syntheticJsonl, (t) => t],
    ['CSV gzip (the decompressed bytes are compared)', 'csv.gz', syntheticCsv, (t) => gzipSync(t)],
  ];

  it.each(cases)('%s: only the appended rows are sent; the output is a fresh run of the new file', async (_what, ext, make, encode) => {
    const running = await server.start({ latency: '1-3ms' });
    const env = workersAiEnv(running);
    const outExt = ext === 'jsonl' ? 'jsonl' : 'csv';
    const run = (input: string, output: string) =>
      runCli(['score', input, '--text-column', 'review', '-o', output, '--summary-json', `${output}.summary.json`, '--rpm', '600000'], { env });
    const fresh = async (content: string | Buffer, name: string) => {
      const input = dir.file(`${name}.${ext}`, content);
      const output = dir.path(`${name}.out.${outExt}`);
      running.reset();
      expect((await run(input, output)).code).toBe(0);
      return { bytes: readFileSync(output), summary: summaryOf(output), requests: running.stats().total };
    };
    const old = withoutFinalEnding(make(BEFORE));
    const grown = make(AFTER);
    expect(grown.startsWith(old) && !old.endsWith('\n')).toBe(true);
    const whole = await fresh(encode(grown), 'fresh');
    const newRequests = whole.requests - (await fresh(encode(old), 'fresh-old')).requests;
    expect(newRequests).toBeGreaterThan(50);

    const input = dir.file(`in.${ext}`, encode(old));
    const output = dir.path(`out.${outExt}`);
    expect((await run(input, output)).code).toBe(0);
    writeFileSync(input, encode(grown));
    running.reset();
    const continued = await run(input, output);
    expectCleanError(continued.stderr);
    expect(continued.code).toBe(0);
    expect(continued.stderr).toMatch(/Continuing: the input is the completed job's \d+ bytes with rows appended; its 300 rows are kept/);
    expect(running.stats().total).toBe(newRequests);
    expect(readFileSync(output).equals(whole.bytes)).toBe(true);
    const summary = summaryOf(output);
    expect(summary.resumed).toBe(true);
    expect(summary.run.totals.read).toBe(AFTER - BEFORE);
    expect(rowCounts(summary)).toEqual(rowCounts(whole.summary));
  });

  // The line ending alone, no row after it: continued with 0 requests, and the line said "with rows appended; … only the
  // rows after them are scored" of rows there are none of.
  it.each([
    ['LF', (rows: number) => syntheticCsv(rows)],
    ['CRLF', (rows: number) => crlf(syntheticCsv(rows))],
  ])('only a line ending added (%s): the line says so, nothing is sent, the output is a fresh run of the new file', async (eol, make) => {
    const running = await server.start({ latency: '1-3ms' });
    const env = workersAiEnv(running);
    const run = (input: string, output: string) => runCli(['score', input, '--text-column', 'review', '-o', output, '--rpm', '600000'], { env });
    const ended = make(40);
    const freshOutput = dir.path(`fresh-ended-${eol}.out.csv`);
    expect((await run(dir.file(`fresh-ended-${eol}.csv`, ended), freshOutput)).code).toBe(0);

    const input = dir.file(`ended-${eol}.csv`, withoutFinalEnding(ended));
    const output = dir.path(`ended-${eol}.out.csv`);
    expect((await run(input, output)).code).toBe(0);
    writeFileSync(input, ended);
    running.reset();
    const continued = await run(input, output);
    expectCleanError(continued.stderr);
    expect(continued.code).toBe(0);
    expect(continued.stderr).toMatch(/Continuing: the input is the completed job's \d+ bytes with only a line ending added after its last row \(no rows appended\); its 40 rows are kept, none is scored/);
    expect(continued.stderr).not.toMatch(/rows appended;/);
    expect(running.stats().total).toBe(0);
    expect(readFileSync(output).equals(readFileSync(freshOutput))).toBe(true);
  });

  // A CRLF export cut between the CR and the LF of its last row (its file ends in a lone CR): the next night's file is the
  // same bytes, the LF, then the new rows. It was scored afresh, every row paid again (4,085 requests for 1,086 new
  // rows), its line saying "the bytes the job read differ" of bytes that were the same. Continued now: the old output's
  // last row ends in the CR, and the LF read as a blank line passed through completes it as a fresh run writes it.
  it.each([
    ['rows appended', AFTER, /with rows appended; its 300 rows are kept/],
    ['the LF alone', BEFORE, /with only a line ending added after its last row \(no rows appended\); its 300 rows are kept, none is scored/],
  ])('a CRLF export cut between CR and LF, then %s: continued, the output is a fresh run of the new file', async (what, rows, said) => {
    const running = await server.start({ latency: '1-3ms' });
    const env = workersAiEnv(running);
    const run = (input: string, output: string) => runCli(['score', input, '--text-column', 'review', '-o', output, '--rpm', '600000'], { env });
    const name = what.replace(/\W+/g, '-');
    const old = crlf(syntheticCsv(BEFORE)).slice(0, -1);
    const grown = crlf(syntheticCsv(rows));
    expect(old.endsWith('\r') && grown.startsWith(old) && grown[old.length] === '\n').toBe(true);
    const freshOutput = dir.path(`fresh-cut-${name}.out.csv`);
    running.reset();
    expect((await run(dir.file(`fresh-cut-${name}.csv`, grown), freshOutput)).code).toBe(0);
    const whole = running.stats().total;
    running.reset();
    expect((await run(dir.file(`fresh-cut-old-${name}.csv`, old), dir.path(`fresh-cut-old-${name}.out.csv`))).code).toBe(0);
    const newRequests = whole - running.stats().total;

    const input = dir.file(`cut-${name}.csv`, old);
    const output = dir.path(`cut-${name}.out.csv`);
    expect((await run(input, output)).code).toBe(0);
    writeFileSync(input, grown);
    running.reset();
    const continued = await run(input, output);
    expectCleanError(continued.stderr);
    expect(continued.code).toBe(0);
    expect(continued.stderr).toMatch(said);
    expect(continued.stderr).not.toMatch(/bytes the job read differ/);
    expect(running.stats().total).toBe(newRequests);
    expect(readFileSync(output).equals(readFileSync(freshOutput))).toBe(true);
  });

  // A byte other than the LF after that lone CR begins a row of its own: in CSV a lone CR ends a record (CR, LF and CRLF
  // in any mix), so the job is continued, its last row ending in the CR as a fresh run of the new file writes it. It was
  // scored afresh ("… its last row … goes on with the bytes after them"), every row paid again.
  it('a lone CR at the end, then a row (no LF): continued, the output is a fresh run of the new file', async () => {
    const running = await server.start({ latency: '1-3ms' });
    const env = workersAiEnv(running);
    const run = (input: string, output: string) => runCli(['score', input, '--text-column', 'review', '-o', output, '--rpm', '600000'], { env });
    const old = crlf(syntheticCsv(40)).slice(0, -1);
    const grown = `${old}${crlf(syntheticCsv(50)).slice(old.length + 1)}`;
    const freshOutput = dir.path('fresh-cut-other.out.csv');
    running.reset();
    expect((await run(dir.file('fresh-cut-other.csv', grown), freshOutput)).code).toBe(0);
    const whole = running.stats().total;
    running.reset();
    expect((await run(dir.file('fresh-cut-other-old.csv', old), dir.path('fresh-cut-other-old.out.csv'))).code).toBe(0);
    const newRequests = whole - running.stats().total;

    const input = dir.file('cut-other.csv', old);
    const output = dir.path('cut-other.out.csv');
    expect((await run(input, output)).code).toBe(0);
    writeFileSync(input, grown);
    running.reset();
    const rerun = await run(input, output);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toMatch(/with rows appended; its 40 rows are kept/);
    expect(rerun.stderr).not.toMatch(/goes on with the bytes after them|bytes the job read differ/);
    expect(running.stats().total).toBe(newRequests);
    expect(readFileSync(output).equals(readFileSync(freshOutput))).toBe(true);
  });

  it('the last row got longer (its bytes go on, not a line ending): scored afresh, paying only for the texts its old output lacks', async () => {
    const running = await server.start({ latency: '1-3ms' });
    const env = workersAiEnv(running);
    const run = (input: string, output: string) =>
      runCli(['score', input, '--text-column', 'review', '-o', output, '--summary-json', `${output}.summary.json`, '--rpm', '600000'], { env });
    const old = withoutFinalEnding(syntheticCsv(BEFORE));
    // The last row's stars field "1" became "15": another record, whose answer the old output does not hold.
    const longer = `${old}5\n${syntheticCsv(AFTER).slice(old.length + 1)}`;
    const freshInput = dir.file('fresh-longer.csv', longer);
    const freshOutput = dir.path('fresh-longer.out.csv');
    running.reset();
    expect((await run(freshInput, freshOutput)).code).toBe(0);
    const whole = running.stats().total;

    const input = dir.file('in.csv', old);
    const output = dir.path('out.csv');
    running.reset();
    expect((await run(input, output)).code).toBe(0);
    const answeredBefore = running.stats().total;
    writeFileSync(input, longer);
    running.reset();
    const rerun = await run(input, output);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).not.toMatch(/Continuing/);
    expect(rerun.stderr).toMatch(/the input goes on after the \d+ bytes the completed job read, but not after a line ending/);
    // An edited export keeps its completed job's answers to the texts it still holds (kept-answers.ts keepEditedAnswers):
    // the rows past the old ones are sent, not all 400 again.
    expect(running.stats().total).toBe(whole - answeredBefore);
    expect(summaryOf(output).resumed).toBe(false);
    expect(readFileSync(output).equals(readFileSync(freshOutput))).toBe(true);
  });

  it('kill -9 once the job is made a paused one, and while the new rows are scored: the rerun pays only for rows not yet answered', async () => {
    const running = await server.start({ latency: '5-10ms' });
    const env = workersAiEnv(running);
    const concurrency = 4;
    const args = (input: string, output: string) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '600000', '--concurrency', String(concurrency), '--checkpoint-interval', '100ms'];
    const old = withoutFinalEnding(crlf(syntheticCsv(BEFORE)));
    const grown = crlf(syntheticCsv(AFTER));
    const freshOutput = dir.path('fresh.out.csv');
    running.reset();
    expect((await runCli(args(dir.file('fresh-old.csv', old), dir.path('fresh-old.out.csv')), { env })).code).toBe(0);
    const oldRequests = running.stats().total;
    running.reset();
    expect((await runCli(args(dir.file('fresh.csv', grown), freshOutput), { env })).code).toBe(0);
    const newRequests = running.stats().total - oldRequests;
    const freshBytes = readFileSync(freshOutput);

    const completedThenGrown = async (name: string) => {
      const input = dir.file(`${name}.csv`, old);
      const output = dir.path(`${name}.out.csv`);
      expect((await runCli(args(input, output), { env })).code).toBe(0);
      writeFileSync(input, grown);
      return { input, output, oldBytes: readFileSync(output) };
    };
    const finish = async (input: string, output: string) => {
      const rerun = await runCli(args(input, output), { env });
      expectCleanError(rerun.stderr);
      expect(rerun.code).toBe(0);
      expect(readFileSync(output).equals(freshBytes)).toBe(true);
    };

    // Killed just after the checkpoint says paused at the old file's end: the rerun resumes that paused job, whose last
    // row the input now ends with a line ending (the proof of a resume takes it as the same record).
    const paused = await completedThenGrown('paused');
    running.reset();
    const killed = await runCli(args(paused.input, paused.output), {
      env: { ...env, NODE_OPTIONS: `--import ${KILL_HOOK}`, SB_TEST_KILL_RENAME_TO: `${paused.output}.checkpoint.json`, SB_TEST_KILL_RENAME_WHEN: 'after' },
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(readFileSync(paused.output).equals(paused.oldBytes)).toBe(true);
    expect(running.stats().total).toBe(0);
    await finish(paused.input, paused.output);
    expect(running.stats().total).toBe(newRequests);

    // Killed while the new rows are scored: the old output stays; the rerun sends only what was not answered.
    const scoring = await completedThenGrown('scoring');
    running.reset();
    const child = spawnCli(args(scoring.input, scoring.output), { env });
    await waitFor(() => running.stats().total >= newRequests / 2, 20_000, 'half the new rows sent');
    child.kill('SIGKILL');
    await child.result;
    expect(readFileSync(scoring.output).equals(scoring.oldBytes)).toBe(true);
    expect(running.stats().total).toBeLessThan(newRequests);
    await finish(scoring.input, scoring.output);
    expect(running.stats().total).toBeGreaterThanOrEqual(newRequests);
    expect(running.stats().total).toBeLessThanOrEqual(newRequests + concurrency);
  });

  // The old file's last row, written without a line ending, failed transiently: the list of failed rows records its
  // input range as that file ended it. Once the export grew, the mend that follows the continuation read the row with
  // its line ending and refused the list ('does not match the input at row 299', exit 3, output unchanged) on every
  // night after, its advice --restart (every row paid again) or deleting the list (the row left failed).
  it.each([
    ['CSV (LF)', (t: string) => t],
    ['CSV (CRLF)', crlf],
  ])('%s: its last row failed transiently: the continuation mends it, and the output is a fresh run of the new file', async (_what, ending) => {
    const running = await server.start({ latency: '1-3ms' });
    const env = workersAiEnv(running);
    const failLast = { latency: '1-3ms', rules: [{ textIncludes: `Review number ${BEFORE - 1}:`, respond: { status: 500 } }] };
    const make = (rows: number) => ending(syntheticCsv(rows, { duplicateEvery: 0, emptyEvery: 0 }));
    const run = (input: string, output: string) =>
      runCli(['score', input, '--text-column', 'review', '-o', output, '--summary-json', `${output}.summary.json`, '--rpm', '600000', '--max-attempts', '1'], { env });
    const old = withoutFinalEnding(make(BEFORE));
    const grown = make(AFTER);
    const freshOutput = dir.path('fresh.out.csv');
    expect((await run(dir.file('fresh.csv', grown), freshOutput)).code).toBe(0);

    const input = dir.file('in.csv', old);
    const output = dir.path('out.csv');
    running.setFaults(failLast);
    const first = await run(input, output);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/1 row failed transiently/);
    writeFileSync(input, grown);
    running.reset();
    // The outage goes on: the new rows are scored, the failed row is sent again and fails again, listed still.
    const continued = await run(input, output);
    expectCleanError(continued.stderr);
    expect(continued.code).toBe(0);
    expect(continued.stderr).toMatch(/Continuing: the input is the completed job's \d+ bytes with rows appended/);
    expect(continued.stdout).toMatch(/1 row failed transiently/);
    expect(running.stats().total).toBe(AFTER - BEFORE + 1);
    // The outage over: only that row is sent.
    running.setFaults({ latency: '1-3ms' });
    running.reset();
    const mended = await run(input, output);
    expectCleanError(mended.stderr);
    expect(mended.code).toBe(0);
    expect(mended.stdout).toMatch(/mended 1 row/);
    expect(running.stats().total).toBe(1);
    expect(readFileSync(output).equals(readFileSync(freshOutput))).toBe(true);
    expect(summaryOf(output).totals.failed).toBe(0);
  });
});
