import { withoutEndingAt } from '../io/ended-since.js';
import type { Position } from './pipeline.js';
import type { Source } from './source.js';

/**
 * Whether a pass that starts at `position` under `limit` owes the output the line ending of the row before it: a --limit
 * job that reached its limit on its export's last row, written without a line ending, and continued once the export
 * ends that row with one (rows after it or not: grown-input.ts). A fresh run of that export writes the row with its
 * line ending; the continuing pass reads it as a blank line past the limit, which limit.ts firstRecords passes through
 * only when this says so. Taken from the input, not from the decision: a run killed after the completed job was made a
 * paused one (grown-input.ts pauseGrownJob) resumes that paused job, and owes the ending still.
 *
 * Asked only once the limit is reached (the blank line is past it only then): the record the position's last row
 * starts at is read again, and owes it when it now ends one line ending further on (io/ended-since.ts).
 */
export async function lineEndingOwed(source: Pick<Source, 'recordAt'>, position: Position, limit: number | undefined): Promise<boolean> {
  if (limit === undefined || position.nextIndex < limit || position.lastInputStart === undefined) return false;
  // Unreadable there: the pass's own read says what is wrong; nothing is owed that cannot be shown.
  const record = await source.recordAt(position.lastInputStart).catch(() => undefined);
  return record !== undefined && withoutEndingAt(record, position.inputOffset) !== record;
}
