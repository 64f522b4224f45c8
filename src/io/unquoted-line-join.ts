const LF = 0x0a;
const CR = 0x0d;
const BACKSLASH = 0x5c;

/** A line as csv-parse hands it over under --quote none: it ends at every line ending (csv-dialect.ts). */
interface Line {
  fields: string[];
  /** Absolute offset just past the line and its line ending. */
  end: number;
  /** Its line break is escaped: its bytes go with the next line's, as one record. */
  held?: boolean;
}

/**
 * With --quote none (unquoted-cells.ts), a line break after a backslash is part of a cell: MySQL's INTO OUTFILE and
 * Python's csv with QUOTE_NONE write a review's line break so. csv-parse, which escapes inside quotes only, ends a
 * line there all the same; this marks each such line `held`, and the reader (csv-reader.ts) takes no record at it, so
 * the next record's bytes begin where the held line's did: one record, its raw bytes all of its lines, never a
 * checkpoint between them. A line ends escaped when an odd run of backslashes stands before its line ending (`\\` is a
 * backslash), as the record-end scanners read it (csv-bytes.ts). At the end of the input a last line still held (its
 * final line break escaped) is a record cut short: MySQL ends every record with a line break no backslash escapes, so
 * the line that continued it is missing (cut-short.ts); `mark` says so, and the reader stops there.
 */
export class UnquotedLineJoin {
  /** The end of the last line held, while no line has ended its record since (across chunks). */
  private heldEnd: number | undefined;

  /**
   * Marks the lines whose line break is escaped; `byteAt` reads the input's bytes from the current record's start on.
   * True when `final` and the input ends held: the last record was cut after an escaped line break.
   */
  mark(lines: Array<Line>, byteAt: (at: number) => number | undefined, final: boolean): boolean {
    for (const line of lines) {
      line.held = escapedLineEnd(line.end, byteAt);
      this.heldEnd = line.held ? line.end : undefined;
    }
    return final && this.heldEnd !== undefined;
  }

  /** Forgets a held line: the reader scans the record's end itself from its start (an oversized record). */
  clear(): void {
    this.heldEnd = undefined;
  }
}

/** An odd run of backslashes just before the line ending that ends at `end`. */
function escapedLineEnd(end: number, byteAt: (at: number) => number | undefined): boolean {
  // A line ends at an LF (or a CRLF): a CR alone is data with --quote none (csv-dialect.ts).
  const last = byteAt(end - 1);
  if (last !== LF) return false;
  let at = last === LF && byteAt(end - 2) === CR ? end - 3 : end - 2;
  let run = 0;
  while (byteAt(at) === BACKSLASH) {
    run++;
    at--;
  }
  return run % 2 === 1;
}
