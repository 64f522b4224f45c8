import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { expectCleanError } from './support/e2e-dir.js';
import { scoreInBuiltProcess } from './support/score-in-built-process.js';

// Exports nest the review ({"review": {"title": …, "body": …}}); naming the object (--text-field review) instead of
// the text inside it (review.body) read and wrote the whole file, every row failed text_not_string, and the run ended
// exit 5 with 'rows read could not be read (ragged rows, lines that are not JSON objects, a missing text field)'.
describe('a JSONL text field that holds an object in every record', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const nested = (n: number) =>
    Array.from({ length: n }, (_, i) => JSON.stringify({ id: i, review: { title: `t${i}`, body: `a long review body that says it is lovely ${i}` }, rating: 5 })).join('\n') + '\n';

  it('is refused at startup (exit 2), naming the text field inside it, by score and estimate', async () => {
    const input = path.join(dir, 'export.jsonl');
    writeFileSync(input, nested(3));
    const output = path.join(dir, 'out.jsonl');
    const score = await runCli(['score', input, '--text-field', 'review', '-o', output]);
    expect(score.code).toBe(2);
    expect(score.stderr).toMatch(
      /^sentiment-batch: --text-field 'review' is an object, not text, in each of the first 3 records; the field 'review\.body' holds text: run again with --text-field 'review\.body'\n$/,
    );
    expectCleanError(score.stderr);
    expect(existsSync(output)).toBe(false);
    expect(existsSync(`${output}.partial`)).toBe(false);
    const estimate = await runCli(['estimate', input, '--text-field', 'review']);
    expect(estimate.code).toBe(2);
    expect(estimate.stderr).toMatch(/--text-field 'review' is an object, not text/);
    // An array is no text either; the default 'text' says it is the default.
    writeFileSync(input, '{"text":["great","fine"],"body":"really lovely"}\n');
    const array = await runCli(['score', input, '-o', output]);
    expect(array.code).toBe(2);
    expect(array.stderr).toMatch(/the text field 'text' \(the default; name yours with --text-field\) is an array, not text, in the first record; the field 'body' holds text: run again with --text-field 'body'\n$/);
  });

  // report --text-field review on the scored file gave a page whose 'most negative and most positive' lists were empty, exit 0.
  it('is refused by report too (exit 2), as a field the records lack is', async () => {
    const input = path.join(dir, 'export.jsonl');
    writeFileSync(input, nested(3));
    const scored = path.join(dir, 'export.scored.jsonl');
    // The scored file report reads is made in this process (support/score-in-built-process.ts): report is the subject.
    expect((await scoreInBuiltProcess([input, '--text-field', 'review.body', '-o', scored])).code).toBe(0);
    const r = await runCli(['report', scored, '--text-field', 'review', '-o', path.join(dir, 'r.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sentiment-batch: --text-field 'review' is an object, not text, in each of the first 3 records; the field 'review\.body' holds text: run again with --text-field 'review\.body'\n$/);
    expect(existsSync(path.join(dir, 'r.html'))).toBe(false);
  });

  // BigQuery writes a NULL STRUCT as "review": null: one such record among the objects let the run go on, every other
  // row failing text_not_string and the run ending exit 5, where the same export without it was refused at startup.
  it('is refused at startup when some records hold null there instead of the object (no text either)', async () => {
    const input = path.join(dir, 'nulls.jsonl');
    writeFileSync(input, `${nested(2)}{"id":9,"review":null}\n${nested(1)}`);
    const output = path.join(dir, 'out.jsonl');
    const r = await runCli(['score', input, '--text-field', 'review', '-o', output]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^sentiment-batch: --text-field 'review' is an object, not text, in 3 of the first 4 records \(null in the other\); the field 'review\.body' holds text: run again with --text-field 'review\.body'\n$/,
    );
    expect(existsSync(output)).toBe(false);
  });

  it('is scored as before when one of the records holds a string there', async () => {
    const input = path.join(dir, 'mixed.jsonl');
    writeFileSync(input, `${nested(2)}{"id":9,"review":"a plain string review, lovely"}\n`);
    // Its summary is the subject, not how the run ends: in this process.
    const r = await scoreInBuiltProcess([input, '--text-field', 'review', '-o', path.join(dir, 'out.jsonl'), '--max-error-rate', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/failed by code: text_not_string 2/);
  });
});
