import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logLines, runCli, warnMessages } from './support/cli.js';
import { scoreInProcess } from './support/score-in-process.js';
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

  const trendOf = async (
    name: string,
    content: string,
    extra: string[] = [],
  ): Promise<{ trend: { unit: string; points: Array<{ period: string; rows: number }>; dayFirst?: unknown; mixedOrder?: unknown; orderUnknown?: unknown }; html: string; stderr: string; warnings: string[] }> => {
    const input = file(`${name}.csv`, content);
    const scored = inDir(`${name}.scored.csv`);
    expect((await scoreInProcess([input, '--text-column', 'Review', '-o', scored])).code).toBe(0);
    const json = inDir(`${name}.json`);
    const r = await runCli(['report', scored, '--date', 'Timestamp', '-o', json, ...extra]);
    expectCleanError(r.stderr);
    expect(r.code).toBe(0);
    const html = inDir(`${name}.html`);
    const page = await runCli(['report', scored, '--date', 'Timestamp', '-o', html, ...extra]);
    expect(page.code).toBe(0);
    // The page's run says on standard error what the JSON's does: warn lines alone, as score's warnings on an exit 0.
    expect(warnMessages(page.stderr)).toEqual(warnMessages(r.stderr));
    expect(logLines(r.stderr)).toHaveLength(r.stderr.split('\n').filter((line) => line !== '').length);
    return { trend: (JSON.parse(readFileSync(json, 'utf8')) as { trend: never }).trend, html: readFileSync(html, 'utf8'), stderr: r.stderr, warnings: warnMessages(r.stderr) };
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
    expect(trend.orderUnknown).toBeUndefined();
    expect(html).not.toContain('read day first');
    expect(html).not.toContain('--day-first');
  });

  // A British export of one week, 1 to 7 November: no date of it is over the 12th, so none shows the order. Read in US
  // order, as it must be without --day-first, the week became a trend from January to July, exit 0, and nothing said
  // that the order was a guess, nor that --day-first exists.
  it('a column whose every date reads either way: read month first, and said so, with --day-first as the other reading', async () => {
    const week = sheet((day) => `${two(1 + (day % 7))}/11/2026`);
    const { trend, html, warnings } = await trendOf('week', week);
    expect(trend.points.map((p) => p.period)[0]).toBe('2026-01-05');
    expect(trend.orderUnknown).toEqual({ rows: 56, example: '02/11/2026 10:00:00', readAs: '2026-02-11' });
    expect(warnings).toEqual([
      "--date Timestamp: 56 scored rows' dates read either way (e.g. '02/11/2026 10:00:00'), and none only day first (25/11/2026) nor only month first (11/25/2026): they were read month first, in US order ('02/11/2026 10:00:00' as 2026-02-11); if the column writes the day first (a British or European export), run again with --day-first",
    ]);
    expect(html).toContain(
      '<b>In Timestamp, 56 scored rows’ dates read either way (e.g. “02/11/2026 10:00:00”), and none only day first (25/11/2026) nor only month first (11/25/2026): they were read month first, in US order (“02/11/2026 10:00:00” as 2026-02-11); if the column writes the day first, make the report with report --day-first.</b>',
    );
    // Told the order, it says nothing more, and the week is one week.
    const told = await trendOf('week-told', week, ['--day-first']);
    expect(told.trend.orderUnknown).toBeUndefined();
    expect(told.stderr).toBe('');
    expect(told.html).not.toContain('read either way');
    expect(told.trend.points.map((p) => p.period)).toEqual(Array.from({ length: 7 }, (_, i) => `2026-11-0${i + 1}`));
    // score --report: under the report's line on standard output, with the other lines about its columns.
    const run = await runCli(['score', inDir('week.csv'), '--text-column', 'Review', '-o', inDir('week-again.csv'), '--report', inDir('week-again.html'), '--report-date', 'Timestamp']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `Report: ${inDir('week-again.html')} (positive 50.0 %)\n  --report-date Timestamp: 56 scored rows' dates read either way (e.g. '02/11/2026 10:00:00'), and none only day first`,
    );
    expect(run.stdout).toContain(`(a British or European export), make the report with sentiment-batch report ${inDir('week-again.csv')} --date Timestamp --day-first -o ${inDir('week-again.html')}\n`);
  });

  // The one date that shows the order is on a row not scored (its review blank: skipped): the column still proves it,
  // and was read month first with a warning to add --day-first, a week of November put from January to July.
  it('a date that can only be read day first on a row not scored proves the order too: read day first, no warning', async () => {
    const week = sheet((day) => `${two(1 + (day % 7))}/11/2026`) + '25/11/2026 10:00:00,\r\n';
    const { trend, html, warnings } = await trendOf('week-skipped-proof', week);
    expect(warnings).toEqual([]);
    expect(trend.orderUnknown).toBeUndefined();
    expect(trend.points.map((p) => p.period)).toEqual(Array.from({ length: 7 }, (_, i) => `2026-11-0${i + 1}`));
    expect(trend.dayFirst).toEqual({ rows: 1, example: '25/11/2026 10:00:00', notScored: true });
    expect(html).toContain('read day first (DD/MM/YYYY), as 1 row’s date not scored (skipped or failed), “25/11/2026 10:00:00”, can only be read so');
  });

  // The command it gives writes that page again: without the run's --report-by and --report-rating it wrote one with no
  // breakdown by shop nor agreement with the stars, over the page that had them.
  it("score --report: the --day-first command it gives keeps the report's --by and --rating", async () => {
    const rows = Array.from({ length: 56 }, (_, i) => `${two(1 + (i % 7))}/11/2026 10:00:00,${i % 2 ? 'great product and I love it' : 'awful and it broke quickly'},${i % 2 ? 'north' : 'south'},${i % 2 ? 5 : 1}`);
    const input = file('week-by.csv', ['Timestamp,Review,Shop,Stars', ...rows].join('\n') + '\n');
    const scored = inDir('week-by.scored.csv');
    const page = inDir('week-by.html');
    const run = await runCli(['score', input, '--text-column', 'Review', '-o', scored, '--report', page, '--report-date', 'Timestamp', '--report-by', 'Shop', '--report-rating', 'Stars']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`make the report with sentiment-batch report ${scored} --date Timestamp --by Shop --rating Stars --day-first -o ${page}\n`);
  });

  // Two exports joined, one British and one American: the dates of each order were read in their only order and the
  // ones that read either way (05/11/2026) month first, and nothing said the column mixed its orders.
  it('a column mixing both orders: read as before, and said on standard error and on the page, with an example of each', async () => {
    const { trend, html, warnings } = await trendOf('mixed', sheet((day) => (day <= 14 ? `${two(day)}/11/2026` : `11/${two(day)}/2026`)));
    expect(trend.dayFirst).toBeUndefined();
    expect(trend.mixedOrder).toEqual({
      dayFirstOnly: { rows: 4, example: '13/11/2026 10:00:00' },
      monthFirstOnly: { rows: 28, example: '11/15/2026 10:00:00' },
      eitherWay: { rows: 22, example: '01/11/2026 10:00:00' },
    });
    // Read as before: 13 and 14 November day first, 15 to 28 November month first, 1 to 12 November as 11 January to 11 December.
    expect(trend.points.filter((p) => p.period.startsWith('2026-11-')).reduce((n, p) => n + p.rows, 0)).toBe(4 + 28 + 2);
    expect(warnings).toEqual([
      "--date Timestamp mixes day-first and month-first dates: 4 scored rows' dates can only be read day first (e.g. '13/11/2026 10:00:00'), 28 only month first (e.g. '11/15/2026 10:00:00'); each was read in its only order, and the 22 that read either way (e.g. '01/11/2026 10:00:00') month first, so some may be on the wrong day: write the column in one order (or yyyy-mm-dd)",
    ]);
    expect(html).toContain(
      '<b>The dates of Timestamp mix day-first and month-first: 4 scored rows’ dates can only be read day first (e.g. “13/11/2026 10:00:00”), 28 only month first (e.g. “11/15/2026 10:00:00”); each was read in its only order, and the 22 that read either way (e.g. “01/11/2026 10:00:00”) month first, so some may be on the wrong day.</b>',
    );
    // score --report: under the report's line on standard output, with the other lines about its columns (standard error is the log).
    const run = await runCli(['score', inDir('mixed.csv'), '--text-column', 'Review', '-o', inDir('again.csv'), '--report', inDir('again.html'), '--report-date', 'Timestamp']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Report: ${inDir('again.html')} (positive 50.0 %)\n  --report-date Timestamp mixes day-first and month-first dates: 4 scored rows' dates`);
  });
});
