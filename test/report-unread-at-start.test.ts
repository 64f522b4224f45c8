import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../src/config/options.js';
import { ConfigError } from '../src/errors.js';
import { openSource } from '../src/job/source.js';
import { tempDir } from './io-helpers.js';

/**
 * `score --report --report-date COL` (or --report-rating) naming a column none of whose values is a date (or a
 * rating) was refused only after the paid run (report/unread-refusal.ts). Now the job's start looks at the first rows
 * and refuses before any request, in the report's words, when they hold at least 10 values and none reads; a column
 * blank in them (a day's export without dates) is no reason to stop a nightly job.
 */
const temp = tempDir();
afterAll(() => temp.cleanup());

const csvRows = (n: number, date: (i: number) => string, stars: (i: number) => string) =>
  ['id,title,date,stars,text', ...Array.from({ length: n }, (_, i) => `${i + 1},Title ${i + 1},${date(i)},${stars(i)},review number ${i + 1} was fine`), ''].join('\n');
const jsonlRows = (n: number, date: (i: number) => unknown, stars: (i: number) => unknown) =>
  Array.from({ length: n }, (_, i) => `${JSON.stringify({ id: i + 1, title: `Title ${i + 1}`, meta: { date: date(i), stars: stars(i) }, text: `review number ${i + 1} was fine` })}\n`).join('');

async function start(content: string, extra: Record<string, unknown>, ext = 'csv'): Promise<Error | undefined> {
  const input = temp.file(`in-${Math.random().toString(36).slice(2)}.${ext}`, content);
  const report = temp.file(`r-${Math.random().toString(36).slice(2)}.html`, '');
  try {
    const source = await openSource({ ...DEFAULTS, input, output: `${input}.out.${ext}`, report, ...extra }, input);
    await source.release();
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

describe('score --report: a date or rating column with no readable value in the first rows', () => {
  it('--report-date naming a column of titles: refused at the start (exit 2), in the report\'s words', async () => {
    const error = await start(csvRows(12, (i) => `2026-11-${String(i + 1).padStart(2, '0')}`, () => '4'), { reportDate: 'title' });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toBe(
      "--report-date title: no date could be read in any of the first 12 rows (e.g. 'Title 1', 'Title 2', 'Title 3'); a date is written as 2026-11-03, " +
        '11/03/2026, 03.11.2026, Nov 3, 2026 or a Unix time (every form read is listed in docs/report.md): name the column that holds the dates (or none, for no trend); nothing was scored, no report written',
    );
  });

  it('two-digit years get the report\'s advice; --report-rating naming a column of words too', async () => {
    const twoDigits = await start(csvRows(12, (i) => `11/${i + 1}/26`, () => '4'), { reportDate: 'date' });
    expect(twoDigits?.message).toMatch(/^--report-date date: no date could be read in any of the first 12 rows \(e\.g\. '11\/1\/26', '11\/2\/26', '11\/3\/26'\); a year of two digits is not read/);
    const rating = await start(csvRows(12, () => '2026-11-03', () => 'five'), { reportRating: 'stars' });
    expect(rating).toBeInstanceOf(ConfigError);
    expect(rating?.message).toBe(
      "--report-rating stars: no rating could be read in any of the first 12 rows; a rating is the cell's leading number (4, 4.0, 4 stars, 4/5, ★★★★☆): name the column that holds the ratings (or none); nothing was scored, no report written",
    );
  });

  it('a JSONL field (dotted), a number read as the report reads it', async () => {
    const error = await start(jsonlRows(12, () => 'soon', () => 4), { reportDate: 'meta.date', reportRating: 'meta.stars', format: 'jsonl' }, 'jsonl');
    expect(error?.message).toMatch(/^--report-date meta\.date: no date could be read in any of the first 12 rows \(e\.g\. 'soon'\);/); // each example once (was 'soon', 'soon', 'soon')
    expect((await start(jsonlRows(12, () => 1796432862, () => 'none'), { reportDate: 'meta.date', reportRating: 'meta.stars', format: 'jsonl' }, 'jsonl'))?.message).toMatch(
      /^--report-rating meta\.stars: no rating could be read in any of the first 12 rows;/,
    );
  });

  it('not refused: fewer than 10 values, a column blank in the first rows, one readable value among them', async () => {
    expect(await start(csvRows(9, () => 'soon', () => 'five'), { reportDate: 'date', reportRating: 'stars' })).toBeUndefined();
    expect(await start(csvRows(30, () => '', () => ''), { reportDate: 'date', reportRating: 'stars' })).toBeUndefined();
    expect(await start(csvRows(30, (i) => (i === 20 ? '2026-11-03' : 'soon'), (i) => (i === 29 ? '4 stars' : 'five')), { reportDate: 'date', reportRating: 'stars' })).toBeUndefined();
    // Without --report the columns are not the job's business.
    expect(await start(csvRows(12, () => 'soon', () => 'five'), { reportDate: 'date', reportRating: 'stars', report: undefined })).toBeUndefined();
  });
});
