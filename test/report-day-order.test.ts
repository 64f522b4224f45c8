import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';

/**
 * A British or European Google Sheets export writes `25/11/2026 10:00:00`. Read in US order unless the first number
 * is over 12, its 1st to 12th of November became 11 January to 11 December: a trend from January to December for a
 * file of one month, exit 0, nothing said. The column shows its order: a date like 25/11/2026 can only be day first,
 * and when no date of the column can only be month first, the ambiguous ones are read day first too.
 */
const sheet = (date: (day: number) => string): string =>
  ['Timestamp,Review', ...Array.from({ length: 56 }, (_, i) => `${date(1 + (i % 28))} 10:00:00,${i % 2 ? 'great product and I love it' : 'awful and it broke quickly'}`)].join('\r\n') + '\r\n';
const two = (n: number): string => String(n).padStart(2, '0');

describe('report --date: slash dates read in the order the column shows', () => {
  const { file, path: inDir } = useTempDir();

  const trendOf = async (name: string, content: string): Promise<{ trend: { unit: string; points: Array<{ period: string; rows: number }>; dayFirst?: unknown }; html: string }> => {
    const input = file(`${name}.csv`, content);
    const scored = inDir(`${name}.scored.csv`);
    expect((await runCli(['score', input, '--text-column', 'Review', '-o', scored])).code).toBe(0);
    const json = inDir(`${name}.json`);
    const r = await runCli(['report', scored, '--date', 'Timestamp', '-o', json]);
    expectCleanError(r.stderr);
    expect(r.code).toBe(0);
    const html = inDir(`${name}.html`);
    expect((await runCli(['report', scored, '--date', 'Timestamp', '-o', html])).code).toBe(0);
    return { trend: (JSON.parse(readFileSync(json, 'utf8')) as { trend: never }).trend, html: readFileSync(html, 'utf8') };
  };

  it('DD/MM/YYYY: every day of November is in November, and the page says the order was read from the column', async () => {
    const { trend, html } = await trendOf('uk', sheet((day) => `${two(day)}/11/2026`));
    expect(trend.unit).toBe('day');
    expect(trend.points.map((p) => p.period)).toEqual(Array.from({ length: 28 }, (_, i) => `2026-11-${two(i + 1)}`));
    expect(trend.points.every((p) => p.rows === 2)).toBe(true);
    expect(trend.dayFirst).toEqual({ rows: 32, example: '13/11/2026 10:00:00' });
    expect(html).toContain('read day first (DD/MM/YYYY), as 32 scored rows’ dates such as “13/11/2026 10:00:00” can only be read');
  });

  it('MM/DD/YYYY stays month first, and says nothing', async () => {
    const { trend, html } = await trendOf('us', sheet((day) => `11/${two(day)}/2026`));
    expect(trend.points.map((p) => p.period)).toEqual(Array.from({ length: 28 }, (_, i) => `2026-11-${two(i + 1)}`));
    expect(trend.dayFirst).toBeUndefined();
    expect(html).not.toContain('read day first');
  });
});
