import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRating } from '../src/report/ratings.js';
import { runCli } from './support/cli.js';
import { scoreInProcess } from './support/score-in-process.js';
import { useTempDir } from './support/e2e-dir.js';

// A review export scraped or copied from a page (Trustpilot, Google Maps, an app store's web page) writes the rating as
// the stars it shows: ★★★★☆, or the emoji ⭐⭐⭐⭐. report --rating read no leading number in them and refused the
// column ("no rating could be read in any of the N scored rows"), though the count of filled stars is the rating.
describe('report --rating: a rating written as stars', () => {
  const { file, path: inDir } = useTempDir();

  it('counts the filled stars of a cell of stars only', () => {
    expect(parseRating('★★★★☆')).toBe(4);
    expect(parseRating(' ★★★★★ ')).toBe(5);
    expect(parseRating('⭐⭐⭐')).toBe(3);
    // The emoji with its presentation selector (U+FE0F), as pasted from a phone.
    expect(parseRating('⭐\uFE0F⭐\uFE0F')).toBe(2);
    expect(parseRating('★ ★ ☆ ☆ ☆')).toBe(2);
    // A leading number is read as before; stars in a sentence, or none filled, are no rating.
    expect(parseRating('4 ★')).toBe(4);
    expect(parseRating('☆☆☆☆☆')).toBeUndefined();
    expect(parseRating('★★★★☆ great hotel')).toBeUndefined();
  });

  it('a report of such a column has its ratings, and compares them with the labels', async () => {
    const scoredIn = file('stars.csv', 'Date,Review,Stars\n2026-11-01,Great product and I love it,★★★★★\n2026-11-02,Awful and it broke quickly,★☆☆☆☆\n2026-11-03,Fine for the price I think,★★★☆☆\n');
    expect((await scoreInProcess([scoredIn, '--text-column', 'Review', '-o', inDir('stars.scored.csv')])).code).toBe(0);
    const r = await runCli(['report', inDir('stars.scored.csv'), '--rating', 'Stars', '-o', inDir('stars.json')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rating = (JSON.parse(readFileSync(inDir('stars.json'), 'utf8')) as { rating: { values: Array<{ rating: number; rows: number }>; unreadable: number } }).rating;
    expect(rating.values.map((v) => [v.rating, v.rows])).toEqual([[1, 1], [3, 1], [5, 1]]);
    expect(rating.unreadable).toBe(0);
  });
});
