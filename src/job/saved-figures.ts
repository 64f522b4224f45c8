import { rowsSince, totalsSince, type Totals } from '../state/totals.js';
import type { Summary } from './summary.js';

/** Where the last checkpoint written stands: the job's totals and its next row, which the next run continues from. */
export interface SavedPoint {
  totals: Totals;
  nextIndex: number;
}

/** Answers this run received that its journal could not keep (answer-journal.ts). */
export interface UnkeptAnswers {
  unkeptFrom(nextIndex: number): number;
}

/**
 * The figures of a run as the job will stand for the next run. The pipeline counts a row when it hands it to the
 * writer, but a fault (a full disk under the partial output, the checkpoint or the journal: exit 74) can stop the run
 * before a checkpoint holds it: the next run starts from the last checkpoint written and scores those rows again.
 * So the job's rows, and this run's, are those `saved` holds; the rows counted past it, and for a paid backend the
 * answers received for rows past it that the journal could not keep (requested and paid for again), are said apart
 * (`run.notWritten`). The requests stay as the service received them: they were sent, whatever became of their answers.
 */
export function asSaved(summary: Summary, saved: SavedPoint | undefined, journal: UnkeptAnswers | undefined): Summary {
  if (!saved) return summary;
  const lost = rowsSince(saved.totals, summary.totals);
  const answersNotKept = summary.remote ? (journal?.unkeptFrom(saved.nextIndex) ?? 0) : 0;
  if (lost.read === 0 && answersNotKept === 0) return summary;
  // totalsSince(lost, t): `t` less the rows counted past the checkpoint.
  return {
    ...summary,
    totals: totalsSince(lost, summary.totals),
    run: {
      ...summary.run,
      totals: totalsSince(lost, summary.run.totals),
      notWritten: { rows: lost.read, ...(summary.remote ? { answersNotKept } : {}) },
    },
  };
}
