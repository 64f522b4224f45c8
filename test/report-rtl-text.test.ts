import { describe, expect, it } from 'vitest';
import { figuresOf } from '../src/report/figures.js';
import { renderHtml } from '../src/report/html-page.js';
import type { ScoredRow } from '../src/report/scored-rows.js';
import { DEFAULT_LIMITS, Tally } from '../src/report/tally.js';

// A Google Play export with Arabic and Hebrew reviews (newuser12): in the page's left-to-right paragraphs their
// punctuation and numbers landed at the wrong end ("ممتاز، أفضل تطبيق استخدمته في 2026!" shown as
// "2026 ممتاز… !": the "!" where a reader of Arabic starts, the year where the sentence ends). Texts from the file
// are put in an element of their own direction (dir="auto": from their first strong letter), the page's own words stay
// left to right.
const HEBREW = 'המוצר הגיע אחרי 3 ימים, גרוע מאוד!';
const ARABIC = 'ممتاز، أفضل تطبيق استخدمته في 2026!';

const row = (n: number, text: string, positive: number, group: string): ScoredRow => ({
  row: n,
  text,
  outcome: { kind: 'scored', label: positive >= 0.5 ? 'POSITIVE' : 'NEGATIVE', positive },
  group,
  date: undefined,
  rating: undefined,
});

describe('report: texts of right-to-left scripts', () => {
  it('shows each review text and group value in an element of its own direction', async () => {
    const tally = new Tally({ ...DEFAULT_LIMITS, examples: 2 });
    [row(1, HEBREW, 0.1, HEBREW), row(2, ARABIC, 0.9, ARABIC), row(3, 'Great app', 0.95, 'Great app')].forEach((r) => tally.add(r));
    const figures = figuresOf(tally, { input: 'out.scored.csv', by: 'text', date: undefined, rating: undefined, groupsShown: 20, maxDailyPoints: 120, run: null, model: null, now: new Date(0) });
    const html = await renderHtml(figures);
    for (const text of [HEBREW, ARABIC, 'Great app']) {
      const tags = html.split(`>${text}<`).slice(0, -1).map((before) => before.slice(before.lastIndexOf('<')));
      // Once in the examples, once in the groups' table (the page escapes none of their characters).
      expect(tags).toHaveLength(2);
      for (const tag of tags) expect(tag).toMatch(/ dir="auto"/);
    }
  });
});

describe('report: group chart labels of right-to-left scripts', () => {
  it('isolates the name from its count, so the count stays right of it', async () => {
    const tally = new Tally({ ...DEFAULT_LIMITS, examples: 0 });
    [row(1, HEBREW, 0.1, 'שלום'), row(2, 'Great app', 0.95, 'normal')].forEach((r) => tally.add(r));
    const figures = figuresOf(tally, { input: 'out.scored.csv', by: 'product', date: undefined, rating: undefined, groupsShown: 20, maxDailyPoints: 120, run: null, model: null, now: new Date(0) });
    const html = await renderHtml(figures);
    const chart = html.slice(html.indexOf('data-chart="groups"'), html.indexOf('</figure>', html.indexOf('data-chart="groups"')));
    // The count was drawn left of the name before: in a left-to-right line it joined the Hebrew run (measured in
    // Chromium with getStartPositionOfChar: the "(" 30 px left of the name's first letter; 4 px right of it now).
    expect(chart).toContain('>\u2068שלום\u2069 (1)<');
    expect(chart).toContain('>normal (1)<');
  });
});
