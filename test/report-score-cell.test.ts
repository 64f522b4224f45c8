import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readScoreCell } from '../src/io/decimal-mark.js';
import { readScoredRows, type ScoredRow } from '../src/report/scored-rows.js';

// A score cell `1,000` (a hand-edited file, or a decimal-comma locale's spreadsheet that grouped it) was read as 1.0:
// its comma taken for a decimal comma, though it reads as a thousand with the comma grouping digits. Score never writes
// such a cell (it writes `1`), and a number whose reading depends on the locale is no score: the row is bad_score.
describe('a score cell that is not as score writes it', () => {
  it('reads no cell whose mark could group thousands (1,000 or 1.000), in either form', () => {
    for (const cell of ['1,000', '1.000', '12,345', '1,000,000', '1.000.000', '100,000']) expect(readScoreCell(cell), cell).toBeNaN();
  });

  it('reads no cell of anything but digits, one mark and an exponent: hex, signs, spaces, Infinity', () => {
    for (const cell of ['0x1', '0b1', ' 0.5', '0.5 ', '+0.5', 'Infinity', '.5', '5.', '0,5,1']) expect(readScoreCell(cell), cell).toBeNaN();
  });

  it('still reads both marks where the cell can mean one number only', () => {
    expect(readScoreCell('0,975')).toBe(0.975);
    expect(readScoreCell('0.975')).toBe(0.975);
    expect(readScoreCell('1')).toBe(1);
    expect(readScoreCell('0')).toBe(0);
    expect(readScoreCell('1,5e-7')).toBe(1.5e-7);
    expect(readScoreCell('1e-7')).toBe(1e-7);
    expect(readScoreCell('0.50')).toBe(0.5);
    expect(readScoreCell('1,0')).toBe(1);
  });
});

describe('report of a file with a score cell 1,000', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts the row as bad_score, not as a score of 1', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-report-score-cell-'));
    const file = path.join(dir, 'edited.csv');
    writeFileSync(file, 'text;sentiment_label;sentiment_positive;sentiment_negative;sentiment_truncated;sentiment_error\ngood;POSITIVE;1,000;0;;\nbad;NEGATIVE;0,1;0,9;;\n');
    const rows: ScoredRow[] = [];
    for await (const row of readScoredRows(file, { format: undefined, delimiter: ';', text: 'text', prefix: 'sentiment', by: undefined, date: undefined, rating: undefined })) rows.push(row);
    expect(rows.map((row) => row.outcome)).toEqual([
      { kind: 'error', code: 'bad_score' },
      { kind: 'scored', label: 'NEGATIVE', positive: 0.1 },
    ]);
  });
});
