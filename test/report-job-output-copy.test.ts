import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { reportRequest } from './support/report-request.js';
import { renderHtml } from '../src/report/html-page.js';
import { writeReport, type ReportRequest } from '../src/report/index.js';
import { unreadAnswerLines } from '../src/report/unread-answers.js';

const HEADER = 'date,review,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n';
const row = (i: number): string => `2026-11-0${(i % 9) + 1},review ${i},${i % 2 === 0 ? 'POSITIVE,0.9,0.1' : 'NEGATIVE,0.2,0.8'},false,\n`;
const rows = (n: number): string => Array.from({ length: n }, (_, i) => row(i)).join('');

/** The checkpoint of a run of `in.csv` (text column `review`) writing `output`, with `nextIndex` rows saved. */
function checkpoint(output: string, nextIndex: number, completed: boolean): string {
  return JSON.stringify({
    version: 1,
    tool: 'sentiment-batch',
    input: { path: path.join(path.dirname(output), 'in.csv'), identity: { size: 400, mtimeMs: 1, headHash: 'a', tailHash: 'b' } },
    settings: { format: 'csv', delimiter: ',', text: 'review', prefix: 'sentiment', modelId: 'embedded:sst2-nblr-lex-v5', longText: 'truncate' },
    settingsHash: 'bae8f3bab11cfeee',
    output: { path: output, partialPath: `${output}.partial` },
    position: { inputOffset: 40, outputBytes: 150, nextIndex },
    totals: { read: nextIndex, scored: nextIndex, skipped: 0, failed: 0, cached: 0, duplicates: 0, truncated: 0, requests: nextIndex, retries: 0, rateLimited: 0, tokens: 0, neurons: 0 },
    completed,
    listedFailures: 0,
    failureCounts: { unreadable: 0, sent: nextIndex, sentFailed: 0, sentFailedTransient: 0 },
    updatedAt: '2026-12-03T18:19:02.162Z',
  });
}

// `report OUT` on an unfinished run advises `report OUT.partial --input-format csv`. On the App Store export (text in
// `review`), killed after 357 rows, that advice was refused, exit 2 ("the text column 'text' (the default…) is not in
// the header"): the partial output was read with no run settings. On the Yelp export killed with its checkpoint at row
// 0, the report counted 732 rows and said "No summary JSON or checkpoint beside the file", not that none of them was
// saved and the next run writes them all again. `gzip out.scored.csv` left a copy with no run figures and no settings.
describe('report of a job output\'s partial file or gzip copy', () => {
  let dir: string;
  let out: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-report-copy-'));
    out = path.join(dir, 'reviews.scored.csv');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const request = (input: string): ReportRequest => reportRequest(input, path.join(dir, 'r.json'));

  it('OUT.partial: read with its run\'s settings, and the rows past its checkpoint said to be written again', async () => {
    writeFileSync(`${out}.partial`, HEADER + rows(7));
    writeFileSync(`${out}.checkpoint.json`, checkpoint(out, 4, false));
    const figures = await writeReport(request(`${out}.partial`));
    expect(figures.totals).toMatchObject({ rows: 7, scored: 7, failed: 0 });
    expect(figures.model).toBe('embedded:sst2-nblr-lex-v5');
    expect(figures.examples?.mostPositive[0]!.text).toBe('review 0');
    expect(figures.copyOf).toEqual({ kind: 'unfinished', output: out, checkpoint: `${out}.checkpoint.json`, savedRows: 4, rowsPastCheckpoint: 3 });
    expect(figures.run).toBeNull();
    expect(figures.changedSinceRun).toBeUndefined();
    const line =
      'This is the unfinished output of a run that has not completed reviews.scored.csv: its checkpoint reviews.scored.csv.checkpoint.json has saved the first 4 rows; ' +
      'the 3 rows after them, counted here too, are not saved yet: if the run has stopped, the next run of the job writes them again; the rest of the input is not in it yet';
    expect(unreadAnswerLines(figures)).toBe(`  ${line}\n`);
    const html = await renderHtml(figures);
    expect(html).toContain(`<p class="note">${line}.</p>`);
    expect(html).not.toContain('No summary JSON or checkpoint beside the file');
    expect(html).toContain('Run: not complete');
  });

  // `report OUT.partial` exits 0: the note of what the file is went out as `sentiment-batch: This is …`, the form the
  // README keeps for the line that says why a command stopped. It is an info line, as score's are (JSON off a terminal).
  it('report OUT.partial on the command line: the note is an info line, not a stop line', async () => {
    writeFileSync(`${out}.partial`, HEADER + rows(7));
    writeFileSync(`${out}.checkpoint.json`, checkpoint(out, 4, false));
    const result = await runCli(['report', `${out}.partial`, '--input-format', 'csv', '-o', path.join(dir, 'r.html')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('sentiment-batch: ');
    const lines = result.stderr.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30 });
    expect(lines[0]!.msg).toMatch(/^This is the unfinished output of a run that has not completed reviews\.scored\.csv: its checkpoint /);
  });

  it('a checkpoint at row 0 and one at the partial\'s end say so', async () => {
    writeFileSync(`${out}.partial`, HEADER + rows(3));
    writeFileSync(`${out}.checkpoint.json`, checkpoint(out, 0, false));
    expect(unreadAnswerLines(await writeReport(request(`${out}.partial`)))).toContain(
      'its checkpoint reviews.scored.csv.checkpoint.json has saved no row yet; the 3 rows counted here are not saved yet: if the run has stopped, the next run of the job writes them again',
    );
    writeFileSync(`${out}.checkpoint.json`, checkpoint(out, 3, false));
    expect(unreadAnswerLines(await writeReport(request(`${out}.partial`)))).toContain('(its checkpoint reviews.scored.csv.checkpoint.json has saved the first 3 rows): every row counted here is saved');
  });

  // A JSONL job killed before its first checkpoint wrote a row leaves an empty OUT.partial (a CSV one holds its header).
  // `report OUT` advised `report OUT.partial --input-format jsonl`, which then ended 3, "input … is empty or holds only
  // blank lines: expected one JSON object per line" (fuzz32: SIGKILL 2.5 s into a 30-record run, its first answer due
  // at 3 s); the CSV job's header-only partial is 0 rows, "saved no row yet", exit 0.
  it('an empty OUT.partial of a JSONL job: no row yet, as a CSV job\'s header alone', async () => {
    const jsonlOut = path.join(dir, 'reviews.scored.jsonl');
    writeFileSync(`${jsonlOut}.partial`, '');
    const recorded = JSON.parse(checkpoint(jsonlOut, 0, false)) as { settings: Record<string, unknown>; input: { path: string } };
    recorded.settings = { ...recorded.settings, format: 'jsonl', text: 'review' };
    recorded.input.path = path.join(dir, 'in.jsonl');
    writeFileSync(`${jsonlOut}.checkpoint.json`, JSON.stringify(recorded));
    const figures = await writeReport(request(`${jsonlOut}.partial`));
    expect(figures.totals).toMatchObject({ rows: 0, scored: 0, failed: 0 });
    expect(figures.copyOf).toEqual({ kind: 'unfinished', output: jsonlOut, checkpoint: `${jsonlOut}.checkpoint.json`, savedRows: 0, rowsPastCheckpoint: 0 });
    // A JSONL file no job stands for, empty, is still no scored file.
    writeFileSync(path.join(dir, 'other.jsonl'), '');
    await expect(writeReport(request(path.join(dir, 'other.jsonl')))).rejects.toMatchObject({ exitCode: 3 });
  });

  // A partial output cut in the middle of its last row (a full disk, a machine that went down) was refused with the
  // reader's words for score's input: "the export looks cut short … let it finish or export it again … it is then a
  // ragged row, written with its error". Still exit 3 (the cut row is no row to count, nor one to drop unsaid), now
  // saying what mends it: the same score command, then the report on the output.
  it.each([
    ['inside a row', '2026-11-01,review 5,POSI', 'ends inside a row: the record starting at line 7, byte'],
    ['inside a quoted value', '2026-11-01,"review 5, cut', 'unterminated quoted field: the record starting at line 7'],
  ])('OUT.partial cut %s: exit 3, the same score command to complete it, then the report', async (_where, cut, place) => {
    writeFileSync(`${out}.partial`, HEADER + rows(5) + cut);
    writeFileSync(`${out}.checkpoint.json`, checkpoint(out, 4, false));
    const refused = writeReport(request(`${out}.partial`));
    await expect(refused).rejects.toMatchObject({ exitCode: 3 });
    const message = await refused.then(() => '', (error: Error) => error.message);
    expect(message).toContain(place);
    expect(message.endsWith(
      '; it is the unfinished output of a run that stopped in the middle of writing that row (a full disk, a machine that went down), and a report counts no cut row: ' +
        `run the same score command again to complete ${out} (it writes again every row its checkpoint has not saved, the cut one among them), then report on ${out} (or on ${out}.partial while that run works: its rows are whole again)`,
    )).toBe(true);
    expect(message).not.toMatch(/export it again|written with its error|close the quote/);
  });

  it('a scored file cut inside its last row, no job beside it: exit 3, a copy cut short, not an export to score', async () => {
    writeFileSync(out, HEADER + rows(5) + '2026-11-01,review 5,POSI');
    const refused = writeReport({ ...request(out), text: ['review'] });
    await expect(refused).rejects.toMatchObject({ exitCode: 3 });
    expect(await refused.then(() => '', (error: Error) => error.message)).toMatch(
      new RegExp(`^${out.replace(/[.]/g, '\\.')} ends inside a row: the record starting at line 7, byte \\d+ has 3 of the header's 7 fields and no line ending; the scored file looks cut short \\(a copy that stopped, or a file still being written\\), and a report counts no cut row: copy it again or let it be written whole, then run the same report command$`),
    );
  });

  it('a gzip copy of a complete output: its run\'s figures and settings, said to be taken so', async () => {
    writeFileSync(`${out}.gz`, gzipSync(HEADER + rows(5)));
    writeFileSync(`${out}.checkpoint.json`, checkpoint(out, 5, true));
    const figures = await writeReport(request(`${out}.gz`));
    expect(figures.totals).toMatchObject({ rows: 5, scored: 5 });
    expect(figures.run).toMatchObject({ source: `${out}.checkpoint.json`, status: 'done', requests: 5, rows: 5 });
    expect(figures.copyOf).toEqual({ kind: 'gzip', output: out });
    expect(unreadAnswerLines(figures)).toBe(
      "  No summary or checkpoint names this file: it is taken for a gzip copy of reviews.scored.csv, and the run's figures and settings (text column, prefix, delimiter) are those of the run that wrote reviews.scored.csv\n",
    );
  });

  it('a gzip copy while the job runs again: its settings, and no figures claimed', async () => {
    writeFileSync(`${out}.gz`, gzipSync(HEADER + rows(5)));
    writeFileSync(`${out}.checkpoint.json`, checkpoint(out, 2, false));
    const figures = await writeReport(request(`${out}.gz`));
    expect(figures.run).toBeNull();
    expect(figures.examples?.mostPositive[0]!.text).toBe('review 0');
    expect(unreadAnswerLines(figures)).toBe(
      '  No summary or checkpoint names this file: it is taken for a gzip copy of reviews.scored.csv, and read with the settings (text column, prefix, delimiter) of the job that writes reviews.scored.csv\n',
    );
  });

  it('--summary of the run that wrote OUT is taken for OUT.gz, as for OUT', async () => {
    writeFileSync(`${out}.gz`, gzipSync(HEADER + rows(5)));
    const summary = path.join(dir, 'elsewhere.json');
    const totals = { read: 5, scored: 5, skipped: 0, failed: 0, cached: 0, duplicates: 0, truncated: 0, requests: 7, retries: 2, rateLimited: 0, tokens: 0, neurons: 1 };
    writeFileSync(summary, JSON.stringify({ status: 'done', exitCode: 0, output: out, model: 'workers-ai:m', totals, estimatedCostUsd: 0.1, elapsedSeconds: 3 }));
    const figures = await writeReport({ ...request(`${out}.gz`), summaryPath: summary, text: 'review' });
    expect(figures.run).toMatchObject({ source: summary, requests: 7, retries: 2, rows: 5 });
    expect(figures.changedSinceRun).toBeUndefined();
    // Another output's summary is still refused.
    await expect(writeReport({ ...request(path.join(dir, 'other.scored.csv.gz')), summaryPath: summary })).rejects.toThrow(/is the summary of the run that wrote .*reviews\.scored\.csv, not /);
  });

  it('a file with its own checkpoint, or one no checkpoint of its name stands for, is reported as before', async () => {
    writeFileSync(out, HEADER + rows(2));
    writeFileSync(`${out}.checkpoint.json`, checkpoint(out, 2, true));
    expect((await writeReport(request(out))).copyOf).toBeUndefined();
    const other = path.join(dir, 'other.scored.csv.partial');
    writeFileSync(other, 'date,text,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n2026-11-01,ok,POSITIVE,0.9,0.1,false,\n');
    const figures = await writeReport({ ...request(other), inputFormat: 'csv' });
    expect(figures.copyOf).toBeUndefined();
    expect(figures.totals.rows).toBe(1);
  });
});
