/**
 * A row's output text: one string, or for a huge record its parts, written one after another and never joined. A JSONL
 * line of an 11.6 MB text is its raw line's head (a view into the record's raw string), the new field and the close:
 * joined, V8 flattened it into one more copy of the record as it was encoded (NOTES-lowfix77.md).
 */
export type RowText = string | readonly string[];

/** The row's text as one string: for a check that compares it whole (prove-checkpoint, mend), not for the write. */
export function joinedRow(text: RowText): string {
  return typeof text === 'string' ? text : text.join('');
}

/** The row's UTF-8 length. */
export function rowBytes(text: RowText): number {
  return typeof text === 'string' ? Buffer.byteLength(text) : text.reduce((sum, part) => sum + Buffer.byteLength(part), 0);
}
