import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';
import { scoreInBuiltProcess } from './support/score-in-built-process.js';

/**
 * A record without the JSONL text field is no text wherever it is (left-out-fields.ts), for BigQuery's NULLs. So an
 * export whose text field is renamed partway (`review`, then another export appended with `body`) ends exit 0 with the
 * renamed rows skipped. The start-up warning judges the first 100 records only, which all have `review`: until
 * 2026-12-05 nothing in --summary-json told a monitor that 1,000 of 1,100 rows went unscored while they held reviews.
 * The sign of a rename, unlike a NULL: the records without the field hold a text field that no record with it holds.
 */
const lines = (from: number, count: number, make: (n: number) => Record<string, unknown>): string =>
  Array.from({ length: count }, (_, i) => JSON.stringify(make(from + i))).join('\n') + '\n';

const summaryOf = (path: string): { exitCode: number; warning?: string; run: { leftOutRows?: number } } => JSON.parse(readFileSync(path, 'utf8'));

describe('JSONL: a text field renamed partway', () => {
  const { file, path: inDir } = useTempDir();

  it('records past the first 100 hold their reviews in a field no record with the text field has: the summary warns, naming it', async () => {
    const input = file('drift.jsonl',
      lines(1, 100, (n) => ({ id: n, review: n % 2 ? 'love this app, works great' : 'crashes all the time, awful', rating: 5 })) +
      lines(101, 1000, (n) => ({ id: n, body: `the later export's review number ${n}, quite long`, rating: 1 })));
    const summaryJson = inDir('drift.summary.json');
    const r = await runCli(['score', input, '--text-field', 'review', '-o', inDir('drift.out.jsonl'), '--summary-json', summaryJson]);
    expectCleanError(r.stderr);
    expect(r.code).toBe(0);
    const summary = summaryOf(summaryJson);
    expect(summary.run.leftOutRows).toBe(1000);
    expect(summary.warning).toBe(
      "--text-field 'review' is left out of 1,000 of the 1,100 rows this run read, skipped as no text (empty_text); their field 'body' holds text and no record with 'review' has it (renamed further on?): if it holds the reviews, name both: run again with --text-field 'review' --text-field 'body'",
    );
    expect(r.stdout).toContain(`\n  ${summary.warning}\n`);

    // An "already done" rerun warns again, as it does of a job whose every row was skipped (header-only-warning.ts): the
    // output is still the first run's. It ended exit 0 with no warning, the completed checkpoint keeping no note of it.
    // The rerun's summaries are the subject: in this process (support/score-in-built-process.ts).
    const again = await scoreInBuiltProcess([input, '--text-field', 'review', '-o', inDir('drift.out.jsonl'), '--summary-json', summaryJson]);
    expect(again.code, again.stdout).toBe(0);
    const rerun = summaryOf(summaryJson) as ReturnType<typeof summaryOf> & { status: string };
    expect(rerun.status).toBe('already-done');
    expect(rerun.warning).toBe(
      "--text-field 'review' is left out of 1,000 of the 1,100 rows an earlier run of it read (its output is as it wrote it), skipped as no text (empty_text); their field 'body' holds text and no record with 'review' has it (renamed further on?): if it holds the reviews, name both: run again with --text-field 'review' --text-field 'body'",
    );
    expect(again.stdout).toContain(`\n  ${rerun.warning}\n`);
  });

  it('a completed job whose export grew is continued: its "already done" rerun still warns of the rename in the old part', async () => {
    const old = lines(1, 100, (n) => ({ id: n, review: n % 2 ? 'love this app, works great' : 'crashes all the time, awful', rating: 5 })) +
      lines(101, 1000, (n) => ({ id: n, body: `the later export's review number ${n}, quite long`, rating: 1 }));
    const input = file('grown.jsonl', old);
    const output = inDir('grown.out.jsonl');
    const summaryJson = inDir('grown.summary.json');
    const score = () => runCli(['score', input, '--text-field', 'review', '-o', output, '--summary-json', summaryJson]);
    // Yesterday's run, the set-up: in this process (support/score-in-built-process.ts). The continuation's log line is
    // read from a spawned run's standard error below.
    expect((await scoreInBuiltProcess([input, '--text-field', 'review', '-o', output, '--summary-json', summaryJson])).code).toBe(0);
    // Tonight's export: yesterday's with 50 rows appended, all with the text field.
    file('grown.jsonl', old + lines(1101, 50, (n) => ({ id: n, review: 'works great, love it', rating: 4 })));
    const continued = await score();
    expect(continued.code, continued.stderr).toBe(0);
    expect(continued.stderr).toMatch(/Continuing:/);
    // The continuation dropped the completed checkpoint's note (grown-input.ts): the rerun ended "already done", exit 0, no warning.
    const again = await scoreInBuiltProcess([input, '--text-field', 'review', '-o', output, '--summary-json', summaryJson]);
    expect(again.code, again.stdout).toBe(0);
    const rerun = summaryOf(summaryJson) as ReturnType<typeof summaryOf> & { status: string };
    expect(rerun.status).toBe('already-done');
    expect(rerun.warning).toBe(
      "--text-field 'review' is left out of 1,000 of the 1,150 rows an earlier run of it read (its output is as it wrote it), skipped as no text (empty_text); their field 'body' holds text and no record with 'review' has it (renamed further on?): if it holds the reviews, name both: run again with --text-field 'review' --text-field 'body'",
    );
  });

  it('records without the text field whose other text (a title) the records with it have too: an export\'s NULLs, no warning', async () => {
    const input = file('nulls.jsonl',
      lines(1, 100, (n) => ({ id: n, title: 'Okay app overall', review: 'love this app, works great' })) +
      lines(101, 300, (n) => ({ id: n, title: `Star rating only, title ${n}` })));
    const summaryJson = inDir('nulls.summary.json');
    const r = await runCli(['score', input, '--text-field', 'review', '-o', inDir('nulls.out.jsonl'), '--summary-json', summaryJson]);
    expectCleanError(r.stderr);
    expect(r.code).toBe(0);
    const summary = summaryOf(summaryJson);
    expect(summary.run.leftOutRows).toBe(300);
    expect(summary.warning).toBeUndefined();
    const again = await scoreInBuiltProcess([input, '--text-field', 'review', '-o', inDir('nulls.out.jsonl'), '--summary-json', summaryJson]);
    expect(again.code, again.stdout).toBe(0);
    expect(summaryOf(summaryJson).warning).toBeUndefined();
  });
});
