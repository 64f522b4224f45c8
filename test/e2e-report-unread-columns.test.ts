import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir, warnMessages } from './support/cli.js';

// A --date column whose dates are written in a form the report does not read (Excel's 11/3/26, 3-Nov-26), or the
// wrong column (--date title), gave a page without a trend and a terminal that said only 'Report: … positive 53.6 %':
// the reason was on the page alone. The command now says it too, with the flag as it was given. A column with no
// readable value in any scored row is refused (test/e2e-report-unread-refused.test.ts, slow tier).
describe('report: a --date or --rating column that could not be read', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const csv = ['id,title,date,stars,text', '1,Great,11/3/26,five,lovely phone', '2,Bad,2026-11-04,1,awful phone', '3,Fine,3-Nov-26,4,works well', ''].join('\n');

  it('read in some rows: said on the terminal by score --report and by report, naming the flag, exit 0', async () => {
    const input = path.join(dir, 'r.csv');
    writeFileSync(input, csv);
    const scored = path.join(dir, 'r.scored.csv');
    const score = await runCli(['score', input, '-o', scored, '--report', path.join(dir, 'r.html'), '--report-date', 'date', '--report-rating', 'stars']);
    expect(score.code, score.stderr).toBe(0);
    // Excel's two-digit years: the line says they are not read and what to write instead (it said only 'the forms read are listed').
    expect(score.stdout).toContain(
      "  --report-date date: the date of 2 of 3 scored rows could not be read (e.g. '11/3/26', '3-Nov-26'); a year of two digits is not read (its century is a guess): write years in four digits (in Excel, format the column as yyyy-mm-dd); the forms read are listed in docs/report.md\n",
    );
    // One row of three: "has" (it said "1 of 3 scored rows have").
    expect(score.stdout).toContain("  --report-rating stars: 1 of 3 scored rows has no readable rating: a rating is the cell's leading number (4, 4.0, 4 stars, 4/5, ★★★★☆)\n");
    const report = await runCli(['report', scored, '--date', 'date', '-o', path.join(dir, 'r2.html')]);
    expect(report.code, report.stderr).toBe(0);
    // On standard error, as report's other warnings (score --report's line is in its summary, on standard output).
    expect(warnMessages(report.stderr)).toContainEqual(expect.stringMatching(/^--date date: the date of 2 of 3 scored rows could not be read \(e\.g\. '11\/3\/26', '3-Nov-26'\);/));
  });

  it('says nothing more when every value was read', async () => {
    const input = path.join(dir, 'ok.csv');
    writeFileSync(input, ['id,date,stars,text', '1,2026-11-03,5,lovely phone', '2,2026-11-04,1,awful phone', ''].join('\n'));
    const scored = path.join(dir, 'ok.scored.csv');
    expect((await runCli(['score', input, '-o', scored])).code).toBe(0);
    const report = await runCli(['report', scored, '--date', 'date', '--rating', 'stars', '-o', path.join(dir, 'ok.html')]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(report.stderr).toBe('');
  });
});
