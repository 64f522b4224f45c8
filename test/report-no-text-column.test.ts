import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reportRequest } from './support/report-request.js';
import { ConfigError } from '../src/errors.js';
import { writeReport, type ReportRequest } from '../src/report/index.js';

const CSV_HEADER = 'title,rating,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n';
const CSV_ROWS = 'Bad,1,NEGATIVE,0.1,0.9,false,\nGreat,5,POSITIVE,0.9,0.1,false,\nMeh,3,NEGATIVE,0.3,0.7,false,\n';

/** The checkpoint a run that read `text` from `input` leaves beside its output `scored`. */
function checkpointOf(scored: string, format: 'csv' | 'jsonl', text: string): string {
  return JSON.stringify({
    version: 1,
    tool: 'sentiment-batch',
    input: { path: path.join(path.dirname(scored), `in.${format}`), identity: { size: 40, mtimeMs: 1, headHash: 'a', tailHash: 'b' } },
    settings: { format, delimiter: ',', text, prefix: 'sentiment', modelId: 'embedded:sst2-nblr-lex-v5', longText: 'truncate' },
    settingsHash: 'bae8f3bab11cfeee',
    output: { path: scored, partialPath: `${scored}.partial` },
    position: { inputOffset: 40, outputBytes: 150, nextIndex: 3, lastInputStart: 20, lastOutputStart: 100 },
    totals: { read: 3, scored: 3, skipped: 0, failed: 0, cached: 0, duplicates: 0, truncated: 0, requests: 0, retries: 0, rateLimited: 0, tokens: 0, neurons: 0 },
    completed: true,
    listedFailures: 0,
    failureCounts: { unreadable: 0, sent: 3, sentFailed: 0, sentFailedTransient: 0 },
    updatedAt: '2026-12-03T18:19:02.162Z',
  });
}

const failure = async (promise: Promise<unknown>): Promise<Error> => {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
};

// A copy of an output with the reviews taken out (shared without them; here the App Store export scored on its
// `review`, that column removed): `report` refused it for want of a text column, and `--examples 0`, which lists no
// text, was refused the same way, so it could not be reported at all but by naming some other column as the text.
// A checkpoint beside it made the refusal say "--text-column 'review' is not in the header", a flag nobody typed; a
// JSONL one suggested the answer field (`did you mean 'sentiment.label'?`) as the text.
describe('report of a scored file without its text column', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-report-no-text-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const request = (input: string, more: Partial<ReportRequest> = {}): ReportRequest => reportRequest(input, path.join(dir, 'r.json'), more);

  it('--examples 0 reports it, figures whole; without it the refusal says that --examples 0 does', async () => {
    const scored = path.join(dir, 'copy.scored.csv');
    writeFileSync(scored, CSV_HEADER + CSV_ROWS);
    const refused = await failure(writeReport(request(scored)));
    expect(refused).toBeInstanceOf(ConfigError);
    expect(refused.message).toMatch(/^the text column 'text' \(the default; name yours with --text-column\) is not in the header; /);
    expect(refused.message).toMatch(/; report needs the text only for its example texts: --examples 0 makes the report without them$/);

    const figures = await writeReport(request(scored, { examples: 0, rating: 'rating' }));
    expect(figures.totals).toMatchObject({ rows: 3, scored: 3, skipped: 0, failed: 0 });
    expect(figures.totals.positive.positive).toBe(1);
    expect(figures.rating?.lowButPositive).toEqual({ rows: 0, of: 1, share: 0 });
    expect(JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8')).totals.rows).toBe(3);
  });

  it('a text column named with --text-column is still checked under --examples 0', async () => {
    const scored = path.join(dir, 'copy.scored.csv');
    writeFileSync(scored, CSV_HEADER + CSV_ROWS);
    const refused = await failure(writeReport(request(scored, { examples: 0, text: 'review', textFlag: '--text-column' })));
    expect(refused.message).toMatch(/^--text-column 'review' is not in the header; /);
    expect(refused.message).not.toContain('--examples 0');
  });

  it("the run's text column, named by its checkpoint, is called so, not a flag nobody typed", async () => {
    const scored = path.join(dir, 'out.scored.csv');
    writeFileSync(scored, CSV_HEADER + CSV_ROWS);
    writeFileSync(`${scored}.checkpoint.json`, checkpointOf(scored, 'csv', 'review'));
    const refused = await failure(writeReport(request(scored)));
    expect(refused.message).toMatch(
      /^the text column 'review' of the run that wrote the file \(its checkpoint names it; name another with --text-column\) is not in the header; the columns are: 'title', /,
    );
    expect(refused.message).not.toContain("--text-column 'review' is not");
    expect(refused.message).toContain('--examples 0 makes the report without them');
    expect((await writeReport(request(scored, { examples: 0 }))).totals.rows).toBe(3);
  });

  it('JSONL: the answer field is not suggested as the text; --examples 0 reports it', async () => {
    const scored = path.join(dir, 'out.scored.jsonl');
    const line = (rating: number, label: string, positive: number) => JSON.stringify({ rating, sentiment: { label, positive, negative: 1 - positive } });
    writeFileSync(scored, [line(1, 'NEGATIVE', 0.1), line(5, 'POSITIVE', 0.9), line(3, 'NEGATIVE', 0.3)].join('\n') + '\n');
    writeFileSync(`${scored}.checkpoint.json`, checkpointOf(scored, 'jsonl', 'review.body'));
    const refused = await failure(writeReport(request(scored)));
    expect(refused.message).toMatch(/^the text field 'review\.body' of the run that wrote the file \(its checkpoint names it; name another with --text-field\) /);
    expect(refused.message).not.toContain('sentiment.label');
    const figures = await writeReport(request(scored, { examples: 0 }));
    expect(figures.totals).toMatchObject({ rows: 3, scored: 3, failed: 0 });
    // A text named under the answers is found there, not said to be missing.
    expect((await writeReport(request(scored, { text: 'sentiment.label', textFlag: '--text-field' }))).examples?.mostPositive[0]!.text).toBe('POSITIVE');
  });
});
