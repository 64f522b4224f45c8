import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { reportRequest } from './support/report-request.js';
import { writeReport, type ReportRequest } from '../src/report/index.js';

// `score in.csv --delimiter ';' -o out.csv` writes its output with ';', as its input has it; `report out.csv` took the
// text column and the prefix from the checkpoint beside it but not the delimiter, and refused the file (exit 2,
// "give --delimiter ';'") although the run had recorded it.
describe('report of a file scored with another delimiter', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const request = (input: string, output: string): ReportRequest => reportRequest(input, output, { rating: 'Rating' });

  it("reads it with the delimiter its run's checkpoint records", async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-report-delim-'));
    const scored = path.join(dir, 'trip.scored.csv');
    writeFileSync(
      scored,
      'Review;Rating;sentiment_label;sentiment_positive;sentiment_negative;sentiment_truncated;sentiment_error\r\n' +
        'nice hotel;4;POSITIVE;0.9;0.1;false;\r\nbad room;1;NEGATIVE;0.2;0.8;false;\r\n',
    );
    const checkpoint = {
      version: 1,
      tool: 'sentiment-batch',
      input: { path: path.join(dir, 'trip.csv'), identity: { size: 40, mtimeMs: 1, headHash: 'a', tailHash: 'b' } },
      settings: { format: 'csv', delimiter: ';', text: 'Review', prefix: 'sentiment', modelId: 'embedded:sst2-nblr-lex-v5', longText: 'truncate' },
      settingsHash: 'bae8f3bab11cfeee',
      output: { path: scored, partialPath: `${scored}.partial` },
      position: { inputOffset: 40, outputBytes: 150, nextIndex: 2, lastInputStart: 20, lastOutputStart: 100 },
      totals: { read: 2, scored: 2, skipped: 0, failed: 0, cached: 0, duplicates: 0, truncated: 0, requests: 0, retries: 0, rateLimited: 0, tokens: 0, neurons: 0 },
      completed: true,
      listedFailures: 0,
      failureCounts: { unreadable: 0, sent: 2, sentFailed: 0, sentFailedTransient: 0 },
      updatedAt: '2026-12-03T18:19:02.162Z',
    };
    writeFileSync(`${scored}.checkpoint.json`, JSON.stringify(checkpoint));
    const out = path.join(dir, 'r.json');
    const figures = await writeReport(request(scored, out));
    expect(figures.totals).toMatchObject({ rows: 2, scored: 2, failed: 0 });
    expect(figures.rating?.values.map((v) => [v.rating, v.rows])).toEqual([[1, 1], [4, 1]]);
    expect(JSON.parse(readFileSync(out, 'utf8')).totals.rows).toBe(2);
  });
});
