import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { logLines, REPO_ROOT, runCli, tempDir } from './support/cli.js';
import { reviewText, writeYesterdayAndToday } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { canMount, mountTmpfs, unmount } from './support/mount.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * An unfinished job of another input at the same -o (yesterday's export paused by --max-requests, then today's) is
 * started over; the answers it paid for are kept in <output>.answers first (job/kept-answers.ts), so today's job does
 * not pay for them again, without --cache, and its output is byte for byte a fresh run's. Before: 300 rows paused at
 * 100 requests, then 1 new row + the same 300 in another order, 100 + 301 requests; now 100 + 201.
 */
const KILL_HOOK = path.join(REPO_ROOT, 'test/support/kill-at-open.mjs');
const MOUNT = canMount();
const RENAME_HOOK = path.join(REPO_ROOT, 'test/support/kill-at-rename.mjs');
const RM_HOOK = path.join(REPO_ROOT, 'test/support/kill-at-rm.mjs');

describe('the answers of a dropped unfinished job are reused', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let other: RunningServer;
  /** The texts the service was sent, in order. */
  const scorer = new TestScorer();
  let yesterday: string;
  let today: string;
  let run = 0;
  const env = (at: RunningServer, extra: Record<string, string> = {}) => ({ ...workersAiEnv(at), ...extra });
  const score = (input: string, output: string, ...more: string[]) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '60000', '--log-format', 'json', ...more];
  const startOverLine = (stderr: string) => logLines(stderr).map((line) => String(line['msg'])).find((msg) => msg.includes('starting over')) ?? '';

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer });
    other = await startServer({ scorer: new TestScorer() });
    ({ yesterday, today } = writeYesterdayAndToday(dir));
  });
  afterAll(async () => {
    await server.close();
    await other.close();
    cleanup();
  });

  /** A fresh output path with yesterday's job paused after 100 requests there. */
  async function pausedYesterday(): Promise<string> {
    const output = path.join(dir, `out-${++run}.csv`);
    server.reset();
    const paused = await runCli(score(yesterday, output, '--max-requests', '100'), { env: env(server) });
    expect(paused.code).toBe(75);
    expect(server.stats().total).toBe(100);
    server.reset();
    paidYesterday = new Set(scorer.texts.splice(0));
    return output;
  }

  /** Whether `file` still holds `bytes`. It may be missing: today's job removes yesterday's partial output before it
   * creates its own, and a kill can fall between. */
  const asItWas = (file: string, bytes: Buffer) => existsSync(file) && readFileSync(file).equals(bytes);

  /** Texts paid for yesterday that were sent again since. */
  const paidTwice = (): string[] => scorer.texts.splice(0).filter((text) => paidYesterday.has(text));
  let paidYesterday = new Set<string>();

  /** Today's export scored afresh at its own path: the bytes every run must end with. */
  async function freshToday(): Promise<Buffer> {
    const fresh = path.join(dir, `fresh-${++run}.csv`);
    expect((await runCli(score(today, fresh), { env: env(server) })).code).toBe(0);
    server.reset();
    scorer.texts.length = 0;
    return readFileSync(fresh);
  }

  it('today sends only the texts yesterday did not pay for (201, not 301), and writes the bytes of a fresh run', async () => {
    const expected = await freshToday();
    const output = await pausedYesterday();
    const todays = await runCli(score(today, output), { env: env(server) });
    expect(todays.code).toBe(0);
    expect(server.stats().total).toBe(201);
    expect(paidTwice()).toEqual([]);
    expect(startOverLine(todays.stderr)).toBe(
      `the checkpoint is of another input file, reviews-2026-12-03.csv (this run reads reviews-2026-12-04.csv): starting over; the answers it paid for are kept for this job (100 texts in ${output}.answers): a text among them is not sent again`,
    );
    expect(todays.stdout).toMatch(/requests sent 201 .*\n.*answered by an earlier run's requests 100/);
    expect(readFileSync(output).equals(expected)).toBe(true);
    // Gone with the completed job, as the journal is.
    expect(existsSync(`${output}.answers`)).toBe(false);
  }, 60_000);

  it('a new job paused, then finished, still sends each text once', async () => {
    const expected = await freshToday();
    const output = await pausedYesterday();
    expect((await runCli(score(today, output, '--max-requests', '50'), { env: env(server) })).code).toBe(75);
    expect((await runCli(score(today, output), { env: env(server) })).code).toBe(0);
    expect(server.stats().total).toBe(201);
    expect(readFileSync(output).equals(expected)).toBe(true);
  }, 60_000);

  it('today read from standard input (`score - -o`): the paused job replaced is still not paid for again, and the line says so', async () => {
    const expected = await freshToday();
    const output = await pausedYesterday();
    const todays = await runCli(['score', '-', '--format', 'csv', ...score(today, output).slice(2)], { env: env(server), input: readFileSync(today, 'utf8') });
    expect(todays.code, todays.stderr).toBe(0);
    expect(server.stats().total).toBe(201);
    expect(paidTwice()).toEqual([]);
    expect(startOverLine(todays.stderr)).toBe(
      `the checkpoint is of an unfinished job of reviews-2026-12-03.csv, which this run cannot continue (it reads standard input, and keeps no checkpoint): starting over; the answers it paid for are kept for this job (100 texts in ${output}.answers): a text among them is not sent again`,
    );
    expect(readFileSync(output).equals(expected)).toBe(true);
    expect(existsSync(`${output}.answers`)).toBe(false);
    // The replaced job's checkpoint went with it: the next run on standard input has no start-over to say.
    const again = await runCli(['score', '-', '--format', 'csv', ...score(today, output).slice(2)], { env: env(server), input: readFileSync(today, 'utf8') });
    expect(again.code, again.stderr).toBe(0);
    expect(startOverLine(again.stderr)).toBe('');
    server.reset();
    scorer.texts.length = 0;
  }, 60_000);

  it('a run on standard input reads the answers kept before it removes them: today paused once, then finished from standard input', async () => {
    const expected = await freshToday();
    const output = await pausedYesterday();
    expect((await runCli(score(today, output, '--max-requests', '50'), { env: env(server) })).code).toBe(75);
    const finished = await runCli(['score', '-', '--format', 'csv', ...score(today, output).slice(2)], { env: env(server), input: readFileSync(today, 'utf8') });
    expect(finished.code, finished.stderr).toBe(0);
    expect(server.stats().total).toBe(201);
    expect(paidTwice()).toEqual([]);
    expect(readFileSync(output).equals(expected)).toBe(true);
  }, 60_000);

  it('a run on standard input with --restart keeps nothing of the paused job and says no start-over', async () => {
    const output = await pausedYesterday();
    const restarted = await runCli(['score', '-', '--format', 'csv', ...score(today, output, '--restart').slice(2)], { env: env(server), input: readFileSync(today, 'utf8') });
    expect(restarted.code, restarted.stderr).toBe(0);
    expect(startOverLine(restarted.stderr)).toBe('');
    expect(server.stats().total).toBe(301);
    expect(existsSync(`${output}.checkpoint.json`) || existsSync(`${output}.answers`)).toBe(false);
    server.reset();
    scorer.texts.length = 0;
  }, 60_000);

  it('kill -9 during the import, or right after it, leaves a state the next run finishes without paying again, and the same bytes', async () => {
    const expected = await freshToday();
    const killAtOpen = (output: string, delay?: string) => ({ NODE_OPTIONS: `--import ${KILL_HOOK}`, SB_TEST_KILL_OPEN: `${output}.partial`, SB_TEST_KILL_OPEN_NTH: '2', ...(delay ? { SB_TEST_KILL_OPEN_DELAY_MS: delay } : {}) });
    // The 2nd open of the partial output is the import's pass that puts answers (the 1st checks it): killed as it
    // starts, 5 ms and 50 ms into it, and 300 ms after, in today's job; right after yesterday's partial output is
    // removed, before today's is created; then between today's new partial output and its first checkpoint (yesterday's checkpoint beside a partial output that is no longer its own).
    const kills: Array<[string, (output: string) => Record<string, string>]> = [
      ['at the start', (output) => killAtOpen(output)],
      ['5 ms in', (output) => killAtOpen(output, '5')],
      ['50 ms in', (output) => killAtOpen(output, '50')],
      ['300 ms in', (output) => killAtOpen(output, '300')],
      ['between the partial output removed and the new one created', (output) => ({ NODE_OPTIONS: `--import ${RM_HOOK}`, SB_TEST_KILL_RM: `${output}.partial` })],
      ['before the first checkpoint', (output) => ({ NODE_OPTIONS: `--import ${RENAME_HOOK}`, SB_TEST_KILL_RENAME_TO: `${output}.checkpoint.json`, SB_TEST_KILL_RENAME_WHEN: 'before' })],
    ];
    for (const [when, hook] of kills) {
      const output = await pausedYesterday();
      const checkpoint = readFileSync(`${output}.checkpoint.json`);
      const partial = readFileSync(`${output}.partial`);
      const killed = await runCli(score(today, output), { env: env(server, hook(output)) });
      expect({ when, signal: killed.signal }).toEqual({ when, signal: 'SIGKILL' });
      // Either yesterday's job is as it was (the next run imports again), or the store holds its answers.
      if (!asItWas(`${output}.partial`, partial) || !asItWas(`${output}.checkpoint.json`, checkpoint)) {
        expect({ when, kept: existsSync(`${output}.answers`) }).toEqual({ when, kept: true });
      }
      if (when === 'at the start') {
        // Killed inside the import: nothing of yesterday's job was touched.
        expect(asItWas(`${output}.checkpoint.json`, checkpoint) && asItWas(`${output}.partial`, partial)).toBe(true);
      }
      const finished = await runCli(score(today, output), { env: env(server) });
      expect(finished.code).toBe(0);
      if (when === 'before the first checkpoint') {
        // Yesterday's checkpoint beside today's new partial output: nothing more to import, the store is used.
        expect(startOverLine(finished.stderr)).toMatch(/; the 100 requests the unfinished job paid for are not kept for this one \(its partial output .* is not as its checkpoint recorded it, edited by hand\?: .*\), but the answers kept before are \(100 texts in .*\.answers\): a text among them is not sent again$/);
      }
      // No text yesterday paid for is sent again; a kill -9 mid-run costs only today's requests in flight.
      expect({ when, paidTwice: paidTwice() }).toEqual({ when, paidTwice: [] });
      if (when !== '300 ms in') expect({ when, requests: server.stats().total }).toEqual({ when, requests: 201 });
      expect(readFileSync(output).equals(expected)).toBe(true);
    }
  }, 180_000);

  it('a partial output edited by hand is not imported, and the line says why', async () => {
    const expected = await freshToday();
    const output = await pausedYesterday();
    const partial = readFileSync(`${output}.partial`, 'utf8');
    // A score cell of the first row shortened by hand: the rows no longer end where the checkpoint says.
    writeFileSync(`${output}.partial`, partial.replace(/,(POSITIVE|NEGATIVE),0\.(\d)\d+,/, ',$1,0.$2,'));
    const todays = await runCli(score(today, output), { env: env(server) });
    expect(todays.code).toBe(0);
    expect(server.stats().total).toBe(301);
    expect(startOverLine(todays.stderr)).toMatch(
      /starting over; the 100 requests the unfinished job paid for are not reused by this one \(its partial output .*\.partial is not as its checkpoint recorded it, edited by hand\?: it is \d+ bytes, shorter than the \d+ its checkpoint records\)$/,
    );
    expect(readFileSync(output).equals(expected)).toBe(true);
  }, 60_000);

  /**
   * A text edited in the partial output at the same length passes every check of its row (the answer cells are written
   * again byte for byte): its answer, the old text's, was kept under the edited text, and a row of today's export with
   * that text was written with it, no request sent. The partial output's CRC-32 (partialCrc32) tells the edit; the
   * answers are then those the journal holds, each under the text it was received for.
   */
  it('a text edited in the partial output at the same length: its old answer is not kept under it, the journal\'s are', async () => {
    // Another word of the same length: another answer (test-scorer.ts scores by words). Written as the export writes it.
    const edited = reviewText(0).replace('good and good', 'good and poor');
    const input = path.join(dir, `today-edited-${++run}.csv`);
    writeFileSync(input, `${readFileSync(today, 'utf8')}1000,"${edited}",3\n`);
    const fresh = path.join(dir, `fresh-${++run}.csv`);
    expect((await runCli(score(input, fresh), { env: env(server) })).code).toBe(0);
    scorer.texts.length = 0;
    const output = await pausedYesterday();
    const partial = readFileSync(`${output}.partial`, 'utf8');
    expect(partial.split('\n')[1]).toMatch(/^0,".*good and good/);
    writeFileSync(`${output}.partial`, partial.replace('good and good', 'good and poor'));
    const todays = await runCli(score(input, output), { env: env(server) });
    expect(todays.code).toBe(0);
    // Was: the edited row's text not sent, and the output not a fresh run's bytes (the old text's answer under it).
    expect(scorer.texts.filter((text) => text.includes('good and poor'))).toHaveLength(1);
    expect(paidTwice()).toEqual([]);
    expect(server.stats().total).toBe(202);
    expect(readFileSync(output).equals(readFileSync(fresh))).toBe(true);
    expect(startOverLine(todays.stderr)).toMatch(/its partial output .*\.partial is not as its checkpoint recorded it \(the CRC-32 of its first [\d,]+ bytes differs: edited by hand, or by another program\?\): of the answers it paid for, those its journal holds are kept for this job \(100 texts in .*\.answers\)/);
  }, 60_000);

  it('a partial output edited at the same length beside no journal: nothing of it is kept, and the line says why', async () => {
    const output = await pausedYesterday();
    const partial = readFileSync(`${output}.partial`, 'utf8');
    writeFileSync(`${output}.partial`, partial.replace('good and good', 'good and poor'));
    rmSync(`${output}.journal`);
    const todays = await runCli(score(today, output), { env: env(server) });
    expect(todays.code).toBe(0);
    expect(server.stats().total).toBe(301);
    expect(startOverLine(todays.stderr)).toMatch(
      /; the 100 requests the unfinished job paid for are not reused by this one \(its partial output .*\.partial is not as its checkpoint recorded it \(the CRC-32 of its first [\d,]+ bytes differs: edited by hand, or by another program\?\)\)$/,
    );
  }, 60_000);

  it.skipIf(!MOUNT)('a disk too full for the answers: exit 74 with one line, yesterday\'s job as it was; once there is room, 201 requests (root)', async () => {
    const expected = await freshToday();
    const small = path.join(dir, 'small');
    mkdirSync(small);
    mountTmpfs(small, '1m');
    try {
      const output = path.join(small, 'out.csv');
      server.reset();
      expect((await runCli(score(yesterday, output, '--max-requests', '100'), { env: env(server) })).code).toBe(75);
      paidYesterday = new Set(scorer.texts.splice(0));
      const checkpoint = readFileSync(`${output}.checkpoint.json`);
      const partial = readFileSync(`${output}.partial`);
      const refused = await runCli(score(today, output), { env: env(server) });
      expect(refused.code).toBe(74);
      // The 1 MiB disk is not full (df shows room left): the line says how much is free and what the store needs.
      // --log-format json: the line is JSON too, at error (test/e2e-closing-line-json.test.ts).
      const last = JSON.parse(refused.stderr.trim().split('\n').at(-1) ?? '') as { level: number; exitCode: number; msg: string };
      expect({ level: last.level, exitCode: last.exitCode }).toEqual({ level: 50, exitCode: 74 });
      expect(last.msg.replace(/: \d+ KiB free on its disk/, ': N KiB free on its disk')).toBe(
        `the answers the unfinished job paid for could not be kept in ${output}.answers before starting over (no space left on the device: N KiB free on its disk, and the store needs 16.0 MiB free to be written): nothing was replaced, its partial output and checkpoint are as they were; free some space on its disk, then run the same command again`,
      );
      expect(asItWas(`${output}.checkpoint.json`, checkpoint) && asItWas(`${output}.partial`, partial)).toBe(true);
      // Room again: the job moved to a bigger disk with its files, as an operator would.
      const roomy = path.join(dir, `out-${++run}.csv`);
      for (const suffix of ['.checkpoint.json', '.partial', '.journal', '.failed-rows']) if (existsSync(`${output}${suffix}`)) copyFileSync(`${output}${suffix}`, `${roomy}${suffix}`);
      server.reset();
      const finished = await runCli(score(today, roomy), { env: env(server) });
      expect(finished.code).toBe(0);
      expect(server.stats().total).toBe(201);
      expect(paidTwice()).toEqual([]);
      expect(readFileSync(roomy).equals(expected)).toBe(true);
    } finally {
      unmount(small);
    }
  }, 60_000);

  it('another prefix and --long-text skip change no answer to a text: reused, and the bytes are those of a fresh run with them', async () => {
    const more = ['--prefix', 'mood', '--long-text', 'skip'];
    const fresh = path.join(dir, `fresh-${++run}.csv`);
    expect((await runCli(score(today, fresh, ...more), { env: env(server) })).code).toBe(0);
    scorer.texts.length = 0;
    const output = await pausedYesterday();
    const todays = await runCli(score(today, output, ...more), { env: env(server) });
    expect(todays.code).toBe(0);
    expect(server.stats().total).toBe(201);
    expect(paidTwice()).toEqual([]);
    expect(readFileSync(output).equals(readFileSync(fresh))).toBe(true);
  }, 60_000);

  it('the same input with another --prefix starts over keeping the paid answers: 200 requests, not 300, and the bytes of a fresh run', async () => {
    const fresh = path.join(dir, `fresh-${++run}.csv`);
    expect((await runCli(score(yesterday, fresh, '--prefix', 'mood'), { env: env(server) })).code).toBe(0);
    scorer.texts.length = 0;
    const output = await pausedYesterday();
    const again = await runCli(score(yesterday, output, '--prefix', 'mood'), { env: env(server) });
    expect(again.code).toBe(0);
    expect(server.stats().total).toBe(200);
    expect(paidTwice()).toEqual([]);
    expect(startOverLine(again.stderr)).toBe(
      `the settings that shape the output (format, delimiter, escape, quote, decimal mark, text column, prefix, model and the address serving it, long-text policy, record limit) differ from the checkpoint's (prefix: 'sentiment' then, 'mood' now): starting over; the answers it paid for are kept for this job (100 texts in ${output}.answers): a text among them is not sent again`,
    );
    expect(readFileSync(output).equals(readFileSync(fresh))).toBe(true);
    expect(existsSync(`${output}.answers`)).toBe(false);
  }, 60_000);

  it('killed between the final rename and the removal of the store: the "already done" rerun removes it (a folder only)', async () => {
    const expected = await freshToday();
    const output = await pausedYesterday();
    const killed = await runCli(score(today, output), { env: env(server, { NODE_OPTIONS: `--import ${RENAME_HOOK}`, SB_TEST_KILL_RENAME_TO: output }) });
    expect(killed.signal).toBe('SIGKILL');
    expect(readFileSync(output).equals(expected)).toBe(true);
    expect(statSync(`${output}.answers`).isDirectory()).toBe(true);
    server.reset();
    const done = await runCli(score(today, output), { env: env(server) });
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toContain('already done');
    expect(server.stats().total).toBe(0);
    expect(existsSync(`${output}.answers`)).toBe(false);
    expect(readFileSync(output).equals(expected)).toBe(true);
    // A file someone put at that path is not this tool's to remove.
    writeFileSync(`${output}.answers`, 'mine\n');
    expect((await runCli(score(today, output), { env: env(server) })).code).toBe(0);
    expect(readFileSync(`${output}.answers`, 'utf8')).toBe('mine\n');
    scorer.texts.length = 0;
  }, 60_000);

  it('a file at <output>.answers (put there by hand) keeps nothing, says why, and is left as it was', async () => {
    const output = await pausedYesterday();
    writeFileSync(`${output}.answers`, 'mine\n');
    const todays = await runCli(score(today, output), { env: env(server) });
    expect(todays.code).toBe(0);
    expect(server.stats().total).toBe(301);
    expect(startOverLine(todays.stderr)).toMatch(/the 100 requests the unfinished job paid for are not reused by this one \(\S+\.answers cannot keep them: .* is a file; the answer store needs a folder/);
    expect(readFileSync(`${output}.answers`, 'utf8')).toBe('mine\n');
    scorer.texts.length = 0;
  }, 60_000);

  it("a checkpoint edited by hand to name today's model keeps nothing: its settings are not its settingsHash's", async () => {
    const output = await pausedYesterday();
    const checkpoint = readFileSync(`${output}.checkpoint.json`, 'utf8');
    const address = (url: string) => new URL(url).origin;
    expect(checkpoint).toContain(address(server.baseURL));
    writeFileSync(`${output}.checkpoint.json`, checkpoint.split(address(server.baseURL)).join(address(other.baseURL)));
    const todays = await runCli(score(today, output), { env: env(other) });
    expect(todays.code, todays.stderr).toBe(0);
    expect(other.stats().total).toBe(301);
    expect(startOverLine(todays.stderr)).toMatch(/the 100 requests the unfinished job paid for are not reused by this one \(its checkpoint's settings are not the ones its settingsHash was made from \(edited by hand\)\)$/);
    other.reset();
  }, 60_000);

  it("another model's answers are not reused: today asks the model at another address (they are kept for that model, e2e-model-typo.test.ts)", async () => {
    const output = await pausedYesterday();
    const todays = await runCli(score(today, output), { env: env(other) });
    expect(todays.code).toBe(0);
    expect(other.stats().total).toBe(301);
    expect(startOverLine(todays.stderr)).toMatch(
      /the 100 requests the unfinished job paid for are not reused by this one \(its answers are of workers-ai:\S+ at http:\/\/127\.0\.0\.1:\d+\S*, this run asks workers-ai:\S+ at http:\/\/127\.0\.0\.1:\d+\S*\), but they are kept in \S+\.answers \(100 texts of that model\): a run that asks workers-ai:\S+ at http:\/\/127\.0\.0\.1:\d+\S* again, before a job at this output completes, does not send them again$/,
    );
    // Today completed: the store went with it.
    expect(existsSync(`${output}.answers`)).toBe(false);
    other.reset();
  }, 60_000);

  it("answers kept of another model are not counted as a saving, and an import of this model's replaces them", async () => {
    const output = await pausedYesterday();
    other.reset();
    // Today at the first address, paused after 50: the store holds yesterday's 100 answers of that address's model.
    expect((await runCli(score(today, output, '--max-requests', '50'), { env: env(server) })).code).toBe(75);
    // Yesterday again, at another address: neither today's answers nor the store's are of its model. Today's are
    // kept beside yesterday's, under their model (150 texts: its 50 paid, and the 100 of yesterday its rows read).
    const atOther = await runCli(score(yesterday, output, '--max-requests', '50'), { env: env(other) });
    expect(atOther.code).toBe(75);
    const port = new URL(server.baseURL).port;
    expect(startOverLine(atOther.stderr)).toMatch(
      new RegExp(`the 50 requests the unfinished job paid for are not reused by this one \\(its answers are of [^;]*\\), but they are kept in \\S+\\.answers \\(150 texts of that model\\): a run that asks workers-ai:\\S+ at http://127\\.0\\.0\\.1:${port}\\S* again, before a job at this output completes, does not send them again$`),
    );
    expect(atOther.stdout).not.toMatch(/answered by an earlier run's requests/);
    // Today at that address over it: its 50 answers are kept, in place of the other model's 150, and only they are saved.
    const todays = await runCli(score(today, output), { env: env(other) });
    expect(todays.code, todays.stderr).toBe(0);
    expect(startOverLine(todays.stderr)).toMatch(/; the answers it paid for are kept for this job \(50 texts in \S+\.answers\): a text among them is not sent again$/);
    expect(other.stats().total).toBe(50 + 251);
    other.reset();
    scorer.texts.length = 0;
  }, 60_000);
});
