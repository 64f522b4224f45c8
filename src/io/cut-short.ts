import { CutShortError } from '../errors.js';

/**
 * An input that ends inside a record: an export cut off (the job that wrote it stopped, a copy that failed) or read
 * while still being written. Every record the export should have had after the cut is missing, and nothing in the
 * output says so: the cut record scored as it stands (a ragged row, a line that is not JSON), the run ended exit 0, and
 * a nightly job had scored part of its export unseen. So it stops the run as an unclosed quote at the end does (exit 3):
 * the records before are kept, and the export, once complete, is a new input. Only a last record with no line ending
 * counts: a record that was cut never has one, and one that ends is whole, however broken (a failed row, as before).
 * Nor one of white space only (a stray space after the last line break, a habit of editors): no export's record is
 * cut to that, and it fails as a row, as before.
 */
const CUT_SHORT =
  'the export looks cut short (still being written when it was read, or the job that wrote it stopped): let it finish or export it again, then run the same command';

/**
 * The error of an input cut short: `place` (what is cut, and where), CUT_SHORT after `joiner`, then `then` (what to do
 * if the file is complete). Every message that holds CUT_SHORT is built here, so that its place is also a field: a
 * command that reads another kind of file gives its own advice for that place (report/cut-short-output.ts).
 */
export function cutShort(place: string, then: string, options: { joiner?: ': ' | '; '; record?: string; cause?: unknown } = {}): CutShortError {
  const { joiner = '; ', ...rest } = options;
  return new CutShortError(`${place}${joiner}${CUT_SHORT}${then}`, place, rest);
}

/** Where a record starts: its absolute byte and, when known (not after a resume), its line. */
export interface RecordPlace {
  byte: number;
  line?: number;
}

/** The CSV/TSV reader's, and the check before a paid run's: a last record with fewer fields than the header and no line ending. */
export function csvRecordCutShort(where: RecordPlace, fields: number, width: number): CutShortError {
  return cutShort(
    `the input ends inside a row: the record starting at ${placeOf(where)} has ${fields} of the header's ${width} fields and no line ending`,
    '. If the file is complete and that row is only short, end it with a line break: it is then a ragged row, written with its error',
  );
}

/**
 * The --quote none reader's, and the check before a paid run's: a last record whose final line break is escaped (a
 * backslash before it). MySQL's INTO OUTFILE ends every record with a line break no backslash escapes, so the export
 * was cut just after a line break inside a review, as an RFC file cut inside a quoted value after one (unquoted-cells.ts).
 */
export function escapedLineBreakCutShort(where: RecordPlace): CutShortError {
  return cutShort(
    `the input ends inside a row: the record starting at ${placeOf(where)} ends with an escaped line break (a backslash before it), and the line that continues it is missing`,
    // Not 'one more line break': that reads the escaped line break as the text's last character, the backslash gone.
    '. If the file is complete and that row only ends in a backslash, write it as two (\\\\) before that line break',
  );
}

/**
 * The --quote none reader's, and the check before a paid run's: a last record whose text ends in a backslash that
 * escapes nothing (the input's last byte, or before a last CR). Such exports write a backslash of the text as `\\`
 * and end every record with a line break, so the export was cut between a backslash and the character it escaped,
 * as one ending in an escaped line break was cut after it (escapedLineBreakCutShort). Read as text before, exit 0.
 */
export function loneBackslashCutShort(where: RecordPlace): CutShortError {
  return cutShort(
    `the input ends inside a row: the record starting at ${placeOf(where)} ends with a backslash that escapes nothing (the character after it is missing: an export that quotes nothing writes a backslash of its text as \\\\ and ends every row with a line break)`,
    '. If the file is complete and that row only ends in a backslash, write it as two (\\\\) and end the row with a line break',
  );
}

/** The JSONL reader's, and the check before a paid run's: a last line that is not complete JSON and has no line ending. */
export function jsonlLineCutShort(where: RecordPlace, line: string): CutShortError {
  return cutShort(
    `the input ends inside a record: the line starting at ${placeOf(where)} is not complete JSON and has no line ending`,
    '. If the file is complete and that line is only broken, end it with a line break: it is then an invalid_json row, written with its error',
    { record: line },
  );
}

/** A CSV/TSV last record (no line ending) that is cut: fewer fields than the header's, and more than white space (`blank`: none). */
export function isCutCsvRecord(fields: number, width: number, blank: boolean): boolean {
  return fields < width && !blank;
}

/** A JSONL last line (no line ending) that is cut: more than white space, and not JSON (a BOM opening it aside). */
export function isCutJsonlLine(text: string): boolean {
  const content = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (isWhiteSpace(content)) return false;
  try {
    JSON.parse(content);
    return false;
  } catch {
    return true;
  }
}

/** Only white space (JavaScript's: a no-break or an ideographic space, a BOM too), or nothing. */
export function isWhiteSpace(text: string): boolean {
  return /^\s*$/.test(text);
}

function placeOf(where: RecordPlace): string {
  return `${where.line === undefined ? '' : `line ${where.line}, `}byte ${where.byte}`;
}
