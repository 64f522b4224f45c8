/**
 * An oracle for the promise "correct to the byte" (README, docs/input-formats.md): every output record is the
 * input record's bytes, unchanged and in order, plus the appended answer cells (CSV) or field (JSONL).
 *
 * It reads the INPUT with its own minimal splitter, written from docs/input-formats.md and not from the
 * project's readers (no csv-parse, nothing from src/io): CSV records end at CRLF, LF or CR outside quotes; a
 * value is quoted only when it starts with a quote, `""` inside is one quote, a quote elsewhere is data, and text
 * after a closing quote makes the value the whole cell, quotes included (with `escape: 'backslash'`, a backslash in a
 * quoted value makes the next character data, and `""` is no quote). JSONL lines end at LF. Then it walks the
 * OUTPUT and checks, record for record: the input's bytes, then only what the documentation says is added:
 *
 * - CSV: a blank line unchanged; else the record's text, the empty cells that pad a short row to the header's
 *   width, the five new cells, its own line ending (none for a last record without one). The cells say what the
 *   documentation says the record is: scored, skipped (`empty_text`, `repeated_header`) or failed (`ragged_row`, and
 *   `stray_quote` for a record where a quoted value ran across a line break and closed with text other than padding after its quote;
 *   without --escape, the records of a backslash-escaped row that RFC 4180 split are one `ragged_row`: joinBackslashRows).
 * - JSONL: a blank line unchanged; an object line with `,"<prefix>":{...}` inserted before its final `}` (no comma
 *   for an empty object), the line ending kept; a line that is not an object, or holds the field already, as
 *   `{"<prefix>":{"error":...},"raw":"<the line>"}` (the documented deviation).
 *
 * It also counts what the summary must say (rows read, scored, skipped, failed).
 */

export interface OracleOptions {
  format: 'csv' | 'jsonl';
  /** CSV delimiter (one character, maybe of several bytes). */
  delimiter: string;
  /** --escape: how a quote is written inside a quoted cell (default quote: `""`; backslash: `\"`). */
  escape?: 'quote' | 'backslash';
  /** --quote none: no cell is quoted, a backslash escapes anywhere (docs/input-formats.md#exports-that-quote-nothing). */
  quote?: '"' | 'none';
  textNames: readonly string[];
  /** --prefix; 'sentiment' by default. */
  prefix?: string;
  /** --limit: only the first N records (blank lines between them kept, nothing after the Nth). */
  limit?: number;
  /** A run stopped on purpose, writing to standard output: the output may end early, at a record's end. */
  prefixOnly?: boolean;
  /** The rows the model was asked about may have failed (a service with faults): any code but the readers' is allowed. */
  modelFailures?: boolean;
}

export interface Counts {
  read: number;
  scored: number;
  skipped: number;
  failed: number;
}

export interface OracleVerdict {
  /** What is wrong, one line each (at most a few, with the record's number and bytes). */
  problems: string[];
  /** The counts the summary must show (with modelFailures, a row may move from scored to failed). */
  expected: Counts;
  /** The counts the output shows. */
  found: Counts;
}

/** Codes a reader or the pipeline gives for what a record is; a service's fault never gives these. */
const READER_CODES = new Set(['ragged_row', 'stray_quote', 'repeated_header', 'empty_text', 'invalid_json', 'not_an_object', 'missing_text_field', 'text_not_string', 'answer_field_exists']);

type Expected = { kind: 'scored' } | { kind: 'skipped' | 'failed'; code: string };

/** A record over 16 MiB (its line ending counted) is not parsed: its bytes are copied with `record_too_large`. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;
const tooLarge = (text: string): boolean => text.length > MAX_RECORD_BYTES / 4 && Buffer.byteLength(text) > MAX_RECORD_BYTES;

export function checkOutput(input: Buffer, output: Buffer, options: OracleOptions): OracleVerdict {
  const problems: string[] = [];
  const expected: Counts = { read: 0, scored: 0, skipped: 0, failed: 0 };
  const found: Counts = { read: 0, scored: 0, skipped: 0, failed: 0 };
  const inText = input.toString('utf8');
  const outText = output.toString('utf8');
  if (!Buffer.from(outText, 'utf8').equals(output)) problems.push('the output is not valid UTF-8');
  const walk = options.format === 'csv' ? walkCsv : walkJsonl;
  try {
    walk(inText, outText, options, { problems, expected, found });
  } catch (error) {
    problems.push(`oracle: ${(error as Error).message}`);
  }
  return { problems, expected, found };
}

interface Tally {
  problems: string[];
  expected: Counts;
  found: Counts;
}

/** Counts the record's expected and found outcome, and says when they differ. */
function judge(tally: Tally, where: string, expected: Expected, found: Expected, options: OracleOptions): void {
  tally.expected.read++;
  tally.found.read++;
  tally.expected[expected.kind]++;
  tally.found[found.kind]++;
  const same = expected.kind === found.kind && (expected.kind === 'scored' || (found.kind !== 'scored' && expected.code === found.code));
  const modelFault = options.modelFailures === true && expected.kind === 'scored' && found.kind === 'failed' && !READER_CODES.has(found.code);
  if (!same && !modelFault) tally.problems.push(`${where}: expected ${describe(expected)}, found ${describe(found)}`);
}

const describe = (outcome: Expected): string => (outcome.kind === 'scored' ? 'scored' : `${outcome.kind} ${outcome.code}`);

/** Shows a piece of text with its control characters visible, shortened. */
export function show(text: string, max = 160): string {
  const shown = JSON.stringify(text.length > max ? `${text.slice(0, max / 2)}…${text.slice(-max / 2)}` : text);
  return `${shown} (${Buffer.byteLength(text)} bytes)`;
}

// ---------------------------------------------------------------- CSV

interface CsvRecord {
  /** The record's text without its line ending. */
  body: string;
  ending: '' | '\r\n' | '\n' | '\r';
  /** Values as docs/input-formats.md reads them. */
  fields: string[];
  /** A quoted value ran across a line break and closed with text after its closing quote: rows a stray quote joined. */
  stray: boolean;
  /** Records of a backslash-escaped row that RFC 4180 split, read as one (docs/input-formats.md#backslash-escaped-quotes). */
  joined?: boolean;
}

/** Splits CSV text into records by the documented dialect (`backslash`: --escape backslash). */
export function splitCsv(text: string, delimiter: string, backslash = false): CsvRecord[] {
  const records: CsvRecord[] = [];
  const endOfValue = (from: number): number => {
    let i = from;
    while (i < text.length && text[i] !== '\r' && text[i] !== '\n' && !text.startsWith(delimiter, i)) i++;
    return i;
  };
  let i = 0;
  while (i < text.length) {
    const start = i;
    const fields: string[] = [];
    let stray = false;
    for (;;) {
      const cellStart = i;
      let value: string;
      if (text[i] === '"') {
        const quoted = readQuoted(text, i, backslash);
        if (!quoted) throw new Error(`unterminated quoted field at character ${cellStart}`);
        ({ value, end: i } = quoted);
        // Text after the closing quote: the value is the whole cell, quotes included (the documented deviation).
        const end = endOfValue(i);
        if (end > i) {
          // Only padding after the quote (spaces; tabs too where the tab is not the delimiter) is a padded cell, not rows joined.
          const padding = delimiter === '\t' ? /^ *$/ : /^[ \t]*$/;
          // A quote escaped by a backslash (`\"`: MySQL's ENCLOSED BY '"', an escapechar) closes a review's cell for csv-parse, not rows joined.
          const escaped = !backslash && /(?:^|[^\\])(?:\\\\)*\\$/.test(value);
          if (/[\r\n]/.test(value) && !padding.test(text.slice(i, end)) && !escaped) stray = true;
          value = text.slice(cellStart, end);
        }
        i = end;
      } else {
        i = endOfValue(i);
        value = text.slice(cellStart, i);
        // Backslash: in an unquoted cell too a backslash makes the next character plain; `\N` alone is MySQL's NULL, no value.
        if (backslash) value = value === '\\N' ? '' : value.replace(/\\([\s\S])/g, '$1');
      }
      fields.push(value);
      if (text.startsWith(delimiter, i)) {
        i += delimiter.length;
        continue;
      }
      break;
    }
    const ending = text.startsWith('\r\n', i) ? '\r\n' : text[i] === '\r' ? '\r' : text[i] === '\n' ? '\n' : '';
    records.push({ body: text.slice(start, i), ending, fields, stray });
    i += ending.length;
  }
  return records;
}

/** What a backslash sequence reads as with --quote none (MySQL's LOAD DATA); any other character stands for itself. */
const SEQUENCES: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a' };

/**
 * Splits text into records by docs/input-formats.md#exports-that-quote-nothing (--quote none): a record ends at CRLF
 * or LF not after a backslash (a CR alone is data, but for the text's last character, the last record's ending); a cell at a delimiter not after a backslash; a backslash and the character after it
 * (a CRLF after it as one) are that character's sequence; a cell that is `\N` alone is empty.
 */
function splitUnquoted(text: string, delimiter: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = 0;
  while (i < text.length) {
    const start = i;
    const fields: string[] = [];
    let value = '';
    let raw = '';
    for (;;) {
      const endsHere = text[i] === '\n' || (text[i] === '\r' && (text[i + 1] === '\n' || i + 1 === text.length));
      if (i >= text.length || endsHere || text.startsWith(delimiter, i)) {
        fields.push(raw === '\\N' ? '' : value);
        value = '';
        raw = '';
        if (text.startsWith(delimiter, i)) {
          i += delimiter.length;
          continue;
        }
        break;
      }
      if (text[i] === '\\' && i + 1 < text.length) {
        const escaped = text.startsWith('\r\n', i + 1) ? '\r\n' : (text[i + 1] as string);
        value += SEQUENCES[escaped] ?? escaped;
        raw += `\\${escaped}`;
        i += 1 + escaped.length;
        continue;
      }
      value += text[i];
      raw += text[i];
      i++;
    }
    const ending = text.startsWith('\r\n', i) ? '\r\n' : text[i] === '\r' ? '\r' : text[i] === '\n' ? '\n' : '';
    records.push({ body: text.slice(start, i), ending, fields, stray: false });
    i += ending.length;
  }
  return records;
}

/** A cell as --quote none writes it: backslash, tab, LF, CR and NUL as `\\`, `\t`, `\n`, `\r`, `\0`, the delimiter after a backslash. */
function unquotedCell(value: string, delimiter: string): string {
  const named: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };
  return [...value].map((c) => named[c] ?? (c === delimiter ? `\\${c}` : c)).join('');
}

/** Reads `count` cells written with --quote none, the last one up to a line ending or the end. */
function readUnquotedCells(text: string, from: number, delimiter: string, count: number): { values: string[]; end: number } | undefined {
  // The new cells hold no line break of their own (written as `\n`, `\r`): the line ends them.
  let end = from;
  while (end < text.length && text[end] !== '\r' && text[end] !== '\n') end++;
  // (Their CR is a record's CRLF, or its last byte: a CR inside them is written `\r`.)
  const [record] = splitUnquoted(text.slice(from, end), delimiter);
  if (record === undefined || record.fields.length !== count) return undefined;
  return { values: record.fields, end: from + record.body.length };
}

/** A CSV cell as the output writes it: quoted when it holds the delimiter, a quote, CR or LF (backslash: a backslash too). */
function csvCell(value: string, delimiter: string, backslash = false): string {
  if (backslash) return value.includes(delimiter) || /["\\\r\n]/.test(value) ? `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"` : value;
  return value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const SUFFIXES = ['label', 'positive', 'negative', 'truncated', 'error'];

function walkCsv(inText: string, outText: string, options: OracleOptions, tally: Tally): void {
  const { delimiter } = options;
  const backslash = options.escape === 'backslash';
  const prefix = options.prefix ?? 'sentiment';
  const bom = inText.startsWith('\ufeff');
  const unquoted = options.quote === 'none';
  const [header, ...split] = unquoted ? splitUnquoted(bom ? inText.slice(1) : inText, delimiter) : splitCsv(bom ? inText.slice(1) : inText, delimiter, backslash);
  if (header === undefined || header.body === '') throw new Error('the input has no header');
  let at = 0;
  const expectText = (what: string, where: string): boolean => {
    if (outText.startsWith(what, at)) {
      at += what.length;
      return true;
    }
    tally.problems.push(`${where}: expected ${show(what)}, found ${show(outText.slice(at, at + what.length + 40))} at character ${at}`);
    return false;
  };
  if (options.prefixOnly === true && outText === '') return;
  if (bom && !expectText('\ufeff', 'BOM')) return;
  const cellOf = (value: string): string => (unquoted ? unquotedCell(value, delimiter) : csvCell(value, delimiter, backslash));
  const names = SUFFIXES.map((suffix) => cellOf(`${prefix}_${suffix}`)).join(delimiter);
  if (!expectText(`${header.body}${delimiter}${names}${header.ending}`, 'header')) return;

  const width = header.fields.length;
  const records = backslash || unquoted ? split : joinBackslashRows(split, header, delimiter);
  const columns = options.textNames.map((name) => header.fields.indexOf(name));
  if (columns.includes(-1)) throw new Error(`a text column is not in the header ${JSON.stringify(header.fields)}`);
  let index = 0;
  for (const [n, record] of records.entries()) {
    const where = `record ${index} (line-split record ${n + 2}) ${show(record.body + record.ending)}`;
    if (options.limit !== undefined && index >= options.limit) break;
    if (options.prefixOnly === true && at === outText.length) return;
    if (record.body === '') {
      if (!expectText(record.ending, `${where}, a blank line`)) return;
      continue;
    }
    index++;
    const expected: Expected = tooLarge(record.body + record.ending) ? { kind: 'failed', code: 'record_too_large' } : csvOutcome(record, header, columns, delimiter);
    if (!expectText(record.body, where)) return;
    // A short row is padded to the header's width so the new cells line up; a long one keeps its extra cells.
    if (!expectText(delimiter.repeat(Math.max(0, width - record.fields.length) + 1), `${where}, padding and the delimiter before the new cells`)) return;
    const cells = unquoted ? readUnquotedCells(outText, at, delimiter, 5) : readCells(outText, at, delimiter, 5, backslash);
    if (cells === undefined) {
      tally.problems.push(`${where}: five new cells expected, found ${show(outText.slice(at, at + 200))}`);
      return;
    }
    // New cells are quoted only when they hold the delimiter, a quote, CR or LF (docs/input-formats.md).
    const written = outText.slice(at, cells.end);
    const expectedCells = cells.values.map(cellOf).join(delimiter);
    if (written !== expectedCells) tally.problems.push(`${where}: new cells written ${show(written)}, expected ${show(expectedCells)}`);
    at = cells.end;
    const found = csvCellsOutcome(cells.values, `${where}`, tally.problems);
    judge(tally, where, expected, found, options);
    if (!expectText(record.ending, `${where}, its line ending`)) return;
  }
  if (at !== outText.length) tally.problems.push(`after the last record: ${outText.length - at} characters more: ${show(outText.slice(at, at + 200))}`);
}

/**
 * docs/input-formats.md#backslash-escaped-quotes, read with the default escape: a ragged row whose quoted cell, read
 * with backslash escapes, is still open at its line ending, and the records after it that complete that reading as one
 * row of the header's width (each quoted cell closing just before a delimiter or the line's end, no quote in an
 * unquoted cell; at most 64 records, all but the last 1 MiB at most), are one failed record.
 */
function joinBackslashRows(records: CsvRecord[], header: CsvRecord, delimiter: string): CsvRecord[] {
  const width = header.fields.length;
  const out: CsvRecord[] = [];
  const text = records.map((record) => record.body + record.ending).join('');
  const starts: number[] = [];
  let at = 0;
  for (const record of records) {
    starts.push(at);
    at += record.body.length + record.ending.length;
  }
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as CsvRecord;
    const ragged = !record.stray && record.body !== '' && record.fields.length !== width && record.ending !== '' && record.body.includes('\\"');
    const row = ragged ? backslashRow(text, starts[i] as number, delimiter) : undefined;
    const bodyEnd = (starts[i] as number) + record.body.length;
    let last = -1;
    if (row !== undefined && row.end > bodyEnd) {
      for (let j = i + 1; j < records.length && j - i < 64; j++) {
        if (Buffer.byteLength(text.slice(starts[i], starts[j])) > 1024 * 1024) break;
        if ((starts[j] as number) + (records[j] as CsvRecord).body.length === row.end) last = j;
        if ((starts[j] as number) + (records[j] as CsvRecord).body.length >= row.end) break;
      }
    }
    if (last === -1 || !row!.strict || row!.fields !== width) {
      out.push(record);
      continue;
    }
    const end = records[last] as CsvRecord;
    out.push({ body: text.slice(starts[i], (starts[last] as number) + end.body.length), ending: end.ending, fields: Array.from({ length: width }, () => ''), stray: false, joined: true });
    i = last;
  }
  return out;
}

/** One record read with backslash escapes from `from`: where its line ending (or the text) starts, its fields, and whether every quote was where it may be. */
function backslashRow(text: string, from: number, delimiter: string): { end: number; fields: number; strict: boolean } | undefined {
  let i = from;
  let fields = 1;
  let strict = true;
  for (;;) {
    if (text[i] === '"') {
      const quoted = readQuoted(text, i, true);
      if (!quoted) return undefined;
      i = quoted.end;
      if (i < text.length && !text.startsWith(delimiter, i) && text[i] !== '\r' && text[i] !== '\n') strict = false;
    }
    while (i < text.length && !text.startsWith(delimiter, i) && text[i] !== '\r' && text[i] !== '\n') {
      if (text[i] === '"') strict = false;
      i++;
    }
    if (!text.startsWith(delimiter, i)) return { end: i, fields, strict };
    i += delimiter.length;
    fields++;
  }
}

/** Empty by docs/input-formats.md: white space, or invisible format characters (a zero-width space...) alone. */
function isBlank(text: string): boolean {
  return text.trim() === '' || /^[\p{White_Space}\p{Cf}]*$/u.test(text);
}

/** What the documentation says a CSV record is. */
function csvOutcome(record: CsvRecord, header: CsvRecord, columns: number[], delimiter: string): Expected {
  const names = header.fields;
  const bomBody = record.body.startsWith('\ufeff') && record.body.slice(1) === header.body;
  const sameNames =
    !names.every((name) => name === '') &&
    record.fields.length === names.length &&
    record.fields.every((value, i) => (i === 0 ? value.replace(/^\ufeff/, '') : value) === names[i]);
  if (record.stray) return { kind: 'failed', code: 'stray_quote' };
  if (record.joined === true) return { kind: 'failed', code: 'ragged_row' };
  if (bomBody || sameNames) return { kind: 'skipped', code: 'repeated_header' };
  // Fewer fields than the header, its delimiters alone (`,,`: Excel leaves out those of the empty cells ending a row): a blank row.
  if (names.length > 1 && record.fields.length < names.length && record.body === delimiter.repeat(record.fields.length - 1)) return { kind: 'skipped', code: 'empty_text' };
  if (record.fields.length !== names.length) return { kind: 'failed', code: 'ragged_row' };
  const parts = columns.map((i) => record.fields[i] as string);
  const text = parts.length === 1 ? (parts[0] as string) : parts.filter((part) => part.trim() !== '').join('\n');
  return isBlank(text) ? { kind: 'skipped', code: 'empty_text' } : { kind: 'scored' };
}

/**
 * The quoted field opening at `open` (a `"`): its value with `""` read as `"` (backslash: a backslash and the character
 * after it as that character), and where its closing quote ends; undefined when it never closes.
 */
function readQuoted(text: string, open: number, backslash = false): { value: string; end: number } | undefined {
  if (backslash) {
    let value = '';
    for (let j = open + 1; j < text.length; j++) {
      if (text[j] === '"') return { value, end: j + 1 };
      if (text[j] === '\\' && j + 1 < text.length) j++;
      value += text[j];
    }
    return undefined;
  }
  let value = '';
  let j = open + 1;
  for (;;) {
    const close = text.indexOf('"', j);
    if (close < 0) return undefined;
    value += text.slice(j, close);
    if (text[close + 1] !== '"') return { value, end: close + 1 };
    value += '"';
    j = close + 2;
  }
}

/** Reads `count` cells written by the output (quoted or not), the last one up to a line ending or the end. */
function readCells(text: string, from: number, delimiter: string, count: number, backslash = false): { values: string[]; end: number } | undefined {
  const values: string[] = [];
  let i = from;
  for (let c = 0; c < count; c++) {
    if (text[i] === '"') {
      const quoted = readQuoted(text, i, backslash);
      if (!quoted) return undefined;
      values.push(quoted.value);
      i = quoted.end;
    } else {
      let j = i;
      while (j < text.length && text[j] !== '\r' && text[j] !== '\n' && !(c < count - 1 && text.startsWith(delimiter, j))) j++;
      values.push(text.slice(i, j));
      i = j;
    }
    if (c < count - 1) {
      if (!text.startsWith(delimiter, i)) return undefined;
      i += delimiter.length;
    }
  }
  return { values, end: i };
}

/** What the five new cells say, checking their shape. */
function csvCellsOutcome(cells: string[], where: string, problems: string[]): Expected {
  const [label, positive, negative, truncated, error] = cells as [string, string, string, string, string];
  if (error === '') {
    checkScores(label, positive, negative, where, problems);
    if (truncated !== '' && truncated !== 'true') problems.push(`${where}: truncated cell ${show(truncated)}`);
    return { kind: 'scored' };
  }
  if (label !== '' || positive !== '' || negative !== '' || truncated !== '') problems.push(`${where}: a failed row with answer cells ${show(cells.join('|'))}`);
  const code = /^([a-z_0-9]+): ./s.exec(error)?.[1];
  if (code === undefined) {
    problems.push(`${where}: error cell ${show(error)} is not 'code: message'`);
    return { kind: 'failed', code: '?' };
  }
  return { kind: code === 'empty_text' || code === 'repeated_header' ? 'skipped' : 'failed', code };
}

/** A label and two probabilities written in full precision (String(number)) that sum to 1. */
function checkScores(label: unknown, positive: unknown, negative: unknown, where: string, problems: string[]): void {
  const number = (value: unknown): number | undefined => {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
    if (Number.isNaN(n) || n < 0 || n > 1 || (typeof value === 'string' && String(n) !== value)) return undefined;
    return n;
  };
  const p = number(positive);
  const q = number(negative);
  if (label !== 'POSITIVE' && label !== 'NEGATIVE') problems.push(`${where}: label ${String(label)}`);
  if (p === undefined || q === undefined || Math.abs(p + q - 1) > 1e-6) problems.push(`${where}: scores ${String(positive)} and ${String(negative)}`);
}

// ---------------------------------------------------------------- JSONL

interface JsonlLine {
  body: string;
  ending: '' | '\n' | '\r\n';
}

/** Splits JSONL text at LF; a CR before the LF belongs to the ending. */
export function splitJsonl(text: string): JsonlLine[] {
  const lines: JsonlLine[] = [];
  let i = 0;
  while (i < text.length) {
    const lf = text.indexOf('\n', i);
    const end = lf < 0 ? text.length : lf;
    const crlf = lf > i && text[lf - 1] === '\r';
    lines.push({ body: text.slice(i, crlf ? end - 1 : end), ending: lf < 0 ? '' : crlf ? '\r\n' : '\n' });
    i = lf < 0 ? text.length : lf + 1;
  }
  return lines;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function walkJsonl(inText: string, outText: string, options: OracleOptions, tally: Tally): void {
  const prefix = options.prefix ?? 'sentiment';
  const field = JSON.stringify(prefix);
  const inLines = splitJsonl(inText);
  const outLines = splitJsonl(outText);
  const leftOut = leftOutInSample(inLines, options.textNames);
  let index = 0;
  let o = 0;
  for (const [n, line] of inLines.entries()) {
    if (options.limit !== undefined && index >= options.limit) break;
    const where = `record ${index} (line ${n + 1}) ${show(line.body + line.ending)}`;
    if (options.prefixOnly === true && o === outLines.length) return;
    const out = outLines[o++];
    if (out === undefined) {
      tally.problems.push(`${where}: no output line`);
      return;
    }
    const content = line.body.replace(/^\ufeff/, '');
    if (/^[ \t\r\n]*$/.test(content)) {
      if (out.body !== line.body || out.ending !== line.ending) tally.problems.push(`${where}: a blank line became ${show(out.body + out.ending)}`);
      continue;
    }
    index++;
    if (out.ending !== line.ending) tally.problems.push(`${where}: line ending ${show(out.ending)} instead of ${show(line.ending)}`);
    let parsed: unknown;
    let wrap: string | undefined;
    try {
      parsed = JSON.parse(content);
      if (!isPlainObject(parsed)) wrap = 'not_an_object';
      else if (Object.hasOwn(parsed, prefix)) wrap = 'answer_field_exists';
    } catch {
      wrap = 'invalid_json';
    }
    if (wrap !== undefined) {
      // The documented deviation: the line kept whole as a JSON string under "raw".
      let whole: unknown;
      try {
        whole = JSON.parse(out.body);
      } catch {
        tally.problems.push(`${where}: wrapped line is not JSON: ${show(out.body)}`);
        continue;
      }
      const ok = isPlainObject(whole) && Object.keys(whole).join() === `${prefix},raw` && whole['raw'] === line.body && out.body.startsWith(`{${field}:`);
      if (!ok) tally.problems.push(`${where}: expected {${field}:{error},"raw":<the line>}, found ${show(out.body)}`);
      judge(tally, where, { kind: 'failed', code: wrap }, jsonAnswerOutcome(isPlainObject(whole) ? whole[prefix] : undefined, where, tally.problems), options);
      continue;
    }
    const object = parsed as Record<string, unknown>;
    const close = lastNonBlank(line.body, line.body.length);
    if (line.body[close] !== '}') throw new Error(`${where}: an object line that does not end in }`);
    const empty = line.body[lastNonBlank(line.body, close)] === '{';
    const head = `${line.body.slice(0, close)}${empty ? '' : ','}${field}:`;
    const tail = line.body.slice(close);
    if (!out.body.startsWith(head) || !out.body.endsWith(tail) || out.body.length < head.length + tail.length + 2) {
      tally.problems.push(`${where}: expected the line with ${empty ? '' : ','}${field}:{...} before its final brace, found ${show(out.body)}`);
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(out.body.slice(head.length, out.body.length - tail.length));
      const whole = JSON.parse(out.body.replace(/^\ufeff/, '')) as Record<string, unknown>;
      if (!isPlainObject(whole) || JSON.stringify(whole[prefix]) !== JSON.stringify(value)) throw new Error('the field is not the object\'s');
    } catch (error) {
      tally.problems.push(`${where}: the inserted field or the line is not JSON (${(error as Error).message}): ${show(out.body)}`);
      continue;
    }
    const expected: Expected = tooLarge(line.body + line.ending) ? { kind: 'failed', code: 'record_too_large' } : jsonlOutcome(object, options.textNames, leftOut);
    judge(tally, where, expected, jsonAnswerOutcome(value, where, tally.problems), options);
  }
  if (o !== outLines.length) tally.problems.push(`after the last record: ${outLines.length - o} lines more: ${show(outLines.slice(o).map((l) => l.body + l.ending).join(''))}`);
}

function lastNonBlank(text: string, end: number): number {
  let i = end - 1;
  while (i >= 0 && ' \t\r\n'.includes(text[i] as string)) i--;
  return i;
}

/** Where a text field's path leads: a value, a key not there, null on the way (no text in any file), or a value of another type on the way. */
function lookUp(object: Record<string, unknown>, name: string): { value: unknown } | 'absent' | 'null on the way' | 'not an object' {
  if (Object.hasOwn(object, name)) return { value: object[name] };
  let at: unknown = object;
  for (const segment of name.split('.')) {
    if (at === null) return 'null on the way';
    if (!isPlainObject(at)) return 'not an object';
    if (!Object.hasOwn(at, segment)) return 'absent';
    at = at[segment];
  }
  return { value: at };
}

/**
 * The text fields that some object line has, in the first 100 non-blank lines or further on within the first 16 MiB: an
 * export that leaves out a NULL field (BigQuery's), where a record without it has no text, as documented in
 * docs/input-formats.md (a field in none of them is refused at startup, which the oracle never sees).
 */
function leftOutInSample(lines: ReadonlyArray<{ body: string; ending: string }>, names: readonly string[]): Set<string> {
  const objects: Array<Record<string, unknown>> = [];
  let bytes = 0;
  for (const line of lines) {
    if (bytes >= 16 * 1024 * 1024) break;
    bytes += Buffer.byteLength(line.body + line.ending);
    const content = line.body.replace(/^\ufeff/, '');
    if (/^[ \t\r\n]*$/.test(content)) continue;
    try {
      const value: unknown = JSON.parse(content);
      if (isPlainObject(value)) objects.push(value);
    } catch {
      // not an object: proves nothing
    }
  }
  return new Set(names.filter((name) => objects.some((object) => typeof lookUp(object, name) === 'object')));
}

/** What the documentation says an object line is. */
function jsonlOutcome(object: Record<string, unknown>, names: readonly string[], leftOut: ReadonlySet<string>): Expected {
  const parts: string[] = [];
  for (const name of names) {
    const result = lookUp(object, name);
    if (typeof result !== 'object' && result !== 'null on the way' && !(result === 'absent' && leftOut.has(name))) return { kind: 'failed', code: 'missing_text_field' };
    const value = typeof result === 'object' ? result.value : null;
    if (value === null) parts.push('');
    else if (typeof value !== 'string') return { kind: 'failed', code: 'text_not_string' };
    else parts.push(value);
  }
  const text = parts.length === 1 ? (parts[0] as string) : parts.filter((part) => part.trim() !== '').join('\n');
  return isBlank(text) ? { kind: 'skipped', code: 'empty_text' } : { kind: 'scored' };
}

/** What the inserted field says, checking its shape. */
function jsonAnswerOutcome(value: unknown, where: string, problems: string[]): Expected {
  if (!isPlainObject(value)) {
    problems.push(`${where}: the answer field is ${JSON.stringify(value)}`);
    return { kind: 'failed', code: '?' };
  }
  if (Object.hasOwn(value, 'error')) {
    const error = value['error'];
    if (Object.keys(value).join() !== 'error' || !isPlainObject(error) || typeof error['code'] !== 'string' || typeof error['message'] !== 'string') {
      problems.push(`${where}: error answer ${JSON.stringify(value)}`);
      return { kind: 'failed', code: '?' };
    }
    const code = error['code'];
    return { kind: code === 'empty_text' || code === 'repeated_header' ? 'skipped' : 'failed', code };
  }
  const keys = Object.keys(value).join();
  if (keys !== 'label,positive,negative' && keys !== 'label,positive,negative,truncated') problems.push(`${where}: answer keys ${keys}`);
  if (Object.hasOwn(value, 'truncated') && value['truncated'] !== true) problems.push(`${where}: truncated ${JSON.stringify(value['truncated'])}`);
  checkScores(value['label'], value['positive'], value['negative'], where, problems);
  return { kind: 'scored' };
}
