import { describe, expect, it } from 'vitest';
import { reportSummary } from '../src/commands/report.js';
import { hasTwoDigitYear, isoDay, parseDay, weekStart } from '../src/report/dates.js';
import { escapeHtml, seconds } from '../src/report/html-text.js';
import { costAtMost } from '../src/wording/cost-at-most.js';
import { Tally, DEFAULT_LIMITS, GROUP_KEY_CHARS } from '../src/report/tally.js';
import { EXAMPLE_CHARS, TopTexts, shorten } from '../src/report/top-texts.js';
import { wilsonShare } from '../src/report/wilson.js';
import type { ScoredRow } from '../src/report/scored-rows.js';

describe('Wilson interval', () => {
  it('matches published values', () => {
    // Newcombe (1998), Statistics in Medicine 17:857, table I: 81/263 → 0.2553–0.3662; 0/10 → 0–0.2775.
    const a = wilsonShare(81, 263);
    expect(a.low).toBeCloseTo(0.2553, 4);
    expect(a.high).toBeCloseTo(0.3662, 4);
    const b = wilsonShare(0, 10);
    expect(b.low).toBe(0);
    expect(b.high).toBeCloseTo(0.2775, 4);
    expect(wilsonShare(0, 0)).toEqual({ rows: 0, positive: 0, share: null, low: null, high: null });
  });

  // 0 of 7 gave low 2.7755575615628914e-17 in the JSON (centre − half rounds a hair above 0), where 0 of 10 gave 0.
  it('is exactly 0 below no positive row and exactly 1 above all positive, for every count', () => {
    for (let rows = 1; rows <= 300; rows++) {
      expect(wilsonShare(0, rows).low, `0 of ${rows}`).toBe(0);
      expect(wilsonShare(rows, rows).high, `${rows} of ${rows}`).toBe(1);
    }
  });
});

describe('dates as exports write them', () => {
  const day = (text: string, dayFirst = false) => {
    const d = parseDay(text, dayFirst);
    return d === undefined ? undefined : isoDay(d);
  };
  it('reads the usual formats as the calendar day written', () => {
    expect(day('2026-11-03')).toBe('2026-11-03');
    expect(day('2026-11-03T23:59:00-08:00')).toBe('2026-11-03');
    expect(day('2026-11-03 07:00:00')).toBe('2026-11-03');
    expect(day('2026/11/03')).toBe('2026-11-03');
    expect(day('11/03/2026')).toBe('2026-11-03');
    expect(day('11/03/2026', true)).toBe('2026-03-11');
    expect(day('25/03/2026')).toBe('2026-03-25');
    expect(day('03.11.2026')).toBe('2026-11-03');
    expect(day('03-11-2026')).toBe('2026-11-03');
    expect(day('Nov 3, 2026')).toBe('2026-11-03');
    expect(day('3 November 2026')).toBe('2026-11-03');
    // Amazon's reviewTime: "Nov 3, 2026" with the month as a number.
    expect(day('11 03, 2026')).toBe('2026-11-03');
    expect(day('02 28, 2014')).toBe('2014-02-28');
    expect(day('11 03, 2026', true)).toBe('2026-03-11');
    expect(day('25 03, 2026')).toBe('2026-03-25');
    expect(day('Tue, 03 Nov 2026 10:00:00 GMT')).toBe('2026-11-03');
    expect(day('1793700000')).toBe('2026-11-03');
    expect(day('1793700000000')).toBe('2026-11-03');
  });
  it('refuses what is not a date', () => {
    for (const text of ['', 'soon', '2026-02-30', '13/13/2026', '2026-13-01', '12345', 'Foo 3, 2026', '02 30, 2014', '13 13, 2026', '02 28 2014']) expect(day(text), text).toBeUndefined();
  });
  it('leaves two-digit years unread (century and order a guess), and tells them apart for the message', () => {
    for (const text of ['11/3/26', '3-Nov-26', '03.11.26', '3 Nov 26', 'Nov 3, 26', '11/3/26 10:04']) {
      expect(day(text), text).toBeUndefined();
      expect(hasTwoDigitYear(text), text).toBe(true);
    }
    for (const text of ['11/3/2026', '3-Nov-2026', 'Nov 3, 2026', 'Great little speaker', '4/5', '12345', '']) expect(hasTwoDigitYear(text), text).toBe(false);
  });
  it('weeks start on Monday', () => {
    expect(isoDay(weekStart(parseDay('2026-11-08')!))).toBe('2026-11-02'); // a Sunday
    expect(isoDay(weekStart(parseDay('2026-11-02')!))).toBe('2026-11-02'); // a Monday
  });
});

describe('bounded memory', () => {
  const row = (i: number, positive: number, group: string): ScoredRow => ({
    row: i,
    text: `text ${i}`,
    outcome: { kind: 'scored', positive, label: positive >= 0.5 ? 'POSITIVE' : 'NEGATIVE' },
    group,
    date: undefined,
    rating: undefined,
  });

  it('keeps the top N by score, earlier rows first on ties', () => {
    const top = new TopTexts(3, (e) => e.positive);
    [0.2, 0.9, 0.5, 0.9, 0.1, 0.95, 0.3].forEach((p, i) => top.offer(i + 1, p, `t${i + 1}`));
    expect(top.sorted().map((e) => e.row)).toEqual([6, 2, 4]);
  });

  it('shortens long texts at a word boundary', () => {
    const long = 'word '.repeat(200);
    const short = shorten(long);
    expect(short.length).toBeLessThanOrEqual(EXAMPLE_CHARS + 1);
    expect(short.endsWith('word…')).toBe(true);
    expect(shorten('  a \n b  ')).toBe('a b');
  });

  // A review of Chinese text and emoji has no space to cut at: the cut at EXAMPLE_CHARS UTF-16 units fell inside an
  // emoji, and the report's example (HTML, and JSON as "\ud83d") held half of it.
  it('cuts a text with no word boundary between characters, never inside an emoji', () => {
    const text = `${'好'.repeat(EXAMPLE_CHARS - 1)}👍👍`;
    expect(shorten(text)).toBe(`${'好'.repeat(EXAMPLE_CHARS - 1)}…`);
  });

  it('counts groups beyond the cap together, and cuts long group values', () => {
    const tally = new Tally({ ...DEFAULT_LIMITS, maxGroups: 3 });
    ['a', 'b', 'c', 'd', 'a', 'e', 'd'].forEach((g, i) => tally.add(row(i + 1, i % 2 === 0 ? 0.9 : 0.1, g)));
    expect([...tally.groups.keys()]).toEqual(['a', 'b', 'c']);
    expect(tally.groups.get('a')?.rows).toBe(2);
    expect(tally.groupOverflow.rows).toBe(3);
    tally.add(row(9, 0.9, 'x'.repeat(5000)));
    expect(tally.groupOverflow.rows).toBe(4);
    const fresh = new Tally();
    fresh.add(row(1, 0.9, 'y'.repeat(5000)));
    expect([...fresh.groups.keys()][0]).toHaveLength(GROUP_KEY_CHARS);
  });

  // A group value with an emoji across the cut kept its first half (`\ud83d`), which the page shows as U+FFFD and the
  // JSON writes as a lone surrogate; the cut now falls before the emoji, as shownStart's does.
  it('cuts a long group value before an emoji that spans the cut, never inside it', () => {
    const tally = new Tally();
    tally.add(row(1, 0.9, `${'y'.repeat(GROUP_KEY_CHARS - 1)}👍 and more`));
    tally.add(row(2, 0.1, `${'y'.repeat(GROUP_KEY_CHARS - 1)}👎 and more`));
    expect([...tally.groups.keys()]).toEqual(['y'.repeat(GROUP_KEY_CHARS - 1)]);
    expect(tally.groups.get('y'.repeat(GROUP_KEY_CHARS - 1))?.rows).toBe(2);
    const whole = new Tally();
    whole.add(row(1, 0.9, `${'y'.repeat(GROUP_KEY_CHARS - 2)}👍 and more`));
    expect([...whole.groups.keys()]).toEqual([`${'y'.repeat(GROUP_KEY_CHARS - 2)}👍`]);
  });
});

it('escapes everything HTML could read as markup', () => {
  expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe('&#60;img src=x onerror=&#34;a(&#39;b&#39;)&#34;&#62;&#38;');
});

describe('the report command\'s summary line', () => {
  it('writes its counts with thousands separators, as score does', () => {
    const totals = { rows: 4086, scored: 4012, skipped: 70, failed: 4, negative: 2006, truncated: 0, skippedByCode: {}, failedByCode: {}, positive: wilsonShare(2006, 4012) };
    expect(reportSummary('r.html', totals)).toBe('Report: r.html\n  rows 4,086: scored 4,012, skipped 70, failed 4 · positive 50.0 %\n');
  });
});

// The page's run line said `cost at most $0.0001` for a run whose list price was $0.000118 (62 requests against serve):
// rounding to the nearest cent-hundredth made a bound lower than what it bounds. And a duration of 119.6 s read
// `1 min 60 s`.
describe('the run line’s figures', () => {
  it('rounds an upper bound on the cost up, never below what it bounds', () => {
    expect(costAtMost(0.000118)).toBe('$0.0002');
    expect(costAtMost(0.0001)).toBe('$0.0001');
    expect(costAtMost(0.0003)).toBe('$0.0003');
    expect(costAtMost(1.23451)).toBe('$1.2346');
    expect(costAtMost(0)).toBe('$0.0000');
  });
  it('never writes 60 seconds into a minute', () => {
    expect(seconds(119.6)).toBe('2 min 0 s');
    expect(seconds(59.99)).toBe('1 min 0 s');
    expect(seconds(61.2)).toBe('1 min 1 s');
    expect(seconds(3599.7)).toBe('1 h 0 min');
    expect(seconds(5.04)).toBe('5.0 s');
  });
});
