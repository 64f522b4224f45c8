import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runCli, warnMessages } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { nullWordWarning } from '../src/preflight/null-words.js';

// SQL Server Management Studio's "Save Results As" CSV writes a NULL as the word NULL, and pandas' astype(str) turns a
// missing review into 'nan': each such row was scored as a review of that word (exit 0, paid for with Workers AI), with
// no word of it, where an empty cell is skipped (empty_text) and not sent.
describe('a missing value written as a word (NULL, nan): said at start-up', () => {
  const { file, path: inDir } = useTempDir();

  it('names the column, the words, the count, and what to do', () => {
    expect(nullWordWarning(['great', 'NULL', 'nan', 'NULL', 'bad'], "--text-column 'body'", true, 'body')).toBe(
      "--text-column 'body' is 'NULL' or 'nan' in 3 of the first 5 rows: a missing value written as a word (SQL Server Management Studio " +
        "writes NULL so, pandas' astype(str) nan), which is scored, and billed with Workers AI, as a review of that word; write missing " +
        "values as empty cells in the export (ISNULL(body, '') in SQL, fillna('') in pandas), which are skipped (empty_text) and not sent",
    );
    // A word inside a review, or 'None' (an answer in a survey), is text.
    expect(nullWordWarning(['NULL pointer crash on start', 'None', 'null and void'], "--text-column 'body'", true)).toBeUndefined();
    // The embedded and local models bill and send nothing: the line says neither.
    expect(nullWordWarning(['NULL'], "--text-column 'body'", false, 'body')).toMatch(/which is scored as a review of that word; .*which are skipped \(empty_text\)$/);
  });

  it('score warns on a CSV whose NULL reviews are the word NULL, and on a JSONL field of "nan"', async () => {
    const csv = file('ssms.csv', 'id,body\n1,Great product\n2,NULL\n3,Terrible support\n');
    const score = await runCli(['score', csv, '--text-column', 'body', '-o', inDir('ssms.scored.csv'), '--log-format', 'json']);
    expect(score.code).toBe(0);
    expect(score.stderr).toMatch(/"level":40,[^\n]*"msg":"--text-column 'body' is 'NULL' in 1 of the first 3 rows: a missing value written as a word/);
    // No credentials: the embedded model, which bills nothing (it said "billed with Workers AI").
    expect(score.stderr).not.toContain('billed');
    const jsonl = file('pandas.jsonl', '{"id":1,"body":"lovely"}\n{"id":2,"body":"nan"}\n');
    const estimate = await runCli(['estimate', jsonl, '--text-field', 'body']);
    expect(estimate.code).toBe(0);
    expect(warnMessages(estimate.stderr)).toEqual([
      "--text-field 'body' is 'nan' in 1 of the first 2 records: a missing value written as a word, a string where JSON has null " +
        "(pandas' astype(str) writes nan so), which is scored as a review of that word; write a missing text as null in the export " +
        "(to_json without astype(str) in pandas), or leave the field out, or write an empty string: each is skipped (empty_text)",
    ]);
  });

  // A JSONL export has no cells, and R's write.csv writes none of it: its line said 'write missing values as empty cells
  // (write.csv(na = '') in R)', and 'of the first 6 rows' of 7 records, the one without the field left out of the count.
  it('JSONL: its own words (null, a field left out, an empty string), counting every record read, those without text too', async () => {
    const records = ['{"id":1,"text":"N/A"}', '{"id":2,"text":"great product"}', '{"id":3,"text":null}', '{"id":4}', '{"id":5,"text":""}', '{"id":6,"text":"NA"}', '{"id":7,"text":"awful"}'];
    const jsonl = file('form.jsonl', `${records.join('\n')}\n`);
    const estimate = await runCli(['estimate', jsonl]);
    expect(estimate.code, estimate.stderr).toBe(0);
    expect(warnMessages(estimate.stderr)).toEqual([
      "the text field 'text' (the default) is 'N/A' or 'NA' in 2 of the first 7 records: a missing value written as a word, a string " +
        'where JSON has null, which is scored as a review of that word; write a missing text as null in the export, or leave the field ' +
        'out, or write an empty string: each is skipped (empty_text)',
    ]);
    // What it says is skipped is: the null, the record without the field and the empty string (empty_text), exit 0.
    const score = await runCli(['score', jsonl, '-o', inDir('form.scored.jsonl'), '--summary-json', inDir('form.summary.json')]);
    expect(score.code, score.stderr).toBe(0);
    expect(JSON.parse(readFileSync(inDir('form.summary.json'), 'utf8'))).toMatchObject({ totals: { read: 7, scored: 4, skipped: 3 }, run: { skippedByCode: { empty_text: 3 } } });
    // --limit 3: of the records the run reads.
    const limited = await runCli(['estimate', jsonl, '--limit', '3']);
    expect(warnMessages(limited.stderr)).toEqual([expect.stringMatching(/^the text field 'text' \(the default\) is 'N\/A' in 1 of the first 3 records: /)]);
  });
  // R's write.csv and readr's write_csv write a missing value as NA, pandas' astype(str) turns pd.NA into <NA>, and a
  // form or a sheet holds N/A for no answer: each was scored as a review of that word (the embedded model: N/A NEGATIVE,
  // 0.75), with no word of it.
  it("names R's NA, pandas' <NA> and N/A, each with its writer, and R's way to write an empty cell", () => {
    expect(nullWordWarning(['lovely', 'NA', 'NA'], "--text-column 'body'", false, 'body')).toBe(
      "--text-column 'body' is 'NA' in 2 of the first 3 rows: a missing value written as a word (R's write.csv and readr's write_csv " +
        "write NA so), which is scored as a review of that word; write missing values as empty cells in the export (write.csv(na = '') in R), " +
        'which are skipped (empty_text)',
    );
    expect(nullWordWarning(['<NA>', 'n/a', 'N/A', 'fine'], "--text-field 'body'", true)).toBe(
      "--text-field 'body' is '<NA>' or 'n/a' or 'N/A' in 3 of the first 4 rows: a missing value written as a word (pandas' astype(str) " +
        "<NA>, a form's or a sheet's N/A for no answer), which is scored, and billed with Workers AI, as a review of that word; write missing " +
        "values as empty cells in the export (fillna('') in pandas, N/A replaced with an empty cell), which are skipped (empty_text) and not sent",
    );
    // A JSONL field: JSON's null is the missing value, and the count is of the records read (2 here without the text).
    expect(nullWordWarning(['<NA>', 'fine'], "--text-field 'body'", true, 'body', { records: 4 })).toBe(
      "--text-field 'body' is '<NA>' in 1 of the first 4 records: a missing value written as a word, a string where JSON has null " +
        "(pandas' astype(str) writes <NA> so), which is scored, and billed with Workers AI, as a review of that word; write a missing text " +
        'as null in the export (to_json without astype(str) in pandas), or leave the field out, or write an empty string: each is skipped ' +
        '(empty_text) and not sent',
    );
    // Inside a review, or another casing than the writers', it is text.
    expect(nullWordWarning(['N/A for my model, sadly', 'Na', 'nA'], "--text-column 'body'", true)).toBeUndefined();
  });

  it('score warns on an R export whose missing reviews are NA', async () => {
    const csv = file('r-export.csv', '"id","body"\n1,"Great product"\n2,NA\n3,"Terrible support"\n');
    const score = await runCli(['score', csv, '--text-column', 'body', '-o', inDir('r-export.scored.csv'), '--log-format', 'json']);
    expect(score.code).toBe(0);
    expect(score.stderr).toMatch(/"level":40,[^\n]*"msg":"--text-column 'body' is 'NA' in 1 of the first 3 rows: a missing value written as a word \(R's write.csv/);
  });
});
