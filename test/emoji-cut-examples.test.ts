import { describe, expect, it } from 'vitest';
import type { JobSettings } from '../src/config/options.js';
import { firstQuotedCellLine } from '../src/io/quoted-cells-look.js';
import { parseSst2 } from '../src/model/sst2.js';
import { refuseUnreadReportValues } from '../src/preflight/report-values.js';
import { DayOrder } from '../src/report/day-order.js';
import { DEFAULT_LIMITS, Tally } from '../src/report/tally.js';

/**
 * Examples of user text cut at a fixed UTF-16 length (`slice(0, 40)`) kept the first half of an emoji that spans
 * the cut: a lone surrogate, which a terminal or page shows as U+FFFD and JSON writes as `\ud83d`. They are cut with
 * startWithin (wording/shown-start.ts), one unit shorter there.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** `pad` characters of text, then an emoji whose first half is the cut's last unit when cut at pad + 1. */
const withEmojiAt = (start: string, cutAt: number): string => `${start}${'x'.repeat(cutAt - 1 - start.length)}😀 and more after it`;

describe('examples cut at a fixed length never end in half an emoji', () => {
  it('report --date: the day-order examples (day first, month first, either way)', () => {
    const order = new DayOrder(10);
    order.hold(withEmojiAt('25/11/2026 ', 40), true);
    order.hold(withEmojiAt('11/25/2026 ', 40), true);
    order.hold(withEmojiAt('03/04/2026 ', 40), true);
    for (const example of [order.example, order.monthFirstExample, order.eitherWayExample]) {
      expect(example).toBeDefined();
      expect(example).not.toMatch(LONE_SURROGATE);
      expect(example).toHaveLength(39);
    }
  });

  it('report --date: the examples of dates that could not be read', () => {
    const tally = new Tally(DEFAULT_LIMITS);
    tally.add({ row: 1, text: 't', outcome: { kind: 'scored', label: 'POSITIVE', positive: 0.9 }, group: undefined, date: withEmojiAt('soon', 40), rating: undefined });
    expect(tally.unreadableDates).toEqual([`soon${'x'.repeat(35)}`]);
  });

  it('score --report-date: the refusal at the start shows the same examples', () => {
    const settings = { reportDate: 'd' } as unknown as JobSettings;
    const dates = Array.from({ length: 10 }, () => withEmojiAt('soon', 40));
    let message = '';
    try {
      refuseUnreadReportValues(settings, { rows: 10, date: dates });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`soon${'x'.repeat(35)}`);
    expect(message).not.toMatch(LONE_SURROGATE);
  });

  it('the unquoted-cells advice shows the start of a quoted cell', () => {
    const cell = withEmojiAt('great, ', 60);
    const found = firstQuotedCellLine(`id,review\n1,"${cell}"\n`, ',', 2);
    expect(found?.cell).not.toMatch(LONE_SURROGATE);
    expect(found?.cell).toBe(`"great, ${'x'.repeat(52)}..."`);
  });

  it('train: a malformed SST-2 line is shown without half an emoji', () => {
    expect(() => parseSst2(`sentence\tlabel\n${withEmojiAt('', 80)}\n`, 'train.tsv')).toThrow(`"${'x'.repeat(79)}"`);
    expect(() => parseSst2(`${withEmojiAt('', 60)}\n`, 'train.tsv')).toThrow(`"${'x'.repeat(59)}"`);
  });
});
