import { describe, expect, it } from 'vitest';
import { figuresOf } from '../src/report/figures.js';
import { renderHtml } from '../src/report/html-page.js';
import type { ScoredRow } from '../src/report/scored-rows.js';
import { Tally, DEFAULT_LIMITS } from '../src/report/tally.js';

const row = (n: number, label: 'POSITIVE' | 'NEGATIVE', positive: number): ScoredRow => ({ row: n, text: `text ${n}`, outcome: { kind: 'scored', label, positive }, group: undefined, date: undefined, rating: undefined });

function figuresFor(rows: ScoredRow[], examples: number) {
  const tally = new Tally({ ...DEFAULT_LIMITS, examples });
  rows.forEach((r) => tally.add(r));
  return figuresOf(tally, { input: 'out.scored.csv', by: undefined, date: undefined, rating: undefined, groupsShown: 20, maxDailyPoints: 120, run: null, model: null, now: new Date(0) });
}

// `report --examples 1000` listed 2,000 examples open: a page 106,105 px tall (measured in Chromium at 1280 px). The
// first 25 of each list (html-page.ts EXAMPLES_OPEN) are open; the rest are folded under "N more", in the page all the same.
describe('many examples', () => {
  const rows = Array.from({ length: 100 }, (_, n) => (n < 40 ? row(n + 1, 'NEGATIVE', n / 1000) : row(n + 1, 'POSITIVE', 0.5 + n / 1000)));

  it('each list shows the first 25 open and folds the rest under "N more", numbered on', async () => {
    const html = await renderHtml(figuresFor(rows, 40));
    const negative = html.split('<div class="examples negative">')[1]?.split('<div class="examples positive">')[0] ?? '';
    const [open, folded] = negative.split('<details>');
    expect(open?.match(/<li>/g)).toHaveLength(25);
    expect(folded).toMatch(/^<summary>15 more<\/summary><ol start="26">/);
    expect(folded?.match(/<li>/g)).toHaveLength(15);
    // Every example is in the page, the least negative last.
    expect(negative).toContain('<q dir="auto">text 40</q>');
    const positive = html.split('<div class="examples positive">')[1] ?? '';
    expect(positive).toContain('<summary>15 more</summary>');
  });

  it('25 or fewer: nothing folded', async () => {
    const html = await renderHtml(figuresFor(rows, 25));
    expect(html).not.toContain('<details>');
    expect(html.match(/<li>/g)).toHaveLength(50);
  });
});
