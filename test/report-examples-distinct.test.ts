import { describe, expect, it } from 'vitest';
import { figuresOf } from '../src/report/figures.js';
import { renderHtml } from '../src/report/html-page.js';
import { printedFigures } from './support/report-expected.js';
import type { ScoredRow } from '../src/report/scored-rows.js';
import { DEFAULT_LIMITS, Tally } from '../src/report/tally.js';
import { EXAMPLE_CHARS, TopTexts } from '../src/report/top-texts.js';

const row = (n: number, text: string, positive: number): ScoredRow => ({
  row: n,
  text,
  outcome: { kind: 'scored', label: positive >= 0.5 ? 'POSITIVE' : 'NEGATIVE', positive },
  group: undefined,
  date: undefined,
  rating: undefined,
});

// The App Store export (../shared/data/reviews/chatgpt-app-reviews.csv) scored on its `title` with the embedded model:
// the page's "Most negative" listed "Bad" twice (rows 1,536 and 1,611, same text, same score), one of five places
// spent on a copy. Each distinct text is now listed once with the number of rows that have it, and the list still
// holds the number of examples asked for.
describe('report examples: each distinct text once', () => {
  it('lists a text several rows have once, counted, and still fills the list with other texts', () => {
    const top = new TopTexts(3, (e) => -e.positive);
    const offers: Array<[string, number]> = [
      ['Bad', 0.01],
      ['Useless', 0.02],
      ['Bad', 0.01],
      ['Lame', 0.03],
      ['Useless', 0.02],
      ['Meh', 0.04],
      ['Useless', 0.02],
      ['Fine', 0.4],
    ];
    offers.forEach(([text, p], i) => top.offer(i + 1, p, text));
    expect(top.sorted()).toEqual([
      { row: 1, positive: 0.01, text: 'Bad', rows: 2 },
      { row: 2, positive: 0.02, text: 'Useless', rows: 3 },
      { row: 4, positive: 0.03, text: 'Lame', rows: 1 },
    ]);
  });

  it('takes texts that differ only in white space as one, and long texts that differ after the cut as two', () => {
    const top = new TopTexts(5, (e) => e.positive);
    top.offer(1, 0.99, 'Great  app');
    top.offer(2, 0.99, 'Great app\n');
    const long = 'word '.repeat(EXAMPLE_CHARS);
    top.offer(3, 0.98, `${long}one`);
    top.offer(4, 0.98, `${long}two`);
    const kept = top.sorted();
    expect(kept.map((e) => [e.row, e.rows])).toEqual([
      [1, 2],
      [3, 1],
      [4, 1],
    ]);
    // The two long texts read the same once shortened, yet they are two reviews.
    expect(kept[1]!.text).toBe(kept[2]!.text);
  });

  // A JSONL "\udfff\ud800" (a pair cut apart) and U+FFFD twice are two texts the model scores apart (state/text-digest.ts).
  it('takes a text with a lone surrogate and its U+FFFD twin as two', () => {
    const top = new TopTexts(5, (e) => e.positive);
    top.offer(1, 0.99, 'bad \udfff\ud800');
    top.offer(2, 0.98, 'bad \ufffd\ufffd');
    expect(top.sorted().map((e) => [e.row, e.rows])).toEqual([
      [1, 1],
      [2, 1],
    ]);
  });

  it('keeps the best score of a text scored differently, at its row', () => {
    const top = new TopTexts(2, (e) => e.positive);
    top.offer(1, 0.9, 'ok');
    top.offer(2, 0.8, 'nice');
    top.offer(3, 0.95, 'nice');
    expect(top.sorted()).toEqual([
      { row: 3, positive: 0.95, text: 'nice', rows: 2 },
      { row: 1, positive: 0.9, text: 'ok', rows: 1 },
    ]);
  });

  it('does not count a kept text again once it has been pushed out by better ones', () => {
    const top = new TopTexts(1, (e) => e.positive);
    top.offer(1, 0.9, 'good');
    top.offer(2, 0.95, 'great');
    top.offer(3, 0.9, 'good');
    expect(top.sorted()).toEqual([{ row: 2, positive: 0.95, text: 'great', rows: 1 }]);
  });

  it('the page lists the text once and says how many rows have it', async () => {
    const tally = new Tally({ ...DEFAULT_LIMITS, examples: 2 });
    [row(1, 'Bad', 0.01), row(2, 'Bad', 0.01), row(3, 'Awful', 0.02), row(4, 'Bad', 0.01), row(5, 'Good', 0.9)].forEach((r) => tally.add(r));
    const figures = figuresOf(tally, { input: 'out.scored.csv', by: undefined, date: undefined, rating: undefined, groupsShown: 20, maxDailyPoints: 120, run: null, model: null, now: new Date(0) });
    expect(figures.examples?.mostNegative.map((e) => [e.text, e.rows])).toEqual([
      ['Bad', 3],
      ['Awful', 1],
    ]);
    const html = await renderHtml(figures);
    expect(html.match(/<q dir="auto">Bad<\/q>/g)).toHaveLength(1);
    expect(printedFigures(html).get('examples.mostNegative.0.rows')).toBe('3');
    expect(html).toContain('rows have this text');
    expect(printedFigures(html).has('examples.mostNegative.1.rows')).toBe(false);
  });
});
