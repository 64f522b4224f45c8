import { describe, expect, it } from 'vitest';
import { RunTally } from '../src/job/run-tally.js';
import { asSaved, type SavedPoint } from '../src/job/saved-figures.js';
import { formatSummary, oneColumnRepeatNote, type Summary } from '../src/job/summary.js';
import { leftOutRowsLine } from '../src/job/skipped-rows-lines.js';
import type { InputRecord, Outcome } from '../src/io/record.js';
import { emptyTotals, type Totals } from '../src/state/totals.js';

/**
 * After a full disk (exit 74) the run's figures are the last checkpoint's (saved-figures.ts). Its answers per label and
 * skips per code were still those of every row handed to the writer: 'rows 301: scored 301' above 'scored as POSITIVE
 * 338' (test/e2e-full-disk-figures.test.ts on a tmpfs, when root); the note on a one-column CSV's repeated header too.
 */
const record = (index: number): InputRecord => ({ index, byteEnd: index + 1, text: { ok: true, value: `text ${index}` }, raw: `${index}` });
const positive: Outcome = { kind: 'scored', label: 'POSITIVE', positive: 0.9, negative: 0.1 };
const repeat: Outcome = { kind: 'skipped', failure: { code: 'repeated_header', message: 'the row repeats the header' } };

/** A fault's summary as the run builds it: the live totals and tally, the rows handed to the writer. */
function faultSummary(totals: Totals, tally: RunTally): Summary {
  const figures = tally.snapshot();
  return {
    status: 'failed',
    exitCode: 74,
    input: 'in.csv',
    output: 'out.csv',
    model: 'embedded:test',
    remote: false,
    totals,
    run: { totals, ...figures },
    ...oneColumnRepeatNote('text', figures.skippedByCode.repeated_header ?? 0),
    resumed: false,
    elapsedSeconds: 1,
    estimatedCostUsd: 0,
  };
}

describe('a fault\'s figures as the last checkpoint holds them', () => {
  it('answers per label and skips per code are the checkpoint\'s rows, the repeated-header note with them', () => {
    const tally = new RunTally();
    const totals = emptyTotals();
    const hand = (index: number, outcome: Outcome, count: boolean): void => {
      tally.written(record(index), outcome);
      if (!count) return; // the row whose write the disk refused: handed to the writer, in no total
      totals.read += 1;
      if (outcome.kind === 'scored') totals.scored += 1;
      else totals.skipped += 1;
    };
    for (let i = 0; i < 3; i++) hand(i, positive, true);
    hand(3, repeat, true);
    const saved: SavedPoint = { totals: { ...totals }, nextIndex: 4, figures: tally.rowFigures() };
    // Past the checkpoint: two rows counted, and the one the disk refused.
    hand(4, positive, true);
    hand(5, repeat, true);
    hand(6, positive, false);

    const summary = asSaved({ ...faultSummary(totals, tally), labels: { POSITIVE: 4, NEGATIVE: 0 } }, { ...saved, labels: { POSITIVE: 3, NEGATIVE: 0 } }, { journal: undefined, onlyColumn: 'text' });
    expect(summary.totals).toMatchObject({ read: 4, scored: 3, skipped: 1 });
    // The whole output's counts per label, as the checkpoint holds them with its totals.
    expect(summary.labels).toEqual({ POSITIVE: 3, NEGATIVE: 0 });
    expect(summary.run.labels).toEqual({ POSITIVE: 3 });
    expect(summary.run.skippedByCode).toEqual({ repeated_header: 1 });
    expect(summary.run.notWritten).toEqual({ rows: 2 });
    expect(summary.oneColumnRepeat).toMatch(/^repeated_header: 1 row equal to the only column's name 'text'/);
    expect(formatSummary(summary)).toContain('\n  scored as POSITIVE 3\n');
  });

  it('the rows without the text field (leftOutRows) are the checkpoint\'s too, as are the skips they are among', () => {
    const tally = new RunTally();
    const totals = emptyTotals();
    const noText: Outcome = { kind: 'skipped', failure: { code: 'empty_text', message: 'the text is empty or only white space; not sent' } };
    const leftOut = (index: number): InputRecord => ({ ...record(index), text: { ok: true, value: '' }, textLeftOut: true });
    const hand = (index: number): void => {
      tally.written(leftOut(index), noText);
      totals.read += 1;
      totals.skipped += 1;
    };
    hand(0);
    hand(1);
    const saved: SavedPoint = { totals: { ...totals }, nextIndex: 2, figures: tally.rowFigures() };
    hand(2);
    const summary = asSaved(faultSummary(totals, tally), saved, { journal: undefined, onlyColumn: undefined });
    expect(summary.run.skippedByCode).toEqual({ empty_text: 2 });
    expect(summary.run.leftOutRows).toBe(2);
    expect(formatSummary(summary)).toContain('\n  skipped by code: empty_text 2\n  empty_text: 2 rows lack the text field ');

    // None by the checkpoint, one past it: none said.
    const later = new RunTally();
    const laterTotals = { ...emptyTotals(), read: 1, scored: 1 };
    later.written(record(0), positive);
    const before: SavedPoint = { totals: { ...laterTotals }, nextIndex: 1, figures: later.rowFigures() };
    later.written(leftOut(1), noText);
    laterTotals.read += 1;
    laterTotals.skipped += 1;
    const none = asSaved(faultSummary(laterTotals, later), before, { journal: undefined, onlyColumn: undefined });
    expect(none.run.leftOutRows).toBeUndefined();
    expect(formatSummary(none)).not.toContain('lack the text field');
  });

  it('the blank rows (blankRows) are the checkpoint\'s: one past it is not said', () => {
    const tally = new RunTally();
    const totals = { ...emptyTotals(), read: 1, scored: 1 };
    const noText: Outcome = { kind: 'skipped', failure: { code: 'empty_text', message: 'the text is empty or only white space; not sent' } };
    tally.written(record(0), positive);
    const saved: SavedPoint = { totals: { ...totals }, nextIndex: 1, figures: tally.rowFigures() };
    tally.written({ ...record(1), text: { ok: true, value: '' }, blankRow: true }, noText);
    totals.read += 1;
    totals.skipped += 1;
    const summary = asSaved(faultSummary(totals, tally), saved, { journal: undefined, onlyColumn: undefined });
    expect(summary.run.blankRows).toBeUndefined();
    expect(formatSummary(summary)).not.toContain('blank');
  });

  it('a fault on the first write after a checkpoint: no row counted past it, the refused one still out of the labels', () => {
    const tally = new RunTally();
    const totals = { ...emptyTotals(), read: 2, scored: 2 };
    tally.written(record(0), positive);
    tally.written(record(1), positive);
    const saved: SavedPoint = { totals: { ...totals }, nextIndex: 2, figures: tally.rowFigures() };
    tally.written(record(2), positive);
    const summary = asSaved(faultSummary(totals, tally), saved, { journal: undefined, onlyColumn: undefined });
    expect(summary.run.labels).toEqual({ POSITIVE: 2 });
    expect(summary.run.notWritten).toBeUndefined();
  });
});

// A BigQuery export with one NULL review: the line said '1 row lack the text field'.
describe('the left-out rows line', () => {
  it('agrees with its count', () => {
    expect(leftOutRowsLine(1)).toMatch(/^empty_text: 1 row lacks the text field \(/);
    expect(leftOutRowsLine(2)).toMatch(/^empty_text: 2 rows lack the text field \(/);
  });
});

// Texts that are only a number (run.numberOnly) are counted per row written, as the labels are: after a fault, the
// checkpoint's; one past it is not this run's, and none by the checkpoint is none said.
describe('a fault\'s texts that are only a number, as the last checkpoint holds them', () => {
  it('counts those the checkpoint holds, and says none when it holds none', () => {
    const number = (index: number, value: string): InputRecord => ({ ...record(index), text: { ok: true, value } });
    const tally = new RunTally();
    const totals = emptyTotals();
    const hand = (index: number, value: string): void => {
      tally.written(number(index, value), positive);
      totals.read += 1;
      totals.scored += 1;
    };
    hand(0, 'lovely');
    hand(1, '3');
    const saved: SavedPoint = { totals: { ...totals }, nextIndex: 2, figures: tally.rowFigures() };
    hand(2, '4.5');
    const summary = asSaved(faultSummary(totals, tally), saved, { journal: undefined, onlyColumn: undefined });
    expect(summary.run.numberOnly).toEqual({ rows: 1, firstRow: 2 });
    expect(formatSummary(summary)).toContain('\n  1 text is only a number (row 2): its score says nothing of sentiment\n');

    const later = new RunTally();
    const laterTotals = { ...emptyTotals(), read: 1, scored: 1 };
    later.written(record(0), positive);
    const before: SavedPoint = { totals: { ...laterTotals }, nextIndex: 1, figures: later.rowFigures() };
    later.written(number(1, '7'), positive);
    const none = asSaved(faultSummary({ ...laterTotals, read: 2, scored: 2 }, later), before, { journal: undefined, onlyColumn: undefined });
    expect(none.run).not.toHaveProperty('numberOnly');
    expect(formatSummary(none)).not.toContain('only a number');
  });
});
