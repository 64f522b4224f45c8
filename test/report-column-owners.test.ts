import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReportColumns } from '../src/report/settings-check.js';
import { readScoredRows } from '../src/report/scored-rows.js';
import { settingsFor } from '../src/commands/score.js';
import { tempDir } from './support/cli.js';
import { refusal } from './support/refusal.js';

// `score --report-by product` with no such column said "the file has no such column; columns are: id, date, title,
// review, rating, sentiment_label, sentiment_positive, …": the input has none of the sentiment_* columns. They are
// the report's too (--report-by sentiment_label is taken), so they are listed apart, as the ones score adds.
const SENTIMENT = 'sentiment_label, sentiment_positive, sentiment_negative, sentiment_truncated, sentiment_error';
/** As a refusal lists them: quoted, so an empty name shows. */
const SENTIMENT_LISTED = SENTIMENT.split(', ').map((name) => `'${name}'`).join(', ');

describe("a report column that is not there: the user's columns, and score's apart", () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('score --report-by: the input has its own columns only', () => {
    const settings = settingsFor('score', ['in.csv'], { output: 'out.csv', report: 'r.html', reportBy: 'product' }, {});
    const columns = ['id', 'date', 'title', 'review', 'rating'];
    expect(refusal(() => checkReportColumns(settings, { columns }))).toBe(
      `--report-by product: the input has no such column; its columns are: 'id', 'date', 'title', 'review', 'rating' (and the ones score adds to the output: ${SENTIMENT_LISTED})`,
    );
    // A typo of one of score's columns still gets its did-you-mean.
    const typo = settingsFor('score', ['in.csv'], { output: 'out.csv', report: 'r.html', reportBy: 'sentiment_labl' }, {});
    expect(refusal(() => checkReportColumns(typo, { columns }))).toMatch(/\(did you mean 'sentiment_label'\?\)$/);
  });

  it("report --by on a scored file: score's columns named as such", async () => {
    const scored = path.join(dir, 'scored.csv');
    writeFileSync(scored, `id,review,rating,${SENTIMENT.replaceAll(', ', ',')}\n1,good,5,POSITIVE,0.9,0.1,,\n`);
    const rows = readScoredRows(scored, { format: 'csv', delimiter: undefined, text: ['review'], prefix: 'sentiment', by: 'product', date: undefined, rating: undefined });
    await expect(rows.next()).rejects.toThrow(
      `--by product: the file has no such column; its columns are: 'id', 'review', 'rating' (and the ones score added: ${SENTIMENT_LISTED})`,
    );
  });
});
