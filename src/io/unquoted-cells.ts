import { CR, CsvByteReader } from './csv-bytes.js';

/**
 * The "no quoting" dialect (--quote none, docs/input-formats.md#exports-that-quote-nothing): what MySQL's default
 * `SELECT … INTO OUTFILE` (FIELDS TERMINATED BY '\t' ENCLOSED BY '' ESCAPED BY '\\'), PostgreSQL's COPY text format
 * and Python's csv with QUOTE_NONE and an escapechar write. No cell is ever quoted: a quote is a character like any
 * other, and a backslash makes the next character data (a delimiter, a line break, a backslash). It needs the
 * backslash (--escape backslash, config/resolve.ts): with neither a quote nor an escape character no cell could hold a
 * delimiter or a line break, and the error cells a job writes can.
 */

/**
 * What a backslash sequence means when read, as MySQL's LOAD DATA reads it (and PostgreSQL's COPY for `\n`, `\r`,
 * `\t`): `\n` is a line break, not the letter. Every other character after a backslash stands for itself (`\\`,
 * `\"`, a backslash before the delimiter or a line break, as MySQL writes them).
 */
const SEQUENCES: Readonly<Record<string, string>> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a' };

/**
 * The cells of one record's text without its line ending, split at each delimiter not after a backslash, each
 * backslash sequence read (SEQUENCES). A cell that is `\N` alone is MySQL's NULL: no text at all (a missing text is
 * skipped, not sent). A backslash at the very end stays a backslash: nothing follows it to escape.
 */
export function unquotedCells(body: string, delimiter: string): string[] {
  if (!body.includes('\\')) return body.split(delimiter);
  const cells: string[] = [];
  let cell = '';
  /** The cell's own text so far is `\N` and nothing else. */
  let nullCell = false;
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === '\\' && i + 1 < body.length) {
      const next = body[i + 1]!;
      nullCell = next === 'N' && cell === '';
      // A CRLF after a backslash is one escaped line break, as the record-end scanners read it (csv-bytes.ts).
      if (next === '\r' && body[i + 2] === '\n') {
        cell += '\r\n';
        i += 3;
        continue;
      }
      cell += SEQUENCES[next] ?? next;
      i += 2;
      continue;
    }
    if (body.startsWith(delimiter, i)) {
      cells.push(nullCell && cell === 'N' ? '' : cell);
      cell = '';
      nullCell = false;
      i += delimiter.length;
      continue;
    }
    nullCell = false;
    cell += c;
    i++;
  }
  cells.push(nullCell && cell === 'N' ? '' : cell);
  return cells;
}

/**
 * A cell written back in the dialect, as MySQL's LOAD DATA (and this reader) reads it back: a backslash, tab, line
 * feed, carriage return and NUL as `\\`, `\t`, `\n`, `\r` and `\0` (so each output record stays one line), and the
 * delimiter, when it is another character, after a backslash. Never quoted: a quote is plain text here.
 */
export function escapeUnquotedCell(value: string, delimiter: string): string {
  let out = '';
  for (const c of value) {
    if (c === '\\') out += '\\\\';
    else if (c === '\t') out += '\\t';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\0') out += '\\0';
    else if (c === delimiter) out += `\\${c}`;
    else out += c;
  }
  return out;
}

/**
 * Whether a record's text (without its line ending) ends in a backslash that escapes nothing: `\\` when it does, else
 * nothing. Only the input's last record can end so (anywhere else its line break is escaped and the next line joined to
 * it): the reader stops on it as an export cut short (csv-reader.ts, cut-short.ts loneBackslashCutShort). The writer
 * still puts it between such a text and the new cells (csv-format.ts): written alone, that backslash would escape the
 * delimiter after it, and the output would read back a cell short; doubled, `\\` reads back as the same one backslash.
 */
export function unpairedEscape(body: string): string {
  let run = 0;
  while (body[body.length - 1 - run] === '\\') run++;
  return run % 2 === 1 ? '\\' : '';
}

/**
 * The first record of `bytes` read with --quote none (the header): its cells, and its length with its line ending,
 * the first CR, LF or CRLF not after a backslash (as the reader joins lines: unquoted-line-join.ts); all of the bytes
 * when none ends it. The shape of csv-parse's `info: true` record, which the header's reader takes otherwise.
 */
export function unquotedFirstRecord(bytes: Buffer, delimiter: string): { record: string[]; info: { bytes: number } } {
  const lineBreak = new CsvByteReader(delimiter, 'backslash', 'none').scan(bytes, 0);
  // The scanner stops at an LF only (a CR alone is data): a CR just before it is the CRLF's, or it was escaped with it.
  const bodyEnd = lineBreak === -1 ? bytes.length : lineBreak > 0 && bytes[lineBreak - 1] === CR ? lineBreak - 1 : lineBreak;
  const length = lineBreak === -1 ? bytes.length : lineBreak + 1;
  return { record: unquotedCells(bytes.subarray(0, bodyEnd).toString('utf8'), delimiter), info: { bytes: length } };
}

/** The cells of one record's bytes (its line ending included), counted without decoding them: for a record too large to parse. */
export function unquotedFieldCount(bytes: Buffer, delimiter: string): number {
  const reader = new CsvByteReader(delimiter, 'backslash', 'none');
  reader.scan(bytes, 0);
  return reader.fieldEnds + 1;
}
