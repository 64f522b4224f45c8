import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

// A --date or --rating column none of whose values could be read in any scored row (`report --date title`) wrote a
// page whose trend (or rating view) was empty and exited 0. Refused now, as a column the file does not have is.
describe('report: a --date or --rating column with no readable value', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const csv = ['id,title,date,stars,text', '1,Great,11/3/26,five,lovely phone', '2,Bad,2026-11-04,1,awful phone', '3,Fine,3-Nov-26,4,works well', ''].join('\n');

  // `report --date title` (a column that holds no dates) wrote a page whose trend was empty and exited 0: a wrong
  // result, as a column the file does not have is (exit 2). Refused now, nothing written, the previous report kept.
  it('a --date column with no readable date in any scored row: exit 2, no report written', async () => {
    const input = path.join(dir, 'r.csv');
    writeFileSync(input, csv);
    const scored = path.join(dir, 'r.scored.csv');
    expect((await runCli(['score', input, '-o', scored])).code).toBe(0);
    const page = path.join(dir, 'r2.html');
    expect((await runCli(['report', scored, '--date', 'date', '-o', page])).code).toBe(0);
    const last = readFileSync(page, 'utf8');
    const report = await runCli(['report', scored, '--date', 'title', '-o', page]);
    expect(report.code).toBe(2);
    expect(report.stdout).toBe('');
    expect(report.stderr).toBe(
      "sentiment-batch: --date title: no date could be read in any of the 3 scored rows (e.g. 'Great', 'Bad', 'Fine'); a date is written as 2026-11-03, 11/03/2026, 03.11.2026, Nov 3, 2026 or a Unix time (every form read is listed in docs/report.md): name the column that holds the dates (or none, for no trend); no report written\n",
    );
    expect(readFileSync(page, 'utf8')).toBe(last);
    // As for a wrong --rating column.
    const rating = await runCli(['report', scored, '--rating', 'title', '-o', path.join(dir, 'r3.html')]);
    expect(rating.code).toBe(2);
    expect(rating.stderr).toBe(
      "sentiment-batch: --rating title: no rating could be read in any of the 3 scored rows; a rating is the cell's leading number (4, 4.0, 4 stars, 4/5, ★★★★☆): name the column that holds the ratings (or none); no report written\n",
    );
    expect(existsSync(path.join(dir, 'r3.html'))).toBe(false);
  });

  it('score --report-date naming a column with no dates: exit 2 after the run, the output complete; the right column then writes only the report', async () => {
    const input = path.join(dir, 'r.csv');
    writeFileSync(input, csv);
    const scored = path.join(dir, 'r.scored.csv');
    const page = path.join(dir, 'r.html');
    const summaryJson = path.join(dir, 's.json');
    const score = await runCli(['score', input, '-o', scored, '--report', page, '--report-date', 'title', '--summary-json', summaryJson]);
    expect(score.code).toBe(2);
    expect(score.stderr).toContain(
      "sentiment-batch: --report-date title: no date could be read in any of the 3 scored rows (e.g. 'Great', 'Bad', 'Fine'); a date is written as 2026-11-03,",
    );
    expect(score.stderr).toContain('name the column that holds the dates (or none, for no trend); no report written (the output is complete: the same command with the right column writes only the report)\n');
    expect(existsSync(page)).toBe(false);
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ exitCode: 2, outputComplete: true, report: { written: false } });
    const again = await runCli(['score', input, '-o', scored, '--report', page, '--report-date', 'date']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Already done');
    expect(existsSync(page)).toBe(true);
  });

  it('one scored row, no date or rating read: "the 1 scored row"; a column empty in every row is reported as it is', async () => {
    const input = path.join(dir, 'one.csv');
    writeFileSync(input, ['id,date,stars,empty,text', '1,soon,five,,lovely phone', ''].join('\n'));
    const scored = path.join(dir, 'one.scored.csv');
    expect((await runCli(['score', input, '-o', scored])).code).toBe(0);
    const date = await runCli(['report', scored, '--date', 'date', '-o', path.join(dir, 'one.html')]);
    expect(date.code).toBe(2);
    expect(date.stderr).toContain("--date date: no date could be read in the 1 scored row (e.g. 'soon');");
    const rating = await runCli(['report', scored, '--rating', 'stars', '-o', path.join(dir, 'one.html')]);
    expect(rating.code).toBe(2);
    expect(rating.stderr).toContain('--rating stars: no rating could be read in the 1 scored row;');
    // No value at all is no wrong name (an export without dates that day): the page says so, exit 0.
    const empty = await runCli(['report', scored, '--date', 'empty', '--rating', 'empty', '-o', path.join(dir, 'one.html')]);
    expect(empty.code, empty.stderr).toBe(0);
  });

});
