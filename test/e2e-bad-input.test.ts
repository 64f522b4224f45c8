import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { expectCleanError } from './support/e2e-dir.js';
import { scoreInBuiltProcess } from './support/score-in-built-process.js';


const HAS_MKFIFO = (() => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('bad input gets a clear error or a per-row outcome', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const score = async (name: string, content: string | Buffer, extra: string[] = []) => {
    const input = path.join(dir, name);
    writeFileSync(input, content);
    const output = path.join(dir, `out-${name.replace(/\.gz$/, '')}`);
    const result = await runCli(['score', input, '-o', output, ...extra]);
    return { ...result, output };
  };
  /**
   * The same run in this process (support/score-in-built-process.ts), for a test whose subject is the rows and summary
   * it writes, not its exit code nor standard error: no CLI start.
   */
  const scoreHere = async (name: string, content: string | Buffer, extra: string[] = []) => {
    const input = path.join(dir, name);
    writeFileSync(input, content);
    const output = path.join(dir, `out-${name.replace(/\.gz$/, '')}`);
    const result = await scoreInBuiltProcess([input, '-o', output, ...extra]);
    return { ...result, output };
  };

  it('ragged rows fail one by one and keep the columns aligned', async () => {
    const r = await scoreHere('ragged.csv', 'id,text,stars\n1,great product,5\n2,too short\n3,lovely,4,extra\n4,awful,1\n');
    expect(r.code).toBe(0);
    const rows = parse(readFileSync(r.output), { relax_column_count: true }) as string[][];
    expect(rows).toHaveLength(5);
    // Short of its last cell, its text there: the failure names the cell and how to score the row (io/short-row.ts).
    expect(rows[2]).toEqual(['2', 'too short', '', '', '', '', '', expect.stringMatching(/^ragged_row: expected 3 fields, got 2: no cell for 'stars' at its end; if it is empty \(Excel's CSV/)]);
    expect(rows[3]?.[8]).toMatch(/^ragged_row/);
    expect(rows[4]?.[3]).toMatch(/POSITIVE|NEGATIVE/);
    expect(r.stdout).toMatch(/rows 4: scored 2, skipped 0, failed 2/);
  });

  it('an unterminated quote stops with exit 3, a line number, and the rows before it kept', async () => {
    const r = await score('quote.csv', 'id,text\n1,fine\n2,"never closed\n3,more\n');
    expect(r.code).toBe(3);
    expectCleanError(r.stderr);
    expect(r.stderr).toMatch(/quote/i);
    expect(r.stderr).toMatch(/line 3/);
    expect(existsSync(r.output)).toBe(false);
    expect(readFileSync(`${r.output}.partial`, 'utf8')).toMatch(/^id,text,sentiment_label.*\n1,fine,(POSITIVE|NEGATIVE),/);
  });

  it('an export cut inside its last, unquoted row stops with exit 3 saying it looks cut short, the rows before it kept', async () => {
    // Was: one ragged_row failed row and exit 0, no word that the export was cut (every row after the cut missing, unseen).
    const r = await score('cut.csv', 'id,text,stars\n1,fine,5\n2,it was o');
    expect(r.code).toBe(3);
    expectCleanError(r.stderr);
    expect(r.stderr).toContain("the input ends inside a row: the record starting at line 3, byte 23 has 2 of the header's 3 fields and no line ending; the export looks cut short");
    expect(existsSync(r.output)).toBe(false);
    expect(readFileSync(`${r.output}.partial`, 'utf8')).toMatch(/^id,text,stars,sentiment_label.*\n1,fine,5,(POSITIVE|NEGATIVE),[^\n]*\n$/);
  });

  it('invalid UTF-8 stops with exit 3 naming the byte', async () => {
    const bytes = Buffer.concat([Buffer.from('id,text\n1,ok\n2,bad '), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]);
    const r = await score('latin.csv', bytes);
    expect(r.code).toBe(3);
    expectCleanError(r.stderr);
    expect(r.stderr).toMatch(/not valid UTF-8 at byte 19/);
  });

  it('NUL bytes and a 5 MiB field are scored like any text', async () => {
    // Past the 4 MiB the text-column check samples (src/preflight/csv-text-columns.ts) and under the 16 MiB a record may
    // hold: 10 MB ran 12 s at load average ~13, the default tier's longest bad-input test.
    const big = 'great '.repeat((5 * 1024 * 1024) / 6);
    const r = await scoreHere('odd.csv', `id,text\n1,with a \u0000 nul\n2,${big}\n`);
    expect(r.code).toBe(0);
    const rows = parse(readFileSync(r.output)) as string[][];
    expect(rows[1]?.[1]).toBe('with a \u0000 nul');
    expect(rows[2]?.[1]).toBe(big);
    expect(rows[2]?.[2]).toMatch(/POSITIVE|NEGATIVE/);
  });

  it('a header-only file gives a header-only output, with a warning; an empty file is an input error', async () => {
    // Last night's export had rows; tonight's came out empty but for its header. Before: "Done", rows 0, exit 0, and
    // not a word that last night's rows were gone from the output.
    const summaryJson = path.join(dir, 'header-summary.json');
    expect((await scoreHere('header.csv', 'id,text\n1,great\n', ['--summary-json', summaryJson])).code).toBe(0);
    const headerOnly = await score('header.csv', 'id,text\n', ['--summary-json', summaryJson]);
    expect(headerOnly.code).toBe(0);
    expect(readFileSync(headerOnly.output, 'utf8')).toBe('id,text,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n');
    const line = 'the export had no rows: the input holds only its header, and the output is now a header-only file, replacing any earlier output at its path; check the export';
    expect(headerOnly.stdout.trimEnd().split('\n').at(-1)).toBe(`  ${line}`);
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ status: 'done', exitCode: 0, warning: line });
    // JSON logs (stderr is no terminal here): at warn, for a collector that alerts on levels.
    expect(headerOnly.stderr.split('\n').some((l) => l.includes('"level":40') && l.includes(line))).toBe(true);
    const empty = await score('empty.csv', '');
    expect(empty.code).toBe(3);
    expectCleanError(empty.stderr);
    expect(empty.stderr).toMatch(/empty/);
  });

  it('a missing text column is a startup error listing the columns', async () => {
    const r = await score('cols.csv', 'id,body,stars\n1,nice,5\n', ['--text-column', 'review']);
    expect(r.code).toBe(2);
    expectCleanError(r.stderr);
    expect(r.stderr).toMatch(/review/);
    expect(r.stderr).toMatch(/the columns are: 'id', 'body', 'stars'/);
  });

  it('a text column blank in every row: done (exit 0, the output is right), but the summary says so and names the column that holds text', async () => {
    // Before: "Done", rows 300: scored 0, skipped 300, and not a word more.
    const content = `id,review,text\n${Array.from({ length: 300 }, (_, i) => `${i},this is a really great product i love it,\n`).join('')}`;
    const summaryJson = path.join(dir, 'blank-summary.json');
    const r = await score('blank.csv', content, ['--summary-json', summaryJson]);
    expect(r.code).toBe(0);
    const line = "no row was scored: the text column 'text' (the default) is empty in every one of the 300 rows; the column 'review' holds text: run again with --text-column 'review'";
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`  ${line}`);
    expect((JSON.parse(readFileSync(summaryJson, 'utf8')) as { warning?: string; status: string }).warning).toBe(line);
    // JSON logs (stderr is no terminal here): a warn line of its own, for a collector that alerts on levels.
    expect(r.stderr.split('\n').some((l) => l.includes('"level":40') && l.includes(line))).toBe(true);
    // The output is still the input plus the new columns.
    const out = readFileSync(r.output, 'utf8').split('\n');
    content.split('\n').forEach((l, i) => expect(out[i]?.startsWith(l)).toBe(true));
    // Named, it runs.
    const named = await scoreHere('blank.csv', content, ['--text-column', 'review', '--restart']);
    expect(named.code).toBe(0);
    expect(named.stdout).toMatch(/rows 300: scored 300, skipped 0, failed 0/);
    expect(named.stdout).not.toMatch(/no row was scored/);
  });

  it('JSONL: a text field null or empty in every record says so too, naming the field that holds text', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify({ id: i, date: '2024-01-02', review: 'this is a really great product i love it', text: i % 2 === 0 ? null : '' }));
    const r = await scoreHere('blank.jsonl', `${lines.join('\n')}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("no row was scored: the text field 'text' (the default) is empty, null or left out in every one of the 300 rows; the field 'review' holds text: run again with --text-field 'review'");
  });

  it('JSONL: a null text is no text, skipped like an empty cell (a file of ratings without reviews is no failure)', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => JSON.stringify({ id: i, stars: 5, text: i % 3 === 0 ? 'great' : null }));
    const r = await scoreHere('nulls.jsonl', `${lines.join('\n')}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows 60: scored 20, skipped 40, failed 0/);
    expect(r.stdout).not.toMatch(/no row was scored/);
    const codes = readFileSync(r.output, 'utf8').split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as { sentiment: { error?: { code: string } } }).sentiment.error?.code ?? 'ok');
    expect(codes.filter((c) => c === 'empty_text')).toHaveLength(40);
  });

  it('JSONL: bad lines become per-row errors, blank lines pass through', async () => {
    // {"other":"x"} has no text field, which other records of the file have: no text, as null is (an export that leaves
    // out NULL fields, input-formats.md), so skipped, not failed.
    const lines = ['{"text":"great"}', 'not json', '{"text":42}', '', '{"other":"x"}', '[1,2]', '{"text":"awful"}', '{"text":["x"]}'];
    const r = await score('mixed.jsonl', `${lines.join('\n')}\n`);
    // 4 of the 7 rows could not be read: over --max-error-rate 0.5 for the whole run, though the output is complete.
    expect(r.code).toBe(5);
    expect(r.stdout).toContain('4 of 7 rows read could not be read');
    const out = readFileSync(r.output, 'utf8').split('\n');
    expect(out).toHaveLength(lines.length + 1);
    expect(out[3]).toBe('');
    const codes = out.filter((l) => l !== '').map((l) => (JSON.parse(l) as { sentiment: { error?: { code: string } } }).sentiment.error?.code ?? 'ok');
    expect(codes).toEqual(['ok', 'invalid_json', 'text_not_string', 'empty_text', 'not_an_object', 'ok', 'text_not_string']);
    expect((JSON.parse(out[1] as string) as { raw: string }).raw).toBe('not json');
    expect(r.stdout).toMatch(/rows 7: scored 2, skipped 1, failed 4/);
  });

  // The list of causes named ragged rows, lines that are not JSON objects and a missing text field, while rows whose
  // text is a number or true (text_not_string) were counted too: a run of nothing else was told none of its causes.
  // With -o - the rows go to standard output and no partial output is left: the stop sent the reader to one (lowfix59).
  it('-o -: the stop sends to the rows written to standard output, there being no partial output', async () => {
    const input = path.join(dir, 'short.csv');
    writeFileSync(input, `id,review,rating\n${Array.from({ length: 60 }, (_, i) => `${i},review ${i}`).join('\n')}\n`);
    const r = await runCli(['score', input, '-o', '-', '--text-column', 'review']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain("; limit --max-error-rate 0.5); see the sentiment_error column of the rows written to standard output for each row's reason; check the input and --text-column\n");
    expect(r.stderr).not.toContain('partial output');
  });

  it('JSONL: rows whose text is not a string are named among the rows that could not be read (exit 5)', async () => {
    // The causes a JSONL file can have: ragged rows and stray quotes, a CSV's, were listed too.
    const causes = '(lines that are not JSON objects, a missing text field, a text field that is not a string, records that already have the answer field, records over 16 MiB';
    const few = await score('numbers.jsonl', '{"text":"great"}\n{"text":5}\n{"text":true}\n');
    expect(few.code).toBe(5);
    expect(few.stdout).toMatch(/failed by code: text_not_string 2/);
    expect(few.stdout).toContain(`2 of 3 rows read could not be read ${causes}) in this run (limit --max-error-rate 0.5)`);
    // Stopped mid-run by the share among the last rows read: the same list.
    const lines = ['{"text":"great"}', ...Array.from({ length: 99 }, (_, i) => `{"text":${i}}`)];
    const many = await score('many-numbers.jsonl', `${lines.join('\n')}\n`);
    expect(many.code).toBe(5);
    expect(many.stdout).toContain(`49 of the last 50 rows read could not be read ${causes}; limit --max-error-rate 0.5); see the "error" inside the "sentiment" field of the partial output for each row's reason; check the input and --text-column/--text-field`);
  });

  // Excel's CSV leaves out the delimiters of empty cells that end a row: an export of such rows stopped (exit 5) with
  // 'check the input and --text-column', no word of where each row's reason is, which names the cells it lacks (lowfix58).
  it('an export of rows short of their last cells: the stop names where each reason is, and the reason how to score the row', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `${i},review ${i} was ${i % 2 === 0 ? 'great' : 'awful'}${i % 3 === 0 ? ',4,ok' : ''}`);
    const r = await score('excel.csv', `id,review,rating,notes\r\n${rows.join('\r\n')}\r\n`, ['--text-column', 'review']);
    expect(r.code).toBe(5);
    expect(r.stdout).toContain('; limit --max-error-rate 0.5); see the sentiment_error column of the partial output for each row\'s reason; check the input and --text-column\n');
    const partial = parse(readFileSync(`${r.output}.partial`), { relax_column_count: true }) as string[][];
    expect(partial[2]?.at(-1)).toBe(
      "ragged_row: expected 4 fields, got 2: no cell for 'rating', 'notes' at its end; if they are empty (Excel's CSV leaves out the delimiters of empty cells that end a row), add ',,' at the row's end to score it",
    );
  });

  it('JSONL: a record further down that already has the answer field fails alone, kept whole under "raw"', async () => {
    // The startup check reads the first records only; record 150 slips past it.
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ id: i, text: i % 2 === 0 ? 'great' : 'awful' }));
    lines[150] = '{"id":150,"text":"great","sentiment":"five stars"}';
    const r = await scoreHere('late-scored.jsonl', `${lines.join('\n')}\n`);
    expect(r.code).toBe(0);
    const out = readFileSync(r.output, 'utf8').split('\n').filter((l) => l !== '');
    expect(out).toHaveLength(200);
    // No line holds the key twice: the parsed object keeps every key it was written with.
    for (const line of out) expect(line.match(/"sentiment":/g)).toHaveLength(1);
    const failed = JSON.parse(out[150] as string) as { sentiment: { error: { code: string } }; raw: string };
    expect(failed.sentiment.error.code).toBe('answer_field_exists');
    expect(failed.raw).toBe(lines[150]);
    expect(r.stdout).toMatch(/rows 200: scored 199, skipped 0, failed 1/);
    // Such rows never reach the model: they were counted as rows sent to it that failed ('26 of the last 126 rows sent
    // to the model failed … stopping instead of burning through the file'), though not one request was sent for them.
    for (let i = 100; i < 200; i += 1) lines[i] = JSON.stringify({ id: i, text: 'great', sentiment: 'five stars' });
    const many = await score('half-scored.jsonl', `${lines.join('\n')}\n`, ['--max-error-rate', '0.2']);
    expect(many.code).toBe(5);
    // A JSONL run's line names the causes a JSONL file can have: it listed ragged rows and stray quotes, a CSV's.
    expect(many.stdout).toContain('26 of the last 126 rows read could not be read (lines that are not JSON objects, a missing text field, a text field that is not a string, records that already have the answer field, records over 16 MiB; limit --max-error-rate 0.2)');
    expect(many.stdout).not.toContain('sent to the model');
  });

  it.skipIf(!HAS_MKFIFO)('a named pipe as the input is refused at once, pointing to standard input (nobody needs to write to it)', async () => {
    const fifo = path.join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const r = await runCli(['score', fifo, '-o', path.join(dir, 'out.csv')]);
    expect(r.code).toBe(3);
    expectCleanError(r.stderr);
    expect(r.stderr).toMatch(/it is a pipe or a device, not a file; pipe it in as standard input instead/);
  });

  it('gzip input and standard input work', async () => {
    const csv = 'id,text\n1,great\n2,awful\n';
    const gz = await scoreHere('in.csv.gz', gzipSync(csv));
    expect(gz.code).toBe(0);
    const fromGz = readFileSync(gz.output, 'utf8');
    expect(fromGz.split('\n')).toHaveLength(4);

    const output = path.join(dir, 'stdin-out.csv');
    const stdin = await runCli(['score', '-', '--format', 'csv', '-o', output], { input: csv });
    expect(stdin.code).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe(fromGz);
    // The copy of standard input is removed after the run.
    expect(existsSync(`${output}.stdin`)).toBe(false);
  });

  // `export | sentiment-batch score - --rpm fast`: refused before standard input is read, the rest of the export unread.
  // The test's own helper wrote it into a closed pipe and met EPIPE with no listener: an uncaught exception of the
  // whole test run (vitest counted it an error), though the CLI did right.
  it('a refusal before standard input is read ends at once, exit 2, whatever is still being piped in', async () => {
    const piped = await runCli(['score', '-', '--format', 'csv', '-o', '-', '--rpm', 'fast'], { input: Buffer.alloc(4 * 1024 * 1024, 'a') });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toMatch(/--rpm expects a positive integer, got 'fast'/);
    expectCleanError(piped.stderr);
  });

  it('bad flags and files say what was expected', async () => {
    const input = path.join(dir, 'x.csv');
    writeFileSync(input, 'id,text\n1,a\n');
    const rpm = await runCli(['score', input, '--rpm', 'fast']);
    expect(rpm.code).toBe(2);
    expect(rpm.stderr).toMatch(/--rpm expects a positive integer, got 'fast'/);
    const unknown = await runCli(['score', input, '--colour', 'red']);
    expect(unknown.code).toBe(2);
    expectCleanError(unknown.stderr);
    // A missing input makes no folder for what it would have produced (but --summary-json's, for its summary).
    const made = path.join(dir, 'made');
    const missing = await runCli(['score', path.join(dir, 'nope.csv'), '-o', path.join(made, 'o/out.csv'), '--report', path.join(made, 'r/r.html'), '--summary-json', path.join(made, 's/s.json')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/nope\.csv/);
    expect(existsSync(path.join(made, 'o'))).toBe(false);
    expect(existsSync(path.join(made, 'r'))).toBe(false);
    expect(JSON.parse(readFileSync(path.join(made, 's/s.json'), 'utf8'))).toMatchObject({ status: 'failed', exitCode: 3 });
    const ext = await runCli(['score', path.join(dir, 'x.txt')]);
    expect(ext.code).toBe(2);
    expect(ext.stderr).toMatch(/--format/);
    // A workbook is not named a format to give: --format would read its ZIP bytes as text.
    const workbook = await runCli(['score', path.join(dir, 'x.xlsx')]);
    expect(workbook.code).toBe(2);
    expect(workbook.stderr).toMatch(/x\.xlsx' is a spreadsheet workbook, not text: .*save the sheet as CSV UTF-8/);
    const job = path.join(dir, 'job.json');
    writeFileSync(job, '{"input":"x.csv","rpm":"lots"}');
    const badJob = await runCli(['run', job]);
    expect(badJob.code).toBe(2);
    expect(badJob.stderr).toMatch(/"rpm" expects a positive integer, got 'lots'/);
    const noCreds = await runCli(['score', input, '--backend', 'workers-ai']);
    expect(noCreds.code).toBe(2);
    expect(noCreds.stderr).toMatch(/CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN/);
  });
});
