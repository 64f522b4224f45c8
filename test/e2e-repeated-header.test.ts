// A CSV header repeated where exports were joined (cat a.csv b.csv) is skipped, as an empty text is: not scored, and not
// a failure that --max-error-rate counts. As a failure, joined exports most of them a header alone (a quiet day, hours
// without reviews) ended exit 5 under any limit: 'cat' of three header-only exports gave '2 of 2 rows read could not be
// read (ragged rows, lines that are not JSON objects, a missing text field) … (limit --max-error-rate 1, but not one
// succeeded)', a cause the file did not have, where one header-only export ends done, exit 0.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { scoreInBuiltProcess } from './support/score-in-built-process.js';

// The runs' summaries and files are the subject, not how they end: they score in this process
// (support/score-in-built-process.ts); report and estimate are spawned.
describe('exports joined with cat, each with its header', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());
  const NOT_SCORED = '"repeated_header: the row repeats the header (files joined, such as cat a.csv b.csv?); not scored"';

  it('a quiet day (every export a header alone) is done, exit 0, its headers skipped', async () => {
    const input = path.join(dir, 'quiet.csv');
    writeFileSync(input, 'id,text\n'.repeat(3));
    const output = path.join(dir, 'quiet.out.csv');
    const run = await scoreInBuiltProcess([input, '-o', output]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('rows 2: scored 0, skipped 2, failed 0');
    expect(run.stdout).toContain('skipped by code: repeated_header 2');
    expect(readFileSync(output, 'utf8').split('\n')[1]).toBe(`id,text,,,,,${NOT_SCORED}`);
    // As for one header-only export (test/e2e-bad-input.test.ts): the night had no rows, and the summary says so.
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(
      '  the exports had no rows: every row read repeats the header (exports joined, each its header alone), and the output is now those headers alone, replacing any earlier output at its path; check the export',
    );
  });

  it('hours most of them without reviews: done, exit 0; the report and the estimate count the headers as the run does', async () => {
    const input = path.join(dir, 'hourly.csv');
    writeFileSync(input, `${'id,text\n'.repeat(5)}id,text\n1,great\n2,awful\n`);
    const output = path.join(dir, 'hourly.out.csv');
    const run = await scoreInBuiltProcess([input, '-o', output]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('rows 7: scored 2, skipped 5, failed 0');
    const report = await runCli(['report', output, '-o', '-', '--format', 'json']);
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout).totals).toMatchObject({ rows: 7, scored: 2, skipped: 5, failed: 0, skippedByCode: { repeated_header: 5 } });
    const estimate = await runCli(['estimate', input]);
    expect(estimate.stdout).toContain('unreadable rows 0');
  });

  it('one column: a row equal to its name may be a review of that word, and the cell, the summary and --summary-json say so', async () => {
    // Was: 'text\ntext\ngreat app\n' said only 'skipped by code: repeated_header 1' and, in the cell, 'the row repeats
    // the header (files joined …)', as if it were sure, where a review reading 'text' is the same row.
    const input = path.join(dir, 'one.csv');
    writeFileSync(input, 'text\ntext\ngreat app\n\uFEFFtext\n');
    const output = path.join(dir, 'one.out.csv');
    const json = path.join(dir, 'one.summary.json');
    const run = await scoreInBuiltProcess([input, '-o', output, '--summary-json', json]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('rows 3: scored 1, skipped 2, failed 0');
    const line = "repeated_header: 2 rows equal to the only column's name 'text': the header of files joined (cat a.csv b.csv?) or a review of just that word, which one column cannot tell apart; not scored";
    expect(run.stdout).toContain(`  skipped by code: repeated_header 2\n  ${line}\n`);
    expect(JSON.parse(readFileSync(json, 'utf8')).oneColumnRepeat).toBe(line);
    const rows = readFileSync(output, 'utf8').split('\n');
    expect(rows[1]).toBe(`text,,,,,"repeated_header: the row is the one column's name 'text' again: the header of files joined (cat a.csv b.csv?) or a review of just that word, which one column cannot tell apart; not scored"`);
    // A BOM opening the line is a joined file's header, never a review.
    expect(rows[3]).toBe(`\uFEFFtext,,,,,${NOT_SCORED}`);
    // Two columns: no such line.
    const two = await scoreInBuiltProcess([path.join(dir, 'quiet.csv'), '-o', path.join(dir, 'quiet2.out.csv'), '--log-level', 'warn']);
    expect(two.stdout).not.toContain("only column's name");
  });
});
