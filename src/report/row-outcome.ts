/**
 * How the report reads a scored row's outcome, alike from a CSV's cells (scored-rows.ts) and a JSONL record's field
 * (scored-jsonl-rows.ts): the codes of rows it cannot read sentiment from, a label and score it can trust, the error's
 * message.
 */
import type { ScoredFileOptions, ScoredRow } from './scored-rows.js';

/** Per-row codes of records the report cannot read sentiment from. */
export const REPORT_ROW_CODES = { notScored: 'not_scored', badScore: 'bad_score' } as const;

/** A label and positive score as score writes them; anything else is no score the report can count. */
export function scoredOutcome(label: unknown, positive: unknown): ScoredRow['outcome'] {
  if ((label !== 'POSITIVE' && label !== 'NEGATIVE') || typeof positive !== 'number' || !(positive >= 0 && positive <= 1)) {
    return { kind: 'error', code: REPORT_ROW_CODES.badScore };
  }
  return { kind: 'scored', label, positive };
}

/** The reason after the code in an error cell or field, as a row holds it: nothing when there is none. */
export const withMessage = (message: string | undefined): { errorMessage?: string } => (message === undefined ? {} : { errorMessage: message });

/** The text was named on the command line (or by `score --report`'s settings), not left to the run's or the default. */
export function isNamedByFlag(named: ScoredFileOptions['textNamed']): boolean {
  return named !== false && named !== 'checkpoint';
}
