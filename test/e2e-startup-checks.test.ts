import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCORED_CELLS, expectCsvCellsAppended, joinLines, OUTPUT_COLUMNS, type WrittenLine } from './support/appended.js';
import { runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';
import { scoreInBuiltProcess } from './support/score-in-built-process.js';

/** An app-store style JSONL export: the text is in `review`, not `text`. */
const appReviews = (count: number): string =>
  Array.from({ length: count }, (_, i) => JSON.stringify({ id: i, title: `Title ${i}`, review: `review ${i}: ${i % 2 ? 'love this app' : 'crashes all the time'}`, stars: (i % 5) + 1 })).join('\n') + '\n';

describe('startup checks: the wrong field, an empty input, an already scored file', () => {
  const { file, path: inDir } = useTempDir();

  it('JSONL without the default text field: exit 2 listing the fields, suggesting the likeliest; nothing written', async () => {
    const input = file('app.jsonl', appReviews(150));
    const output = inDir('out.jsonl');
    const r = await runCli(['score', input, '-o', output]);
    expect(r.code).toBe(2);
    expectCleanError(r.stderr);
    expect(r.stderr).toContain(
      // Looked for in every record, past the first 100 (field-look-ahead.ts): a field no record has is a wrong name.
      "the text field 'text' (the default; name yours with --text-field) is in none of the 150 records; their fields are: 'id', 'title', 'review', 'stars' (did you mean 'review'?)",
    );
    expect(existsSync(`${output}.partial`)).toBe(false);
    expect(existsSync(`${output}.checkpoint.json`)).toBe(false);

    const typo = await runCli(['estimate', input, '--text-field', 'Reveiw']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("--text-field 'Reveiw' is in none of the 150 records; their fields are: 'id', 'title', 'review', 'stars' (did you mean 'review'?)");
  });

  it('CSV without the default text column: exit 2 saying it is the default, listing the columns, suggesting the likeliest; nothing written', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},2026-11-0${(i % 9) + 1},review ${i}: ${i % 2 ? 'love this app' : 'crashes all the time'},${(i % 5) + 1}`);
    const input = file('app.csv', ['id,date,body,stars', ...rows].join('\n') + '\n');
    const output = inDir('out.csv');
    const r = await runCli(['score', input, '-o', output]);
    expect(r.code).toBe(2);
    expectCleanError(r.stderr);
    expect(r.stderr).toContain("the text column 'text' (the default; name yours with --text-column) is not in the header; the columns are: 'id', 'date', 'body', 'stars' (did you mean 'body'?)");
    expect(existsSync(`${output}.partial`)).toBe(false);
    expect(existsSync(`${output}.checkpoint.json`)).toBe(false);
  });

  // Booking.com's export splits each review into Negative_Review and Positive_Review: offered the first alone, a user
  // scored only the complaints (6,764 of 10,000 NEGATIVE against 3,609 with both columns joined).
  it('CSV without the default text column, whose review is split into two long columns: both are offered, joined', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},the room was small and the street noisy at night,breakfast was lovely and the staff kind,${(i % 5) + 6}`);
    const input = file('booking.csv', ['id,Negative_Review,Positive_Review,Reviewer_Score', ...rows].join('\n') + '\n');
    const r = await runCli(['score', input, '-o', inDir('booking-out.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "sentiment-batch: the text column 'text' (the default; name yours with --text-column) is not in the header; the columns are: 'id', 'Negative_Review', 'Positive_Review', 'Reviewer_Score' (did you mean 'Negative_Review'? 'Positive_Review' holds text too: to score both, joined, give --text-column 'Negative_Review' --text-column 'Positive_Review')\n",
    );
    const job = file('booking-job.json', JSON.stringify({ input: 'booking.csv', output: 'booking-job-out.csv' }));
    const run = await runCli(['run', job]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/\(did you mean 'Negative_Review'\? 'Positive_Review' holds text too: to score both, joined, .*"textColumn".*\["Negative_Review","Positive_Review"\]/);
  });

  // A business's reply beside each review is as long as it: joining them scores the owner's thanks with the guest's
  // words. Offered as "'review' holds text too: to score both, joined" (review68); a reply is no half of the review.
  it('CSV without the default text column, a review and its reply: joining them is not offered', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => `${i},"The room was lovely and the staff were kind ${i}","Thank you so much for your kind words, we hope to see you ${i}"`);
    const input = file('replies.csv', ['id,review,reply', ...rows].join('\n') + '\n');
    const r = await runCli(['score', input, '-o', inDir('replies-out.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('joined');
    const job = file('replies-job.json', JSON.stringify({ input: 'replies.csv', output: 'replies-job-out.csv' }));
    const run = await runCli(['run', job]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('joined');
  });

  // `--text-column title --text-column text` on a file without a title offered "did you mean 'text'?", a column already named.
  it('CSV: of several text columns named, one not in the header is to be dropped when the others are there', async () => {
    const input = file('two.csv', 'id,text\n1,this was a great stay\n2,awful room and rude staff\n');
    const r = await runCli(['score', input, '-o', inDir('two-out.csv'), '--text-column', 'title', '--text-column', 'text']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("sentiment-batch: --text-column 'title' is not in the header; the columns are: 'id', 'text'; to score 'text' without it, drop --text-column 'title'\n");
  });

  it('a text column with no name is never offered as "did you mean \'\'?" (--text-column \'\' is refused): the message says to name it', async () => {
    const input = file('unnamed.csv', 'id,\n1,great movie\n');
    const r = await runCli(['score', input, '-o', inDir('unnamed-out.csv')]);
    expect(r.code).toBe(2);
    expectCleanError(r.stderr);
    expect(r.stderr).toBe(
      "sentiment-batch: the text column 'text' (the default; name yours with --text-column) is not in the header; the columns are: 'id', '' " +
        '(column 2 holds text but has no name, and --text-column needs one: write a name for it in the header, such as text, which is read by default)\n',
    );
    // A short name one edit from '' was offered it too.
    const typo = await runCli(['score', file('unnamed2.csv', 'id,,stars\n1,,5\n'), '-o', inDir('unnamed2-out.csv'), '--text-column', 'x']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).not.toMatch(/did you mean ''/);
    const jsonl = await runCli(['score', file('unnamed.jsonl', '{"id":1,"":"great movie"}\n'), '-o', inDir('unnamed-out.jsonl')]);
    expect(jsonl.code).toBe(2);
    expect(jsonl.stderr).toContain("its fields are: 'id', '' (the longest texts are in the field '', which has an empty key, and --text-field cannot name it: rename that key in the records)");
  });

  // --text-column and --text-field set one setting (either reads a CSV column or a JSONL field), but the messages
  // named the format's flag: 'score in.csv --text-field reveiw' said "--text-column 'reveiw' is not in the header", a
  // flag the user never typed (and report the same).
  it('a text named with the other format\'s flag (--text-field on a CSV, --text-column on JSONL) is named by the flag typed', async () => {
    const csv = file('flag.csv', 'id,review,stars\n1,great little speaker,5\n2,broke in a week,1\n');
    const field = await runCli(['score', csv, '-o', inDir('flag-out.csv'), '--text-field', 'reveiw']);
    expect(field.code).toBe(2);
    expect(field.stderr).toBe("sentiment-batch: --text-field 'reveiw' is not in the header; the columns are: 'id', 'review', 'stars' (did you mean 'review'?)\n");
    const jsonl = file('flag.jsonl', '{"id":1,"review":"great little speaker"}\n');
    const column = await runCli(['score', jsonl, '-o', inDir('flag-out.jsonl'), '--text-column', 'reveiw']);
    expect(column.code).toBe(2);
    expect(column.stderr).toBe("sentiment-batch: --text-column 'reveiw' is not in the first record; its fields are: 'id', 'review' (did you mean 'review'?)\n");
    // The numbers check names it too, in its advice as well.
    const numbers = file('numbers.csv', ['id,review,stars', ...Array.from({ length: 12 }, (_, i) => `${i},lovely thing number ${i},${(i % 5) + 1}`)].join('\n') + '\n');
    const stars = await runCli(['estimate', numbers, '--text-field', 'stars']);
    expect(stars.code).toBe(2);
    expect(stars.stderr).toMatch(/^sentiment-batch: --text-field 'stars' holds only numbers in the first 12 rows .*; the column 'review' holds text: run again with --text-field 'review'; if these are the reviews, run again with --allow-numeric-text\n$/);
    // A job file's "textField" is named as the file spells it, not as a flag nobody typed; a flag overrides it and is named.
    const job = file('flag-job.json', JSON.stringify({ input: csv, output: inDir('flag-job-out.csv'), textField: 'reveiw' }));
    const run = await runCli(['run', job]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`sentiment-batch: job file ${job}: "textField" 'reveiw' is not in the header; the columns are: 'id', 'review', 'stars' (did you mean 'review'?)\n`);
    // A job file that does not set "delimiter": the advice adds the key; `add --delimiter ';'` mended one run, and the
    // nightly run of the file failed again every night.
    const semicolons = file('flag-semi.csv', 'id;review\n1;great little speaker\n');
    const nightly = file('flag-semi-job.json', JSON.stringify({ input: semicolons, output: inDir('flag-semi-out.csv'), textColumn: 'review' }));
    const semi = await runCli(['run', nightly]);
    expect(semi.code).toBe(2);
    expect(semi.stderr).toMatch(/the header has only one column and the file looks ';'-separated: add "delimiter": ";" to the job file\n$/);
    // A headerless list of reviews, the first holding a ';' (and none a ','): the records below tell it from a ';' file.
    const list = file('semi-reviews.csv', 'Great product; works well\nTerrible broke in a day\nFine for the price\nNot bad at all\n');
    const listed = await runCli(['score', list, '-o', inDir('semi-reviews-out.csv')]);
    expect(listed.code).toBe(2);
    expect(listed.stderr).not.toContain('-separated');
    expect(listed.stderr).toContain("the first line reads as a record, not a header ('Great product; works well' is a text");
    // Every line quoted whole: said so, not offered as a name.
    const whole = file('quoted-lines.csv', '"id;text"\n"1;Great product"\n"2;Terrible"\n');
    const quotedLines = await runCli(['score', whole, '-o', inDir('quoted-lines-out.csv')]);
    expect(quotedLines.code).toBe(2);
    expect(quotedLines.stderr).not.toContain('did you mean');
    expect(quotedLines.stderr).toContain("the header is one quoted cell holding ';' ('id;text'), as are the records below it");
    const overridden = await runCli(['run', job, '--text-column', 'reveiw']);
    expect(overridden.code).toBe(2);
    expect(overridden.stderr).toContain("sentiment-batch: --text-column 'reveiw' is not in the header");
    // Given right, it reads the column, as before (in this process: the scored file is the report's input below).
    const right = await scoreInBuiltProcess([csv, '-o', inDir('flag-right.csv'), '--text-field', 'review']);
    expect(right.code).toBe(0);
    // report: the same.
    const scored = inDir('flag-right.csv');
    const report = await runCli(['report', scored, '--text-field', 'reveiw', '-o', inDir('flag.html')]);
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(/^sentiment-batch: --text-field 'reveiw' is not in the header; .* \(did you mean 'review'\?\)\n$/);
  });

  it('a headerless CSV whose ids are codes (jq @csv): the no-header advice, not its first review offered as a column', async () => {
    const input = file(
      'nohead.csv',
      '"a1b2","Absolutely love it, the battery lasts for days and the screen is bright."\n"c3d4","Terrible. Broke after a week and support never answered my emails."\n',
    );
    const r = await runCli(['score', input, '--backend', 'embedded', '-o', inDir('nohead-out.csv')]);
    expect(r.code).toBe(2);
    expectCleanError(r.stderr);
    expect(r.stderr).toContain("the first line reads as a record, not a header ('a1b2' is shaped as the 'c3d4' below it");
    expect(r.stderr).not.toContain('did you mean');
  });

  it("Excel's sep= first line: exit 3 saying to delete that line (and the delimiter it names), never the dead end of --delimiter ';' then \"did you mean ''?\"", async () => {
    const input = file('excel.csv', 'sep=;\r\nid;text\r\n1;great movie\r\n');
    const output = inDir('excel-out.csv');
    const r = await runCli(['score', input, '-o', output]);
    expect(r.code).toBe(3);
    expectCleanError(r.stderr);
    expect(r.stderr).toBe(
      "sentiment-batch: the first line is Excel's 'sep=;', which names the delimiter, not a header row with the column names: delete that line so the header comes first, then run with --delimiter ';'\n",
    );
    const followed = await runCli(['score', input, '-o', output, '--delimiter', ';']);
    expect(followed.code).toBe(3);
    expect(followed.stderr).toMatch(/delete that line so the header comes first\n$/);
    expect(existsSync(`${output}.partial`)).toBe(false);
    // With the line deleted, as the message says, it runs (in this process: its exit code is scoreCommand's).
    const fixed = await scoreInBuiltProcess([file('excel-fixed.csv', 'id;text\r\n1;great movie\r\n'), '-o', output, '--delimiter', ';']);
    expect(fixed.code).toBe(0);
  });

  /**
   * Until 2026-12-05 these rows failed missing_text_field (exit 5 past --max-error-rate): a record without a field the
   * first records have is also what an export that leaves out a NULL writes (BigQuery), further on as in the first 100
   * (e2e-jsonl-left-out-later.test.ts). They are no text now, and the summary counts them apart with the way to name a
   * renamed field as well.
   */
  it('a field that disappears after the first records: those rows are no text, counted apart; naming the new field too scores them', async () => {
    const good = appReviews(100);
    const renamed = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ id: 100 + i, body: `later review ${i}` })).join('\n') + '\n';
    const input = file('drift.jsonl', good + renamed);
    const output = inDir('out.jsonl');
    const r = await runCli(['score', input, '--text-field', 'review', '-o', output]);
    expect(r.code).toBe(0);
    expectCleanError(r.stderr);
    expect(r.stdout).toMatch(/rows 1,100: scored 100, skipped 1,000, failed 0\n/);
    expect(r.stdout).toContain(
      '\n  empty_text: 1,000 rows lack the text field (an export that leaves out a NULL writes them so), read as no text; if later records renamed the field, name the new one as well\n',
    );
    const written = readFileSync(output, 'utf8').split('\n').filter((line) => line !== '');
    expect(written.slice(0, 100).every((line) => line.includes('"sentiment":{"label"'))).toBe(true);
    expect(written.slice(100).every((line) => line.includes('"code":"empty_text"'))).toBe(true);
    // Both fields named: each record's text is the one it has (its summary alone is the subject: in this process).
    const both = await scoreInBuiltProcess([input, '--text-field', 'review', '--text-field', 'body', '-o', inDir('both.jsonl')]);
    expect(both.code).toBe(0);
    expect(both.stdout).toMatch(/rows 1,100: scored 1,100, skipped 0, failed 0\n/);
    expect(both.stdout).not.toContain('lack the text field');
  });

  it('an empty JSONL file (or blank lines only, or only a BOM) is an input error (exit 3)', async () => {
    for (const [name, content] of [['empty.jsonl', ''], ['blank.jsonl', '\n  \n'], ['bom.jsonl', '\uFEFF']] as const) {
      const input = file(name, content);
      const r = await runCli(['score', input, '-o', inDir(`out-${name}`)]);
      expect([name, r.code]).toEqual([name, 3]);
      expectCleanError(r.stderr);
      // Named as other input errors name it.
      expect(r.stderr).toContain(`input '${input}' is empty or holds only blank lines: expected one JSON object per line`);
    }
  });

  it('empty standard input is an input error for JSONL and CSV; estimate agrees', async () => {
    for (const format of ['jsonl', 'csv']) {
      const r = await runCli(['score', '-', '--format', format, '-o', inDir(`stdin.${format}`)], { input: '' });
      expect([format, r.code]).toEqual([format, 3]);
      // Named as standard input, not as the copy of it that is read.
      expect(r.stderr).toMatch(/sentiment-batch: standard input is empty/);
    }
    const empty = file('e2.jsonl', '');
    const estimate = await runCli(['estimate', empty]);
    expect(estimate.code).toBe(3);
    expect(estimate.stderr).toContain(`input '${empty}' is empty or holds only blank lines`);
    const emptyCsv = file('e3.csv', '');
    for (const command of ['estimate', 'report']) {
      const r = await runCli([command, emptyCsv]);
      expect([command, r.code]).toEqual([command, 3]);
      expect(r.stderr).toContain(`input '${emptyCsv}' is empty: expected a header row with the column names`);
    }
  });

  it('re-scoring a scored CSV is refused with the way out; --prefix adds a second set under another name', async () => {
    const header = { body: 'id,review', ending: '\n' };
    const lines: WrittenLine[] = [
      { body: '1,great phone', ending: '\n', cells: SCORED_CELLS },
      { body: '2,"awful, broke in a week"', ending: '\n', cells: SCORED_CELLS },
    ];
    const input = file('in.csv', joinLines(header, lines));
    const once = inDir('once.csv');
    // The scored file to score again is made in this process: the refusal below is the subject, spawned.
    expect((await scoreInBuiltProcess([input, '--text-column', 'review', '-o', once])).code).toBe(0);
    expectCsvCellsAppended(readFileSync(once, 'utf8'), header, lines);

    const twice = inDir('twice.csv');
    const refused = await runCli(['score', once, '--text-column', 'review', '-o', twice]);
    expect(refused.code).toBe(2);
    expectCleanError(refused.stderr);
    expect(refused.stderr).toContain("the input already has the columns 'sentiment_label', 'sentiment_positive', 'sentiment_negative', 'sentiment_truncated', 'sentiment_error'");
    expect(refused.stderr).toContain('--prefix');
    expect(existsSync(`${twice}.partial`)).toBe(false);

    const renamed = await scoreInBuiltProcess([once, '--text-column', 'review', '-o', twice, '--prefix', 'again']);
    expect(renamed.code).toBe(0);
    const onceText = readFileSync(once, 'utf8');
    const againCells = String.raw`(?:POSITIVE|NEGATIVE),[-0-9.e]+,[-0-9.e]+,(?:true)?,`;
    const onceLines = onceText.split('\n');
    expect(readFileSync(twice, 'utf8')).toMatch(
      new RegExp(
        `^${escape(onceLines[0]!)},again_label,again_positive,again_negative,again_truncated,again_error\\n` +
          `${escape(onceLines[1]!)},${againCells}\\n${escape(onceLines[2]!)},${againCells}\\n$`,
      ),
    );
    expect(onceLines[0]).toBe(`id,review,${OUTPUT_COLUMNS}`);
  });

  it('re-scoring a scored JSONL is refused the same way', async () => {
    const input = file('in.jsonl', appReviews(3));
    const once = inDir('once.jsonl');
    expect((await scoreInBuiltProcess([input, '--text-field', 'review', '-o', once])).code).toBe(0);
    const refused = await runCli(['score', once, '--text-field', 'review', '-o', inDir('twice.jsonl')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("all of the input's first 3 records already have a 'sentiment' field, so it looks scored already");
    expect(refused.stderr).toContain('--prefix');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
