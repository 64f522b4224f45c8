import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logLines, runCli, warnMessages } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';
import { scoreInBuiltProcess } from './support/score-in-built-process.js';

/**
 * BigQuery's JSON export (and other writers: Go's omitempty, protobuf's JSON) leaves a NULL field out of the record
 * instead of writing `null`: a star rating without a review comes out as `{"review":{"title":"…"}}`, no `body`. Such a
 * record has no text, as `"body": null` has none. Before, it failed `missing_text_field`, and an export where most
 * ratings carry no review stopped with exit 5 ("could not be read … check the input and --text-field").
 */
/** The per-row message of a record whose text field (or an object on its path) holds null. */
const NULL_TEXT = "the text field holds null (an export's NULL: no text); not sent";

const bigQueryExport = (count: number): string =>
  Array.from({ length: count }, (_, i) => {
    const review: Record<string, string> = { title: `Title ${i}` };
    // Two ratings in three have no review text: BigQuery leaves the NULL body out.
    if (i % 3 === 0) review.body = i % 2 ? 'love this app, works great' : 'crashes all the time, awful';
    return JSON.stringify({ review_id: String(i), rating: String((i % 5) + 1), review });
  }).join('\n') + '\n';

describe('JSONL: a text field left out of some records is no text, like null', () => {
  const { file, path: inDir } = useTempDir();

  it('an export whose first records leave the field out in some records skips those rows (empty_text), exit 0', async () => {
    const input = file('bq.jsonl', bigQueryExport(300));
    const output = inDir('bq.scored.jsonl');
    const r = await runCli(['score', input, '--text-field', 'review.body', '-o', output]);
    expectCleanError(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows 300: scored 100, skipped 200, failed 0/);
    // Its short titles beside a body left out of most records are no sign of a wrong field: the body holds the longest texts.
    expect(r.stdout).not.toContain('left out of');
    expect(warnMessages(r.stderr)).toEqual([]);
    const lines = readFileSync(output, 'utf8').split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(300);
    expect(lines[1]).toBe(
      // Was 'the text is empty or only white space' of a record that has no text field at all.
      '{"review_id":"1","rating":"2","review":{"title":"Title 1"},"sentiment":{"error":{"code":"empty_text","message":"the record leaves the text field out (an export that leaves out a NULL writes it so); not sent"}}}',
    );
    // The same count before the run: estimate reads the records as the run does.
    const estimate = await runCli(['estimate', input, '--text-field', 'review.body']);
    expect(estimate.code).toBe(0);
    expect(estimate.stdout).toMatch(/rows 300 · non-empty 100 .*\nover 512 tokens 0 · unreadable rows 0/);
  });

  it('a parent object that is null is no text too; one that is a string still fails', async () => {
    const records = [
      ...Array.from({ length: 10 }, (_, i) => ({ id: i, review: { body: `a fine review number ${i}` } })),
      { id: 10, review: { title: 'no body' } },
      { id: 11, review: null },
      { id: 12 },
      { id: 13, review: 'flat text where an object should be' },
    ];
    const input = file('mixed.jsonl', records.map((record) => JSON.stringify(record)).join('\n') + '\n');
    const output = inDir('mixed.scored.jsonl');
    // The rows written and the summary are the subject, not standard error: in this process (support/score-in-built-process.ts).
    const r = await scoreInBuiltProcess([input, '--text-field', 'review.body', '-o', output]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows 14: scored 10, skipped 3, failed 1/);
    // The two without the field are counted apart; "review": null is a null, as a null body is.
    expect(r.stdout).toContain('\n  empty_text: 2 rows lack the text field ');
    const codes = readFileSync(output, 'utf8').split('\n').filter((line) => line !== '').slice(10)
      .map((line) => (JSON.parse(line) as { sentiment: { error: { code: string } } }).sentiment.error.code);
    expect(codes).toEqual(['empty_text', 'empty_text', 'empty_text', 'missing_text_field']);
    // Each says which: the field left out (10, 12), or a null on the path (11).
    const messages = readFileSync(output, 'utf8').split('\n').filter((line) => line !== '').slice(10, 13)
      .map((line) => (JSON.parse(line) as { sentiment: { error: { message: string } } }).sentiment.error.message);
    const leftOut = 'the record leaves the text field out (an export that leaves out a NULL writes it so); not sent';
    expect(messages).toEqual([leftOut, NULL_TEXT, leftOut]);
  });

  it('a text field that holds null says so, not "empty or only white space" (newuser23); a blank one still says blank', async () => {
    const records = [
      ...Array.from({ length: 10 }, (_, i) => ({ id: i, review: { body: `a fine review number ${i}` } })),
      { id: 10, review: { body: null } },
      { id: 11, review: null },
      { id: 12, review: { body: '   ' } },
    ];
    const input = file('nulls.jsonl', records.map((record) => JSON.stringify(record)).join('\n') + '\n');
    const output = inDir('nulls.scored.jsonl');
    const r = await scoreInBuiltProcess([input, '--text-field', 'review.body', '-o', output]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows 13: scored 10, skipped 3, failed 0/);
    const errors = readFileSync(output, 'utf8').split('\n').filter((line) => line !== '').slice(10)
      .map((line) => (JSON.parse(line) as { sentiment: { error: { code: string; message: string } } }).sentiment.error);
    expect(errors).toEqual([
      { code: 'empty_text', message: NULL_TEXT },
      { code: 'empty_text', message: NULL_TEXT },
      { code: 'empty_text', message: 'the text is empty or only white space; not sent' },
    ]);
  });

  it('null where the object on the path would be is no text, also past the first 100 records that all have the field', async () => {
    const records = [...Array.from({ length: 100 }, (_, i) => ({ id: i, review: { body: `a fine review number ${i}` } })), { id: 100, review: null }];
    const input = file('null-parent.jsonl', records.map((record) => JSON.stringify(record)).join('\n') + '\n');
    const r = await scoreInBuiltProcess([input, '--text-field', 'review.body', '-o', inDir('null-parent.scored.jsonl')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows 101: scored 100, skipped 1, failed 0/);
  });

  it('a file with no text at all, the field null or left out, says so in its warning', async () => {
    const input = file('none.jsonl', '{"id":1,"review":{"body":null,"title":"a fine title here"}}\n{"id":2,"review":{"title":"another title"}}\n');
    const r = await scoreInBuiltProcess([input, '--text-field', 'review.body', '-o', inDir('none.scored.jsonl')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "no row was scored: --text-field 'review.body' is empty, null or left out in every one of the 2 rows; the field 'review.title' holds text: run again with --text-field 'review.title'",
    );
  });

  /**
   * The left-out rule let a mistyped field pass quietly: `--text-field title` on a file whose reviews are in `review`
   * and whose `title` a few records happen to have ended "Done", exit 0, most rows skipped as empty_text and no word
   * of it (before the rule: exit 5, "check --text-field"). The run's outcome stays (the rows are skipped with their
   * code), and the summary and a start-up warn line say which field holds text, with the flag to use.
   */
  it('a field left out of most records while another holds text: the run says so at start-up and in its summary, exit 0', async () => {
    const records = Array.from({ length: 500 }, (_, i) => ({
      id: String(i),
      stars: String((i % 5) + 1),
      review: i % 2 ? `love this app, it works great every day (${i})` : `it crashes all the time, awful support (${i})`,
      ...(i % 40 === 0 ? { title: 'Great app' } : {}),
    }));
    const input = file('mistyped.jsonl', records.map((record) => JSON.stringify(record)).join('\n') + '\n');
    const summaryJson = inDir('mistyped.summary.json');
    const r = await runCli(['score', input, '--text-field', 'title', '-o', inDir('mistyped.scored.jsonl'), '--summary-json', summaryJson]);
    expectCleanError(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Done: .*\n {2}rows 500: scored 13, skipped 487, failed 0\n/);
    const warning =
      "--text-field 'title' is left out of 97 of the first 100 records, whose rows are skipped as no text (empty_text); the field 'review' holds text in them: if it holds the reviews, run again with --text-field 'review'";
    expect(r.stdout).toContain(`\n  ${warning}\n`);
    expect(warnMessages(r.stderr)).toEqual([warning, warning]);
    expect((JSON.parse(readFileSync(summaryJson, 'utf8')) as { warning?: string }).warning).toBe(warning);
    // Run again, as a nightly job is: "Already done" says it too, of the output the first run wrote.
    // Its summary is the subject: in this process.
    const again = await scoreInBuiltProcess([input, '--text-field', 'title', '-o', inDir('mistyped.scored.jsonl')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Already done \(nothing to do\): /);
    expect(again.stdout).toContain(`\n  ${warning}\n`);
    // The same word before a run: estimate reads the same sample.
    const estimate = await runCli(['estimate', input, '--text-field', 'title']);
    expect(estimate.code).toBe(0);
    expect(estimate.stdout).toMatch(/^rows 500 · non-empty 13 /);
    expect(warnMessages(estimate.stderr)).toEqual([warning]);
    expect(logLines(estimate.stderr)).toHaveLength(1);
  });

  it('a BigQuery export whose reviews are mostly NULL, no other field holding text, gets no such warning', async () => {
    // Its ids and timestamps, longer than its short reviews, are no text (mayBeReview: codes, no review).
    const records = Array.from({ length: 300 }, (_, i) => ({
      review_id: String(1000 + i),
      rating: String((i % 5) + 1),
      created_at: `2026-11-${String((i % 28) + 1).padStart(2, '0')}T08:15:00.000Z`,
      user_id: `5f0c6d1e-8a1b-4c2d-9e3f-${String(100000000000 + i)}`,
      ...(i % 4 === 0 ? { body: i % 8 ? 'good app' : 'awful' } : {}),
    }));
    const input = file('mostly-null.jsonl', records.map((record) => JSON.stringify(record)).join('\n') + '\n');
    const summaryJson = inDir('mostly-null.summary.json');
    const r = await runCli(['score', input, '--text-field', 'body', '-o', inDir('mostly-null.scored.jsonl'), '--summary-json', summaryJson]);
    expectCleanError(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows 300: scored 75, skipped 225, failed 0/);
    expect(r.stdout).not.toContain('left out of');
    expect(warnMessages(r.stderr)).toEqual([]);
    expect((JSON.parse(readFileSync(summaryJson, 'utf8')) as { warning?: string }).warning).toBeUndefined();
  });
});
