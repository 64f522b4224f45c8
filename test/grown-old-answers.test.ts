import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobSettings } from '../src/config/options.js';
import { dedupeKey } from '../src/job/dedupe.js';
import { oldOutputAnswers } from '../src/job/old-output-answers.js';
import { openSource } from '../src/job/source.js';
import { answerKeyOf } from '../src/scoring/scorer.js';
import type { Checkpoint } from '../src/state/checkpoint.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { tempDir } from './support/cli.js';
import { quiet, remoteSettings, wordScorer } from './support/counting-remote.js';
import { reviewText } from './support/reviews.js';
import { testScores } from './support/test-scorer.js';

/**
 * A completed Workers AI job continued (its export grown, its --limit raised) sent again a new row whose text an old
 * row already holds: newuser18 measured 15 of 216 requests paid twice on 300 rows appended to 3,000. The old output's
 * answers to the new rows' texts are read once before the first request (job/old-output-answers.ts): those rows send
 * nothing, and the output is still byte for byte a fresh run's of the new file.
 */
describe("a continued job takes the old rows' answers for the new rows' texts", () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const run = (settings: JobSettings, sent: { count: number }, failing?: (text: string) => boolean) =>
    runJob(settings, { log: quiet(), stop: new StopController(), createScorer: () => wordScorer(sent, failing) });
  const csvRows = (texts: string[], from = 0) => texts.map((text, i) => `${from + i},"${text.replace(/"/g, '""')}"\n`).join('');
  const OLD = Array.from({ length: 100 }, (_, i) => reviewText(i));
  // 50 new rows: 20 repeat the texts of old rows 0-14 (some twice, as "Great app" recurs), 30 are new (one of them twice).
  const NEW = [...Array.from({ length: 20 }, (_, i) => reviewText(i % 15)), ...Array.from({ length: 30 }, (_, i) => reviewText(1000 + (i % 29)))];
  const REPEATED = new Set(NEW.filter((text) => OLD.includes(text))).size;
  const DISTINCT_NEW = new Set(NEW.filter((text) => !OLD.includes(text))).size;

  /**
   * A fresh run of `content` in a file of its own: its output's bytes and its requests. The same for the same content
   * and settings, so made once each (two tests append NEW to OLD alike).
   */
  const freshRuns = new Map<string, Promise<{ bytes: Buffer; sent: number }>>();
  const fresh = (content: string, extra: Partial<JobSettings> = {}) => {
    const key = `${JSON.stringify(extra)}\n${content}`;
    let made = freshRuns.get(key);
    if (made === undefined) freshRuns.set(key, (made = freshRun(content, extra)));
    return made;
  };
  const freshRun = async (content: string, extra: Partial<JobSettings>) => {
    const input = path.join(dir, `fresh-${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(input, content);
    const sent = { count: 0 };
    await run({ ...remoteSettings(input, `${input}.out`), ...extra }, sent);
    return { bytes: readFileSync(`${input}.out`), sent: sent.count };
  };

  /** A completed job of the OLD rows at in.csv: its input, output and settings. */
  const completedOld = async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, `id,text\n${csvRows(OLD)}`);
    const settings = remoteSettings(input, output);
    expect((await run(settings, { count: 0 })).exitCode).toBe(0);
    return { input, output, settings };
  };

  it('CSV rows appended: only the texts no old row holds are sent, the output a fresh run of the grown file', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, `id,text\n${csvRows(OLD)}`);
    const settings = { ...remoteSettings(input, output) };
    const first = { count: 0 };
    expect((await run(settings, first)).exitCode).toBe(0);
    expect(first.count).toBe(OLD.length);

    appendFileSync(input, csvRows(NEW, OLD.length));
    const next = { count: 0 };
    const summary = await run(settings, next);
    expect(summary).toMatchObject({ status: 'done', exitCode: 0, resumed: true });
    expect(REPEATED).toBe(15);
    expect(next.count).toBe(DISTINCT_NEW);
    const reference = await fresh(readFileSync(input, 'utf8'));
    expect(reference.sent).toBe(OLD.length + DISTINCT_NEW);
    expect(readFileSync(output).equals(reference.bytes)).toBe(true);
  });

  // Texts over 4,096 characters (the in-run dedupe's LONG_TEXT_KEY) were never looked for: each appended repeat sent again.
  it('old texts over 4,096 characters repeated by appended rows: not sent again, the output a fresh run of the grown file', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    // 5 long texts (cut to the model's window when sent), then 5 rows repeating them and one long text of its own.
    const long = (i: number) => `${reviewText(i)} ${'and it was great '.repeat(300 + i)}`;
    const old = [...OLD.slice(0, 20), ...Array.from({ length: 5 }, (_, i) => long(i))];
    writeFileSync(input, `id,text\n${csvRows(old)}`);
    const settings = { ...remoteSettings(input, output) };
    expect((await run(settings, { count: 0 })).exitCode).toBe(0);
    appendFileSync(input, csvRows([...Array.from({ length: 5 }, (_, i) => long(i)), long(99)], old.length));
    const next = { count: 0 };
    expect(await run(settings, next)).toMatchObject({ status: 'done', exitCode: 0, resumed: true });
    expect(next.count).toBe(1);
    const reference = await fresh(readFileSync(input, 'utf8'));
    expect(readFileSync(output).equals(reference.bytes)).toBe(true);
  });

  it('a job completed at --limit 100 run with --limit 150: the texts of its first 100 rows are not sent again', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, `id,text\n${csvRows([...OLD, ...NEW])}`);
    const settings = { ...remoteSettings(input, output) };
    const first = { count: 0 };
    expect((await run({ ...settings, limit: 100 }, first)).exitCode).toBe(0);
    expect(first.count).toBe(OLD.length);
    const next = { count: 0 };
    expect(await run({ ...settings, limit: 150 }, next)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(next.count).toBe(DISTINCT_NEW);
    expect(readFileSync(output).equals((await fresh(readFileSync(input, 'utf8'), { limit: 150 })).bytes)).toBe(true);
  });

  it('a continued job paused (--max-requests), then resumed: the resumed run does not send again the new rows repeating old texts', async () => {
    const { input, output, settings } = await completedOld();
    // The new texts first, then the repeats: the pause comes before any repeat is read.
    appendFileSync(input, csvRows([...NEW.slice(20), ...NEW.slice(0, 20)], OLD.length));
    const paused = { count: 0 };
    expect(await run({ ...settings, maxRequests: 10 }, paused)).toMatchObject({ exitCode: 75 });
    const resumed = { count: 0 };
    expect(await run(settings, resumed)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(paused.count + resumed.count).toBe(DISTINCT_NEW);
    expect(readFileSync(output).equals((await fresh(readFileSync(input, 'utf8'))).bytes)).toBe(true);
  });

  it('JSONL records appended: the same', async () => {
    const input = path.join(dir, 'in.jsonl');
    const output = path.join(dir, 'out.jsonl');
    const lines = (texts: string[], from = 0) => texts.map((text, i) => `${JSON.stringify({ id: from + i, text })}\n`).join('');
    writeFileSync(input, lines(OLD));
    const settings = { ...remoteSettings(input, output) };
    expect((await run(settings, { count: 0 })).exitCode).toBe(0);
    appendFileSync(input, lines(NEW, OLD.length));
    const next = { count: 0 };
    expect(await run(settings, next)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(next.count).toBe(DISTINCT_NEW);
  });

  it("an old row whose request failed is no answer: a new row with its text is sent, and the old row mended from that answer", async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, `id,text\n${csvRows(OLD)}`);
    const settings = { ...remoteSettings(input, output), maxErrorRate: 1 };
    // The old rows 0-9 failed (a 500, one attempt): listed for a mend, no answer in the output.
    const failing = new Set(OLD.slice(0, 10));
    expect((await run(settings, { count: 0 }, (text) => failing.has(text))).totals.failed).toBe(10);
    appendFileSync(input, csvRows(NEW, OLD.length));
    const next = { count: 0 };
    expect(await run(settings, next)).toMatchObject({ status: 'done', exitCode: 0 });
    // The 10 failed texts are among the new rows' repeats: sent once each by the new rows, the mend takes those answers.
    expect(next.count).toBe(DISTINCT_NEW + 10);
    expect(readFileSync(output).equals((await fresh(readFileSync(input, 'utf8'))).bytes)).toBe(true);
  });

  it('the old output is read only when it pays: at most alwaysRead bytes, or bytesPerText per distinct new text', async () => {
    const { input, output, settings } = await completedOld();
    appendFileSync(input, csvRows(NEW, OLD.length));
    const checkpoint = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Checkpoint;
    const source = await openSource(settings, input);
    const size = checkpoint.position.outputBytes;
    const texts = REPEATED + DISTINCT_NEW;
    const read = (bounds?: { alwaysRead: number; bytesPerText: number }) =>
      oldOutputAnswers({ checkpoint, partialPath: output, source, window: { fitToWindow: (text) => ({ text, truncated: false, tokens: 1 }) }, modelKey: answerKeyOf(checkpoint.settings), log: quiet(), stopped: () => false, ...(bounds ? { bounds } : {}) });
    try {
      const found = await read();
      expect(found?.settled(dedupeKey(OLD[0] as string))).toMatchObject({ kind: 'scored', duplicate: true, ...testScores(OLD[0] as string) });
      expect(found?.settled(dedupeKey(NEW[NEW.length - 1] as string))).toBeUndefined();
      expect(await read({ alwaysRead: size, bytesPerText: 0 })).toBeDefined();
      expect(await read({ alwaysRead: size - 1, bytesPerText: Math.ceil(size / texts) })).toBeDefined();
      expect(await read({ alwaysRead: size - 1, bytesPerText: Math.floor((size - 1) / texts) })).toBeUndefined();
      // Another model's job: none of its answers.
      expect(await oldOutputAnswers({ checkpoint, partialPath: output, source, window: { fitToWindow: (text) => ({ text, truncated: false, tokens: 1 }) }, modelKey: 'workers-ai:other', log: quiet(), stopped: () => false })).toBeUndefined();
    } finally {
      await source.release();
    }
  });
});
