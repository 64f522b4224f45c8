import { parse } from 'csv-parse/sync';
import { unquotedCells } from './unquoted-cells.js';
import { lookedLines } from './unquoted-look.js';
import { startWithin } from '../wording/shown-start.js';

/**
 * Under --quote none a quote is text (unquoted-cells.ts). A file whose header is bare but which quotes the cells that
 * need it (`1,"great, love it"`: pandas' and Python's csv default, QUOTE_MINIMAL) passes the header's check
 * (preflight/quoted-header.ts), and each row whose quoted cell holds the delimiter splits there: ragged_row, exit 0,
 * nothing saying the file quotes cells. Such a row is one that reads ragged so but, read with quotes, has the header's
 * width, a cell of it holding the delimiter: the start-up warning names the first in the file's first lines, and each
 * such row's failure says to drop --quote none. A MySQL export's review that opens with a quote (`"Great app, love it`)
 * closes no quoted cell, and one written `"whole"` holds no delimiter (MySQL escapes it): neither counts.
 */
export function quotedCellOfRow(body: string, delimiter: string, width: number): string | undefined {
  if (!body.includes('"') || unquotedCells(body, delimiter).length === width) return undefined;
  // A quote inside a quoted cell doubled (pandas' default) or after a backslash (its escapechar='\\').
  for (const escape of ['"', '\\']) {
    try {
      const rows = parse(body, { delimiter, escape, quote: '"', relax_column_count: true, record_delimiter: ['\r\n', '\n'] }) as string[][];
      const [only] = rows;
      if (rows.length !== 1 || only === undefined || only.length !== width) continue;
      const cell = only.find((value) => value.includes(delimiter));
      if (cell !== undefined) return cell;
    } catch {
      // Not a row of closed quoted cells read so.
    }
  }
  return undefined;
}

/** Characters of the cell shown in the warning. */
const SHOWN = 60;

/**
 * The first line of `head` (the input's first bytes, its header first) that quotes a cell holding the delimiter and
 * reads whole with quotes (quotedCellOfRow): its 1-based line and that cell as written, for the start-up warning.
 * The lines judged are looksUnquoted's (lookedLines): the last too, when the look holds the whole file.
 */
export function firstQuotedCellLine(head: string, delimiter: string, width: number): { line: number; cell: string } | undefined {
  // Lines as csv-parse counts them here (record_delimiter CRLF and LF: a CR alone is no line break).
  for (const [at, line] of lookedLines(head, /\r\n|\n/).entries()) {
    if (at === 0) continue;
    const cell = quotedCellOfRow(line, delimiter, width);
    if (cell === undefined) continue;
    const shown = cell.length > SHOWN ? `${startWithin(cell, SHOWN)}...` : cell;
    return { line: at + 1, cell: `"${shown.replaceAll('"', '""')}"` };
  }
  return undefined;
}

/** The warning about such a file at start-up; `named` is --quote none as given, `drop` how to drop it. */
export function quotedCellsWarning(at: { line: number; cell: string }, named: { setting: string; drop: string }): string {
  return (
    `line ${at.line} of the input has a quoted cell holding the delimiter ('${at.cell}'), and ${named.setting} reads a quote as text: such a row is ragged (ragged_row), not scored. ` +
    `The file quotes the cells that need it (pandas' and Python's csv default): ${named.drop}`
  );
}

/** What a ragged row's failure adds when it is such a row. */
export function quotedRowAdvice(width: number): string {
  // The reader does not know whether a flag or a job file gave --quote none: the start-up warning says what to drop.
  return `; read with quotes it is one row of ${width}: the file quotes the cells that need it, and --quote none reads a quote as text`;
}
