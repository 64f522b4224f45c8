import { appendFileSync, existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { logLines, runCli, spawnCli, tempDir } from './support/cli.js';
import { expectCleanError } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A byte that is not UTF-8 near the end of an export (one Windows-1252 'é' pasted into a UTF-8 file) stopped a
 * Workers AI run with exit 3 only when the reader reached it: every row before it had been sent and paid for, and
 * the file, once converted, is a new input, scored (and paid for) again from the start. A run that pays for its
 * requests reads the input for bad bytes first (and a gzip input for a cut-off end), before it sends anything.
 */
describe('a paid run finds a bad byte (or a cut-off gzip) anywhere in the input before its first request', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  const env = () => workersAiEnv(server, { token: 'token-0123456789' });
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer() });
  });
  afterEach(async () => {
    await server.close();
    cleanup();
  });

  const lateBadByte = (rows = 3000): Buffer => {
    const good = Buffer.from(syntheticCsv(rows, { duplicateEvery: 0, emptyEvery: 0 }));
    return Buffer.concat([good, Buffer.from(`${rows},"caf`), Buffer.from([0xe9]), Buffer.from(' au lait, lovely",5\n')]);
  };

  it('invalid UTF-8 in the last row: exit 3 naming the byte, no request sent, no row written', async () => {
    const bytes = lateBadByte();
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, bytes);
    const output = path.join(dir, 'out.csv');
    const r = await runCli(['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000'], { env: env() });
    expect(r.code).toBe(3);
    expectCleanError(r.stderr);
    expect(r.stderr).toContain(`input is not valid UTF-8 at byte ${bytes.indexOf(0xe9)} (byte 0xe9 after "3000,\\"caf"`);
    expect(server.stats().total).toBe(0);
    expect(existsSync(output)).toBe(false);
    expect(existsSync(`${output}.partial`)).toBe(false);
  });

  it('a gzip input cut off at its end: exit 3 before any request', async () => {
    const whole = gzipSync(Buffer.from(syntheticCsv(3000, { duplicateEvery: 0, emptyEvery: 0 })));
    const input = path.join(dir, 'in.csv.gz');
    writeFileSync(input, whole.subarray(0, whole.length - 40));
    const r = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'out.csv'), '--rpm', '100000'], { env: env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot decompress .*as gzip: unexpected end of file/);
    expect(server.stats().total).toBe(0);
  });

  it('a signal while the input is being read through stops the run at once (exit 130), not once the whole file was read', async () => {
    // 100 rows, then a hole to 1 TiB: a sparse file (no disk used) that reads as NUL bytes, valid UTF-8 and no quote.
    // Reading it through takes hours (about 100 MB/s here, a few times that on a fast machine), far past this test's
    // 60 s: a run that went on reading after the signal cannot end within the test, so exit 130 is the evidence that
    // the read stopped, and no clock is needed. (It was a gzip input of 1 GB read in several seconds, with a bound on
    // the seconds after the signal; the check that stops at the signal is the same for both.)
    const input = path.join(dir, 'big.csv');
    writeFileSync(input, syntheticCsv(100, { duplicateEvery: 0, emptyEvery: 0 }));
    truncateSync(input, 2 ** 40);
    const child = spawnCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'big.scored.csv'), '--rpm', '100000', '--log-level', 'info'], { env: env() });
    // On a failure (a read that went on), the process would read for hours: it ends with the test.
    onTestFinished(() => void child.kill('SIGKILL'));
    let stderr = '';
    let signalled = false;
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // Signalled once the read-through has begun (its own log line), not a fixed time after the run's first line:
      // on a loaded machine 300 ms after that line fell before the read began, and the run stopped in its setup.
      if (!signalled && stderr.includes('reading the input once for bytes that are not UTF-8')) {
        signalled = true;
        setTimeout(() => child.kill('SIGTERM'), 300);
      }
    });
    const ended = await child.result;
    expect(signalled).toBe(true);
    expect(ended.stderr).toContain('reading the input once for bytes that are not UTF-8');
    expect(ended.code).toBe(130);
    expect(server.stats().total).toBe(0);
  }, 60_000);

  it('an export cut off inside a quoted field (a copy or an export that stopped): exit 3 before any request, naming the record as the reader would', async () => {
    // The reader found the open quote only at the end of the file, after every row before it was sent and paid for
    // (2,595 requests for a 3,000-row export cut in its last review); the complete export is then a new input.
    const good = syntheticCsv(3000, { duplicateEvery: 0, emptyEvery: 0 });
    const cut = `${good}3000,"Lovely stay,\nthe room was cl`;
    const lines = good.split('\n').length;
    for (const [name, bytes] of [
      ['in.csv', Buffer.from(cut)],
      ['in.csv.gz', gzipSync(cut)],
      ['in.tsv', Buffer.from(cut.replace(/,/g, '\t'))],
    ] as const) {
      const input = path.join(dir, name);
      writeFileSync(input, bytes);
      const output = path.join(dir, `out-${name.replace(/\.gz$/, '')}`);
      const r = await runCli(['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000'], { env: env() });
      expect(r.code, r.stderr).toBe(3);
      expectCleanError(r.stderr);
      expect(r.stderr).toContain(`unterminated quoted field: the record starting at line ${lines}, byte ${Buffer.byteLength(good)} opens a quote (") that is never closed before the end of the input`);
      expect(server.stats().total).toBe(0);
      expect(existsSync(`${output}.partial`)).toBe(false);
    }
    // Quotes that are data (inside an unquoted value), doubled quotes and line breaks inside quotes are no cut.
    const input = path.join(dir, 'fine.csv');
    // (30 rows before them, not 3,000: scoring those through the fake service was most of this test's time.)
    const short = syntheticCsv(30, { duplicateEvery: 0, emptyEvery: 0 });
    writeFileSync(input, `${short}30,"a ""quoted"" word,\r\nover two lines",5\r\n31,a 5" screen,4\n32,"ends in a quote""",3`);
    const fine = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'fine.scored.csv'), '--rpm', '100000'], { env: env() });
    expect(fine.code, fine.stderr).toBe(0);
    expect(fine.stdout).toContain('rows 33: scored 33');
  });

  it('an export still being written when the run starts: exit 3 once read through, before any request', async () => {
    // Cron fired while the export job was still appending: the run read the growing file, paid for every row, then
    // ended exit 3 'changed while it was being read', and the next run started over and paid for them all again
    // (2,999 requests twice for a 3,000-row export). The read-through before the first request now notices.
    const member = gzipSync(Buffer.from(syntheticCsv(4000, { duplicateEvery: 0, emptyEvery: 0 }).split('\n').slice(1).join('\n')));
    const input = path.join(dir, 'growing.csv.gz');
    // Over 10 MiB compressed: the run says when it reads it through, the moment the writer below appends.
    const members = Math.ceil((11 * 1024 * 1024) / member.length);
    writeFileSync(input, Buffer.concat([gzipSync(Buffer.from('id,review,stars\n')), ...Array.from({ length: members }, () => member)]));
    const child = spawnCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'growing.csv'), '--rpm', '100000', '--max-requests', '50', '--log-level', 'info'], { env: env() });
    let stderr = '';
    let appended = false;
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!appended && stderr.includes('reading the input once')) {
        appended = true;
        appendFileSync(input, member);
      }
    });
    const r = await child.result;
    expect(appended).toBe(true);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/the input .*growing\.csv\.gz changed while it was being read \(it went from \d+ to \d+ bytes\) before anything was sent: a writer still at work\? Run the same command again once the file is final/);
    expect(server.stats().total).toBe(0);
    expect(existsSync(path.join(dir, 'growing.csv.partial'))).toBe(false);
  }, 60_000);

  it('--limit past a bad byte: exit 3 once the reader reaches it, and the summary keeps the requests paid before', async () => {
    // With --limit there is no read-through first: the bad byte is found after the rows before it were sent and paid
    // for. --summary-json held only status, exitCode, message and input (the 1,613 requests paid were in neither it nor
    // on the terminal), while a stop by the service (exit 4) or a full disk (exit 74) keeps its figures.
    const input = path.join(dir, 'in.csv');
    // 1,000 rows before the bad byte, not 3,000: past the run's read-ahead (256 rows) and the reader's first 64 KiB, so
    // hundreds of rows are sent and paid for before it is found (about 770 here); sending 3,000 through the fake service
    // was most of this test's time.
    writeFileSync(input, lateBadByte(1000));
    const summaryJson = path.join(dir, 'summary.json');
    const r = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'limited.csv'), '--limit', '5000', '--rpm', '100000', '--summary-json', summaryJson, '--log-format', 'json'], { env: env() });
    expect(r.code, r.stderr).toBe(3);
    expectCleanError(r.stderr);
    expect(r.stderr).toContain('input is not valid UTF-8 at byte');
    const paid = server.stats().total;
    expect(paid).toBeGreaterThan(0);
    const summary = JSON.parse(readFileSync(summaryJson, 'utf8'));
    expect(summary).toMatchObject({ status: 'failed', exitCode: 3, message: expect.stringMatching(/^input is not valid UTF-8 at byte /), remote: true, resumed: false });
    expect(summary.totals.requests).toBe(paid);
    expect(summary.run.totals).toEqual(summary.totals);
    expect(summary.totals.scored).toBeGreaterThan(0);
    // The terminal shows them too, above the error's one line (which is not repeated in the block).
    expect(r.stdout).toMatch(/^Stopped: .*limited\.csv\.partial\n  rows [\d,]+: scored [\d,]+/);
    expect(r.stdout).toContain(`requests sent ${paid.toLocaleString('en-US')}`);
    expect(r.stdout).not.toMatch(/not valid UTF-8/);
    // A log collector reads the same summary from the log, as after a stop by the service (exit 4): it had none.
    const logged = logLines(r.stderr).filter((line) => line.msg === 'summary');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.summary).toMatchObject({ status: 'failed', exitCode: 3, totals: { requests: paid } });
  });

  it('--limit reads only as far as its rows: a bad byte after them is not looked for', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, lateBadByte());
    const r = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'first.csv'), '--limit', '20', '--rpm', '100000'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(server.stats().total).toBe(20);
  });
});
