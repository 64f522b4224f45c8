import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reportRequest } from './support/report-request.js';
import { InputError } from '../src/errors.js';
import { writeReport, type ReportRequest } from '../src/report/index.js';

// `report out.scored.csv.checkpoint.json` (or the .journal, .failed-rows, .lock, or a --summary-json file) said
// "cannot tell the format of '…' from its extension: … name the format with --input-format csv|tsv|jsonl", advice
// that leads to "not a scored file" at best. Found giving report each file a job leaves (../shared's App Store export).
describe('report given a file of a job instead of its output', () => {
  let dir: string;
  let out: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-report-job-file-'));
    out = path.join(dir, 'reviews.scored.csv');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const request = (input: string, inputFormat?: 'csv' | 'jsonl'): ReportRequest => reportRequest(input, path.join(dir, 'r.json'), { inputFormat });

  it('names what the file is and the output to give, exit 3', async () => {
    writeFileSync(`${out}.checkpoint.json`, '{}');
    writeFileSync(`${out}.journal`, 'x');
    writeFileSync(`${out}.failed-rows`, '');
    mkdirSync(`${out}.lock`);
    for (const [suffix, what] of [
      ['.checkpoint.json', 'the checkpoint'],
      ['.journal', 'the answer journal'],
      ['.failed-rows', 'the list of failed rows'],
      ['.lock', 'the lock'],
    ]) {
      const refused = writeReport(request(`${out}${suffix}`));
      await expect(refused).rejects.toThrow(InputError);
      await expect(refused).rejects.toThrow(`${out}${suffix} is ${what} of the job writing ${out}, not a scored file: run sentiment-batch report ${out}`);
    }
  });

  it('a summary JSON, known by its content', async () => {
    const summary = path.join(dir, 'nightly.json');
    const totals = { read: 1, scored: 1, skipped: 0, failed: 0, cached: 0, duplicates: 0, truncated: 0, requests: 1, retries: 0, rateLimited: 0, tokens: 0, neurons: 0 };
    writeFileSync(summary, JSON.stringify({ status: 'done', exitCode: 0, output: out, model: 'm', totals }));
    await expect(writeReport(request(summary))).rejects.toThrow(
      `${summary} is the summary (--summary-json) of the run that wrote ${out}, not a scored file: run sentiment-batch report ${out} (it reads this summary when it is beside that file; else add --summary ${summary})`,
    );
  });

  it('with --input-format the file is taken as named', async () => {
    writeFileSync(`${out}.journal`, 'text,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\ngood,POSITIVE,0.9,0.1,false,\n');
    expect((await writeReport(request(`${out}.journal`, 'csv'))).totals.rows).toBe(1);
  });
});
