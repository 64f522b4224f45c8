import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';

/**
 * A spreadsheet's export (Shopify's reviews through Google Sheets or Excel) often ends with rows whose every cell is
 * empty (`,,,,,`): cells once formatted, or rows cleared but not deleted. They are records, written back as read
 * (every input record comes back) and skipped as empty_text; but the summary said only "rows 10: scored 8, skipped 2"
 * of an export of 8 reviews, nothing telling those two rows apart from reviews left blank.
 */
const HEADER = '"Review Title","Review Content","Rating","Reviewer Name"\n';
const reviews = [
  '"Great little speaker","Absolutely love it, the sound is crisp.","5","Customer 1"',
  '"Broke after a week","Stopped charging after seven days.","1","Customer 2"',
  '"No words","","4","Customer 3"',
].join('\n');

describe('CSV rows whose every field is empty', () => {
  const { file, path: inDir } = useTempDir();

  it('are written back, skipped as empty_text, and counted apart in the summary and --summary-json', async () => {
    const input = file('shop.csv', `${HEADER}${reviews}\n,,,\n,,,\n\n`);
    const output = inDir('shop.scored.csv');
    const summaryJson = inDir('shop.summary.json');
    const r = await runCli(['score', input, '--text-column', 'Review Content', '-o', output, '--summary-json', summaryJson, '--backend', 'embedded']);
    expectCleanError(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\n  rows 5: scored 2, skipped 3, failed 0\n');
    // The review left blank (Customer 3) is an empty text; the two rows with no cell filled are said to be blank rows.
    expect(r.stdout).toContain('\n  skipped by code: empty_text 3\n  empty_text: 2 rows are blank, every field empty (rows a spreadsheet kept after clearing or formatting them); written back as read\n');
    const run = (JSON.parse(readFileSync(summaryJson, 'utf8')) as { run: { blankRows?: number; skippedByCode: Record<string, number> } }).run;
    expect(run.blankRows).toBe(2);
    expect(run.skippedByCode).toEqual({ empty_text: 3 });
    // Every input record comes back: the blank rows too, with the skip said in the error column.
    const lines = readFileSync(output, 'utf8').split('\n');
    expect(lines.slice(4, 6).every((line) => line.startsWith(',,,,') && line.endsWith('empty_text: the text is empty or only white space; not sent'))).toBe(true);
  });

  it('an export of blank rows alone is said to be empty, not to have its text in another column', async () => {
    // It said 'the text column ... is empty in every one of the 2 rows; if another column holds the reviews, run again
    // with --text-column NAME': no column holds anything.
    const input = file('cleared.csv', `${HEADER},,,\n,,,\n`);
    const summaryJson = inDir('cleared.summary.json');
    const r = await runCli(['score', input, '--text-column', 'Review Content', '-o', inDir('cleared.scored.csv'), '--summary-json', summaryJson, '--backend', 'embedded']);
    expect(r.code).toBe(0);
    const warning = 'no row was scored: every field of each of the 2 rows is empty (blank rows, as a spreadsheet exports a sheet cleared of its rows); check the export';
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`  ${warning}`);
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ warning, run: { blankRows: 2 } });
  });

  it('a row of fewer delimiters than the header (Excel leaves out those of empty cells at a row\'s end) is a blank row too', async () => {
    // `,,` and `,` under a header of 4 columns failed as ragged_row ('expected 4 fields, got 3'): rows that hold nothing
    // counted as broken input, toward --max-error-rate. A row of cells after its delimiters is still a ragged one, and
    // so is one of more delimiters than the header's (no spreadsheet writes those), empty or not.
    const input = file('short.csv', `${HEADER}${reviews}\n,,\n,\n,x\n,,,,,\n`);
    const output = inDir('short.scored.csv');
    const summaryJson = inDir('short.summary.json');
    const r = await runCli(['score', input, '--text-column', 'Review Content', '-o', output, '--summary-json', summaryJson, '--backend', 'embedded']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\n  rows 7: scored 2, skipped 3, failed 2\n');
    expect(r.stdout).toContain('\n  empty_text: 2 rows are blank, every field empty (rows a spreadsheet kept after clearing or formatting them); written back as read\n');
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ run: { blankRows: 2, skippedByCode: { empty_text: 3 }, failuresByCode: { ragged_row: 2 } } });
    // Written back as read, padded with empty cells so that the new ones line up under their header, as a short row's are.
    const noText = 'empty_text: the text is empty or only white space; not sent';
    // The short one's failure names its missing cells and how to score it, were they empty (io/short-row.ts).
    const short =
      "ragged_row: expected 4 fields, got 2: no cell for 'Rating', 'Reviewer Name' at its end; if they are empty (Excel's CSV leaves out the delimiters of " +
      "empty cells that end a row), add ',,' at the row's end to score it";
    expect(readFileSync(output, 'utf8').split('\n').slice(4, 8)).toEqual([`,,,,,,,,${noText}`, `,,,,,,,,${noText}`, `,x,,,,,,,"${short}"`, ',,,,,,,,,,"ragged_row: expected 4 fields, got 6"']);
  });

  it('a review left blank alone is no blank row: no such line, no blankRows', async () => {
    const input = file('none.csv', `${HEADER}${reviews}\n`);
    const summaryJson = inDir('none.summary.json');
    const r = await runCli(['score', input, '--text-column', 'Review Content', '-o', inDir('none.scored.csv'), '--summary-json', summaryJson, '--backend', 'embedded']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\n  skipped by code: empty_text 1\n');
    expect(r.stdout).not.toContain('blank');
    expect((JSON.parse(readFileSync(summaryJson, 'utf8')) as { run: { blankRows?: number } }).run.blankRows).toBeUndefined();
  });
  // One column: an empty cell is an empty text, nothing more to tell (csv-row.ts): no blank-row line for it.
  it('a one-column export: an empty cell is a review left blank, not a blank row', async () => {
    const input = file('one.csv', 'review\n"Absolutely love it"\n""\n"Broke after a week"\n');
    const summaryJson = inDir('one.summary.json');
    const r = await runCli(['score', input, '--text-column', 'review', '-o', inDir('one.scored.csv'), '--summary-json', summaryJson, '--backend', 'embedded']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\n  skipped by code: empty_text 1\n');
    expect(r.stdout).not.toContain('blank');
    expect((JSON.parse(readFileSync(summaryJson, 'utf8')) as { run: { blankRows?: number } }).run.blankRows).toBeUndefined();
  });
});
