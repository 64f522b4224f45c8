import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';

/**
 * BigQuery's JSON export leaves a NULL field out of a record. Until 2026-12-05 a record without the text field had no
 * text only when the first 100 records showed the export leaving it out (some with it, some without):
 * - an export whose first 100 records all had a review failed its later NULLs `missing_text_field`, exit 5 once they
 *   were more than half of the last 200 rows;
 * - one where none of the first 100 had it (sorted so that the star-only ratings come first) was refused at startup,
 *   exit 2, as a mistyped field, though later records had it.
 * Now a field some record has (in the first 100, or further on within 16 MiB) is one the export leaves out: a record
 * without it is no text, skipped (`empty_text`), wherever it is.
 */
const ratings = (count: number, lacking: (n: number) => boolean): string =>
  Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const record: Record<string, string> = { id: String(n), rating: String((n % 5) + 1) };
    if (!lacking(n)) record.review = n % 2 ? 'love this app, works great' : 'crashes all the time, awful';
    return JSON.stringify(record);
  }).join('\n') + '\n';

const codes = (file: string): string[] =>
  readFileSync(file, 'utf8').split('\n').filter((line) => line !== '')
    .map((line) => {
      const sentiment = (JSON.parse(line) as { sentiment: { label?: string; error?: { code: string } } }).sentiment;
      return sentiment.error?.code ?? 'scored';
    });

describe('JSONL: a text field left out of records past the first 100, or of all the first 100', () => {
  const { file, path: inDir } = useTempDir();

  it('the first 100 records all have the field, records 150-300 leave it out: those are skipped as no text, exit 0', async () => {
    const input = file('late.jsonl', ratings(300, (n) => n >= 150));
    const output = inDir('late.scored.jsonl');
    const summaryJson = inDir('late.summary.json');
    const r = await runCli(['score', input, '--text-field', 'review', '-o', output, '--summary-json', summaryJson]);
    expectCleanError(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows 300: scored 149, skipped 151, failed 0\n/);
    // Counted, and counted apart from null and blank texts: a field renamed in later records would read the same.
    expect(r.stdout).toContain(
      '\n  skipped by code: empty_text 151\n  empty_text: 151 rows lack the text field (an export that leaves out a NULL writes them so), read as no text; if later records renamed the field, name the new one as well\n',
    );
    expect((JSON.parse(readFileSync(summaryJson, 'utf8')) as { run: { leftOutRows?: number } }).run.leftOutRows).toBe(151);
    const written = codes(output);
    expect(written).toEqual([...Array<string>(149).fill('scored'), ...Array<string>(151).fill('empty_text')]);
  });

  it('none of the first 100 records has the field, records 121-300 have it: it is found further on, exit 0', async () => {
    const input = file('early.jsonl', ratings(300, (n) => n <= 120));
    const output = inDir('early.scored.jsonl');
    const r = await runCli(['score', input, '--text-field', 'review', '-o', output]);
    expectCleanError(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows 300: scored 180, skipped 120, failed 0\n/);
    expect(codes(output)).toEqual([...Array<string>(120).fill('empty_text'), ...Array<string>(180).fill('scored')]);
    // The report of that output looks for the text field as score did (it was refused as a wrong name).
    const report = await runCli(['report', output, '--format', 'json', '-o', inDir('early.report.json')]);
    expectCleanError(report.stderr);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/rows 300: scored 180, skipped 120, failed 0 /);
    // The same count before the run: estimate reads the records as the run does.
    const estimate = await runCli(['estimate', input, '--text-field', 'review']);
    expect(estimate.code).toBe(0);
    expect(estimate.stdout).toMatch(/^rows 300 · non-empty 180 /);
  });

  it('the same export on standard input: the records read ahead are scored all the same', async () => {
    const content = ratings(300, (n) => n <= 120);
    const output = inDir('stdin.scored.jsonl');
    const r = await runCli(['score', '-', '--format', 'jsonl', '--text-field', 'review', '-o', output], { input: content });
    expectCleanError(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows 300: scored 180, skipped 120, failed 0\n/);
    const lines = readFileSync(output, 'utf8').split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(300);
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(Array.from({ length: 300 }, (_, i) => String(i + 1)));
  });

  it('a field no record has is still refused (exit 2), saying it looked at every record', async () => {
    const input = file('typo.jsonl', ratings(300, (n) => n <= 120));
    const r = await runCli(['score', input, '--text-field', 'reveiw', '-o', inDir('typo.scored.jsonl')]);
    expect(r.code).toBe(2);
    expectCleanError(r.stderr);
    expect(r.stderr).toBe("sentiment-batch: --text-field 'reveiw' is in none of the 300 records; their fields are: 'id', 'rating', 'review' (did you mean 'review'?)\n");
  });

  it('a field first seen past 16 MiB is refused (exit 2), saying how far the start-up looked', async () => {
    const input = inDir('far.jsonl');
    // 17 MiB of star-only ratings, then one with a review.
    const star = JSON.stringify({ id: 'r-000000', rating: '5', created: '2026-11-30T08:15:00.000Z', pad: 'x'.repeat(40) });
    const count = Math.ceil((17 * 1024 * 1024) / (star.length + 1));
    writeFileSync(input, `${`${star}\n`.repeat(count)}${JSON.stringify({ id: 'last', rating: '1', review: 'awful' })}\n`);
    const r = await runCli(['score', input, '--text-field', 'review', '-o', inDir('far.scored.jsonl')]);
    expect(r.code).toBe(2);
    expectCleanError(r.stderr);
    expect(r.stderr).toMatch(
      /^sentiment-batch: --text-field 'review' is in none of the first [\d,]+ records \(the first 16 MiB of the input, as far as the start-up looks; if records further on have it, put one of them first\); their fields are: 'id', 'rating', 'created', 'pad'( |$)/m,
    );
  });
});
