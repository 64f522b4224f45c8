import type { InputRecord } from '../io/record.js';

/*
 * Whether the last record written ended with a line break (ordered-writes.ts `lastEnded`, handed on as PipelineEnd
 * `lastRowEnded`). A run that finds its input changed once it has read it through (gzipped in place, rewritten,
 * appended to: input-unchanged.ts) checkpoints the rows it wrote (complete-output.ts), which are the bytes it read and
 * which the next run proves against the checkpoint's `consumed` hash before continuing (same-input.ts). A last record
 * with no line ending may be a row a writer still at work had not finished, scored as if whole: its bytes are a prefix
 * of the finished file's, so a checkpoint past it passes that comparison, and only the proof of its last row
 * (prove-checkpoint.ts: that row now ends further on) keeps the next run from starting inside it, by starting the whole
 * job over. Such a row is left out (the checkpoint stays where it was: the next run continues before it and reads it
 * again). The pass writes such a row only once the reader has ended and the input was found unchanged (pipeline.ts):
 * found changed then, it is left unwritten and the rows before it checkpointed; here remains the input changed between
 * that look and the completion's. The one look per row written serves the periodic checkpoint too, which skips such a
 * row (ordered-writes.ts `written`).
 */

/**
 * Whether a record may be a row its writer has not finished, were it the last of the input: it has no LF, and, where a
 * CR ends records (`crEnds`: CSV/TSV, same-input.ts crEndsRecords), no lone CR either. Such a CR may be the first half
 * of a CRLF still to come, but a resume's proof of its last row takes a row read ending in that CR, now in CRLF, back to
 * the CR (io/ended-since.ts withoutEndingAt), as the grown export's continuation does: held, a CR-only CSV appended to
 * during a --limit run was checked as a whole file and stopped exit 3, where its LF twin completed. In JSONL a CR ends
 * no record: followed by another record, it ended.
 */
export function mayBeUnfinished(record: Pick<InputRecord, 'raw'>, crEnds = false): boolean {
  return !record.raw.endsWith('\n') && !(crEnds && record.raw.endsWith('\r'));
}

/** Whether a lone CR ends a record in this format (CSV/TSV; in JSONL it is whitespace inside a line). */
export function crEndsRecordsIn(format: string): boolean {
  return format === 'csv' || format === 'tsv';
}
