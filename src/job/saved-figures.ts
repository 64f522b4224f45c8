import { REPEATED_HEADER } from '../io/csv-reader.js';
import type { LabelCounts } from '../state/label-counts.js';
import type { NumberOnlyRows } from '../scoring/number-only-text.js';
import { rowsSince, totalsSince, type Totals } from '../state/totals.js';
import type { RowFigures } from './run-tally.js';
import { blankRowsOf, numberOnlyOf, oneColumnRepeatNote, type Summary } from './summary.js';

/** Where the last checkpoint written stands: the job's totals and its next row, which the next run continues from. */
export interface SavedPoint {
  totals: Totals;
  /** The whole output's counts per label then (absent: unknown, state/label-counts.ts). */
  labels?: LabelCounts;
  /** The whole output's texts only a number then (`rows: 0`: none; absent: unknown), as the checkpoint holds them. */
  numberOnly?: NumberOnlyRows;
  /** The whole output's blank rows then (0: none; absent: unknown), as the checkpoint holds them. */
  blankRows?: number;
  nextIndex: number;
  /** This run's figures per row (answers per label, failures and skips per code) as they stood then. */
  figures: RowFigures;
}

/** What the journal keeps of the answers this run received, for rows from `nextIndex` on (answer-journal.ts). */
export interface JournalCounts {
  keptFrom(nextIndex: number): number;
  unkeptFrom(nextIndex: number): number;
}

/**
 * The figures of a run as the job will stand for the next run. The pipeline counts a row when it hands it to the
 * writer, but a fault (a full disk under the partial output, the checkpoint or the journal: exit 74) can stop the run
 * before a checkpoint holds it: the next run starts from the last checkpoint written and scores those rows again.
 * So the job's rows, and this run's (its totals, and its answers per label, failures and skips per code, with the
 * note on a one-column CSV's repeated header, `onlyColumn`), are those `saved` holds; the rows counted past it, and
 * for a paid backend the answers received for rows past it that the journal could not keep (requested and paid for
 * again), are said apart (`run.notWritten`). The requests stay as the service received them: they were sent,
 * whatever became of their answers.
 */
export function asSaved(summary: Summary, saved: SavedPoint | undefined, context: { journal: JournalCounts | undefined; onlyColumn: string | undefined }): Summary {
  if (!saved) return summary;
  const lost = rowsSince(saved.totals, summary.totals);
  const answersNotKept = summary.remote ? (context.journal?.unkeptFrom(saved.nextIndex) ?? 0) : 0;
  // The figures per row are counted as rows are handed to the writer, the one whose write the disk refused among them
  // (in no total): the checkpoint's replace them even when no row was counted past it.
  const { oneColumnRepeat: _note, labels: _labels, numberOnly: _jobNumberOnly, blankRows: _jobBlank, ...rest } = summary;
  const { rateLimitedCodes: _codes, answeredEarlier: _earlier, leftOutRows: _leftOut, blankRows: _blank, numberOnly: _numberOnly, ...run } = summary.run;
  const repeatNote = oneColumnRepeatNote(context.onlyColumn, saved.figures.skippedByCode[REPEATED_HEADER] ?? 0);
  const figures = { ...rest, ...(saved.labels ? { labels: saved.labels } : {}), ...numberOnlyOf(saved.numberOnly), ...blankRowsOf(saved.blankRows), ...repeatNote, run: { ...run, ...saved.figures } };
  if (lost.read === 0 && answersNotKept === 0) return figures;
  // totalsSince(lost, t): `t` less the rows counted past the checkpoint.
  return {
    ...figures,
    totals: totalsSince(lost, summary.totals),
    run: {
      ...figures.run,
      totals: totalsSince(lost, summary.run.totals),
      notWritten: { rows: lost.read, ...(summary.remote ? { answersNotKept } : {}) },
    },
  };
}

/**
 * Records read that a stop or a fault left unwritten (`rows`: read ahead, waiting, in flight, or the one whose write
 * the disk refused), from row `nextIndex` on, and how many of them the journal holds answers for: in none of the
 * totals, read again by the next run. Nothing when there are none.
 */
export function unwrittenOf(rows: number, nextIndex: number, journal: JournalCounts | undefined, lastRowChanged = false): Pick<Summary, 'unwritten'> {
  return rows > 0 ? { unwritten: { rows, answered: journal?.keptFrom(nextIndex) ?? 0, ...(lastRowChanged ? { lastRowChanged } : {}) } } : {};
}
