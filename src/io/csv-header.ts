import { Readable } from 'node:stream';
import { lookalikeAdvice, shownName } from '../wording/shown-name.js';
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { ConfigError, InputError } from '../errors.js';
import { csvDialect, lineEndingOf, type CsvEscape, type CsvQuote, type LineEnding } from './csv-dialect.js';
import { CR, LF } from './csv-bytes.js';
import { csvInputError } from './csv-errors.js';
import { refuseExcelSepLine } from './excel-sep.js';
import { blankFirstLineError } from './blank-first-line.js';
import { quotedNames } from '../wording/quoted-names.js';
import { Utf16InputError, utf16NoMarkAdvice, utf16NoMarkFirstLineTabbed } from './utf16-advice.js';
import { asInputError, inputNamed } from './input-error.js';
import { nearestName, nearestTextName } from './nearest-name.js';
import { listedColumns, listedColumnsAdvice } from './listed-columns.js';
import { numberedColumnAdvice } from './numbered-column.js';
import { recordHeaderAdvice, recordShapedHeaderAdvice, shownCell } from './record-header.js';
import { ambiguousColumn } from './ambiguous-column.js';
import { renameColumnCommand, type RenamableFile } from './rename-column-command.js';
import { dropNameAdvice, isDefaultText, joinNamesAdvice, textSetting, type TextNamed } from './text-parts.js';
import { textSubject } from '../wording/text-subject.js';
import { nameIndexes, sameName } from './unicode-name.js';
import { STDIN_PATH } from './format.js';
import { openInput } from './open-input.js';
import { assertUtf8 } from './utf8-check.js';
import { tarByBytes } from './other-compression.js';
import { groupedNumber } from '../wording/grouped-number.js';
import { withUnquotedEscapes } from './unquoted-escapes.js';
import { unquotedFirstRecord } from './unquoted-cells.js';
import { delimiterWord } from '../wording/delimiter-word.js';
import { namesReadSo } from './names-read-so.js';
import { headerBelowAdvice, titleAboveAdvice } from './header-below.js';

export type { LineEnding } from './csv-dialect.js';

/** The header row of a CSV/TSV input, and what the records after it need. */
export interface CsvHeader {
  /** Column names as parsed (quotes removed). */
  columns: string[];
  /** The header record's original text including its line ending, without the BOM. */
  raw: string;
  /** The input starts with a UTF-8 byte-order mark (EF BB BF). */
  bom: boolean;
  /**
   * The header's own line ending, which the output header keeps. Records are split
   * on any line ending (csv-dialect.ts csvDialect), each keeping its own. `'\n'` when the header
   * has no line ending (a header-only file).
   */
  lineEnding: LineEnding;
  /** Offset just past the header (BOM included): where the first record starts. */
  byteEnd: number;
  /**
   * The delimiter it was split with, which the advice for a one-column header (lookOfHeader) never offers: one
   * the one column holds is in a quoted cell (a review's commas). Carried here so no caller can leave it out:
   * `"Great product, it works well"` over more reviews was told to add --delimiter ',' in a ','-separated file.
   */
  delimiter: string;
  /** The quote setting it was split with: under --quote none a quote in it is a character of its name, and keeps no delimiter in. */
  quote: CsvQuote;
}

/**
 * How a message says to give the input's `delimiter` or `format` another value when a job file gave it: `set
 * "delimiter" in the job file to ";"` (config/setting-names.ts jobFileChange); undefined when none did, and the
 * message keeps its flag ("add --delimiter ';'" to whoever wrote "delimiter": "|" in one named a flag nobody typed).
 */
export type InputSettingChange = (key: 'delimiter' | 'format', value: string) => string | undefined;

/** Options of {@link readCsvHeader} and {@link splitCsvHeader}. */
export interface CsvHeaderOptions {
  /** Field delimiter, one character (see parseDelimiter). */
  delimiter: string;
  /** How a quote is written inside a quoted cell (--escape; default quote, RFC 4180). */
  escape?: CsvEscape;
  /** --quote none: no cell is quoted, a backslash escapes (unquoted-cells.ts); default `"`. */
  quote?: CsvQuote;
  change?: InputSettingChange;
  /** The input as the user gave it (`-` for standard input, read from a copy), for messages; the path read when absent. */
  shownAs?: string;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * A header row longer than this (its line ending counted, a BOM not) is taken
 * as a broken file (say, a quote never closed), not read to the end.
 */
export const MAX_HEADER_BYTES = 1024 * 1024;
const LIMIT_WORDS = `1 MiB (${groupedNumber(MAX_HEADER_BYTES)} bytes)`;
const HEADER_HINT = 'check for a quote (") in the header that is never closed (or closed only much later), and that the file is CSV/TSV';

/** Reads only the header of a CSV/TSV file (not stdin: use splitCsvHeader there). */
export async function readCsvHeader(path: string, options: CsvHeaderOptions & { gzip: boolean }): Promise<CsvHeader> {
  if (path === STDIN_PATH) {
    throw new Error('readCsvHeader cannot re-read standard input; use splitCsvHeader on the one stdin stream');
  }
  const { header, rest } = await splitCsvHeader(openInput(path, { gzip: options.gzip, ...(options.shownAs !== undefined ? { label: options.shownAs } : {}) }), { ...options, shownAs: options.shownAs ?? path });
  rest.destroy();
  return header;
}

/**
 * Reads the header from the start of `input` and returns it with a stream of the
 * bytes after it (offset `header.byteEnd`), to hand to readCsvRecords. This is
 * how standard input is read: it cannot be opened twice.
 */
export async function splitCsvHeader(input: Readable, options: CsvHeaderOptions): Promise<{ header: CsvHeader; rest: Readable }> {
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let buffered = Buffer.alloc(0);
  let parsedAt = -1;
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await chunks.next();
    } catch (error) {
      throw asInputError(error, 'the input');
    }
    const eof = next.done === true;
    if (!eof) buffered = buffered.length === 0 ? next.value : Buffer.concat([buffered, next.value]);
    // Re-parse only when the buffer has doubled (a huge multi-line header stays
    // linear), and once just past the limit, so a header that never ends is
    // refused after about 1 MiB read, not 2.
    const pastLimit = MAX_HEADER_BYTES + BOM.length + 1;
    if (!eof && buffered.length < Math.min(2 * parsedAt, Math.max(pastLimit, parsedAt + 1))) continue;
    parsedAt = buffered.length;
    assertUtf8(buffered, 0, eof);
    const header = parseHeader(buffered, eof, options, options.shownAs);
    if (header === undefined) {
      if (eof) throw new Error('unreachable: a header is always found at the end of the input');
      const read = buffered.length - (buffered.subarray(0, BOM.length).equals(BOM) ? BOM.length : 0);
      // Not found yet means the header runs at least to the end of what was read.
      if (read > MAX_HEADER_BYTES) {
        throw new InputError(
          `the header row is longer than the limit of ${LIMIT_WORDS}: no end of it in the first ${groupedNumber(read)} bytes read; ` +
            `taken as a broken file; ${HEADER_HINT}`,
        );
      }
      continue;
    }
    const headerBytes = header.byteEnd - (header.bom ? BOM.length : 0);
    if (headerBytes > MAX_HEADER_BYTES) {
      throw new InputError(
        `the header row is ${groupedNumber(headerBytes)} bytes, longer than the limit of ${LIMIT_WORDS}; taken as a broken file; ${HEADER_HINT}`,
      );
    }
    const leftover = buffered.subarray(header.byteEnd);
    return { header, rest: restStream(leftover, chunks, eof) };
  }
}

/**
 * The header parsed from the first bytes of the input, or undefined when the
 * bytes so far may not hold all of it. A header is complete once its record
 * ends strictly before the end of the bytes: then its line ending (CR or CRLF?)
 * and its quotes are settled.
 */
function parseHeader(bytes: Buffer, eof: boolean, { delimiter, escape, quote, change }: CsvHeaderOptions, shownAs?: string): CsvHeader | undefined {
  const bom = bytes.subarray(0, BOM.length).equals(BOM);
  const body = bom ? bytes.subarray(BOM.length) : bytes;
  if (body.length === 0) {
    if (eof) throw new InputError(`${shownAs === undefined ? 'input' : inputNamed(shownAs)} is empty: expected a header row with the column names`);
    return undefined;
  }
  let first: { record: string[]; info: { bytes: number } } | undefined;
  try {
    const records = quote === 'none' ? [unquotedFirstRecord(body, delimiter)] : (parse(body, { ...csvDialect(escape), delimiter, bom: false, info: true, relax_column_count: true, to: 1 }) as unknown as Array<{
      record: string[];
      info: { bytes: number };
    }>);
    first = records[0];
  } catch (error) {
    if (!eof && error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED') return undefined;
    // At the end of the input: a quote open there, mid-line, is a header cut short (csv-errors.ts).
    throw csvInputError(error, { byte: bom ? BOM.length : 0, line: 1 }, body.at(-1) !== LF && body.at(-1) !== CR, escape);
  }
  if (first === undefined) throw new Error('unreachable: csv-parse returned no record for non-empty input');
  const length = first.info.bytes;
  if (!eof && length >= body.length) return undefined;
  const rawBytes = body.subarray(0, length);
  const raw = rawBytes.toString('utf8');
  const lineEnding = lineEndingOf(raw);
  if (lineEnding !== undefined && raw.length === lineEnding.length) {
    const error = blankFirstLineError(body, eof, MAX_HEADER_BYTES);
    if (error === undefined) return undefined;
    throw error;
  }
  refuseExcelSepLine(raw.slice(0, raw.length - (lineEnding?.length ?? 0)), delimiter, change);
  if (rawBytes.includes(0)) {
    // A tar's header is NUL-padded too, and no conversion makes it text (other-compression.ts).
    const tar = tarByBytes(body);
    if (tar !== undefined) throw new InputError(tar);
    const utf16 = utf16NoMarkAdvice(body);
    // A tab-separated first line: the copy of a .csv is named .tsv, as with a byte-order mark (utf8-check.ts).
    const say = (convert: string) => `the header row contains NUL bytes: the file looks like UTF-16 (${utf16.order}) or binary data; save it as UTF-8 text, ${convert}`;
    throw new Utf16InputError(utf16.from, 'csv', say, utf16NoMarkFirstLineTabbed(body));
  }
  return {
    // Its names read as the records' cells are (unquoted-escapes.ts), so a row repeating it is found again.
    columns: escape === 'backslash' && quote !== 'none' ? withUnquotedEscapes(first.record, raw, delimiter) : first.record,
    raw,
    bom,
    lineEnding: lineEnding ?? '\n',
    byteEnd: (bom ? BOM.length : 0) + length,
    delimiter,
    quote: quote ?? '"',
  };
}

/** The leftover bytes, then the rest of the source; destroying it stops the source. */
function restStream(leftover: Buffer, chunks: AsyncIterator<Buffer>, eof: boolean): Readable {
  async function* rest(): AsyncGenerator<Buffer> {
    let finished = eof;
    try {
      if (leftover.length > 0) yield leftover;
      while (!finished) {
        const next = await chunks.next();
        if (next.done === true) {
          finished = true;
          return;
        }
        yield next.value;
      }
    } finally {
      // Stopped early (destroyed): let the source release its file.
      if (!finished) await chunks.return?.();
    }
  }
  return Readable.from(rest(), { objectMode: false });
}

/** What the missing-column message may add: whether the user named the column, and a likely text column. */
export interface TextColumnHint {
  /** False for the default `text`, which nobody typed: the message says so, as the JSONL one does; the flag that named it (text-parts.ts). */
  named?: TextNamed;
  /** Index of the column whose values look most like review text, offered when no name is close (preflight/csv-text-columns.ts). */
  likely?: number;
  /** Another column whose values are half as long as `likely`'s or more: one review split in two, both offered (column-lengths.ts). */
  alsoLikely?: number | undefined;
  /** How to say to change the delimiter or the format, when a job file gave it. */
  change?: InputSettingChange;
  /** The first record below the header, when read: a header shaped as it is a record (record-header.ts). */
  next?: readonly string[];
  /**
   * The first records below the header (up to 20), when read: a one-column header's other delimiter is advised only if
   * half of them or more split by it into the header's number of cells (lookOfHeader).
   */
  sampled?: ReadonlyArray<readonly string[]>;
  /** The columns whose first values may be reviews, the longest first: of names only beginning with the one given, these are offered (nearestTextName). */
  texts?: readonly string[];
  /** The other text columns named, when all of them are in the header: none is offered, and the advice is to drop this one. */
  kept?: readonly string[];
  /** The input as the user gave it: a name the header has twice is refused with a command that renames it in a copy. */
  file?: RenamableFile;
}

/**
 * Index of the text column, checked at startup. A missing column is a
 * ConfigError listing the columns that exist (and a near match, if any);
 * a name that appears twice is ambiguous.
 */
export function textColumnIndex(header: CsvHeader, name: string, hint: TextColumnHint = {}): number {
  // The same name in another Unicode form ("Revíew" with a combining accent, as macOS writes file names) is the same name.
  const matches = nameIndexes(header.columns, name);
  if (matches.length === 1) return matches[0]!;
  const words = textSetting(hint.named ?? true, false);
  if (matches.length > 1) throw ambiguousColumn(words.given(name), matches, hint.file && renameColumnCommand(hint.file, header, name, matches));
  const what = textSubject([name], hint.named ?? true, false, { at: 'head', nameYours: true });
  const columns = `${what} is not in the header; the columns are: ${quotedNames(header.columns)}`;
  // A header that is one JSON object, or one column holding another delimiter: a guess among its "columns"
  // ("did you mean 'id;text'?") would only mislead; say what the file looks like instead.
  const looks = lookOfHeader(header, hint, name);
  if (looks) throw new ConfigError(`${columns}; ${looks}`);
  // A name given that is not in the header below the title either (`--text-column body` over `id,review,rating`) is
  // told the same as the default: where the header is and the column to name, not to name the title's empty cell.
  const below = headerBelowAdvice(hint.sampled, name, header.columns) ?? titleAboveAdvice(hint.sampled, header.columns, name, (column) => words.use(column, name));
  if (below) throw new ConfigError(`${columns}; ${below}`);
  // A headerless export: its first record's values are no names to offer, whichever advice would follow; its cells
  // (whole reviews) are listed cut short, or the advice is lost at the end of a line of thousands of characters.
  const record = recordHeaderAdvice(header.columns, name, hint.next, (column) => words.use(column, name)) ?? recordShapedHeaderAdvice(header.columns, hint.next, name);
  // Its cells are values, not names to type: each shown cut (the Booking.com sample's first review: a 4,388-byte line).
  if (record) throw new ConfigError(`${what} is not in the header; the columns are: ${header.columns.map((cell) => `'${shownCell(cell)}'`).join(', ')}; ${record}`);
  const listed = listedColumns(header.columns, name);
  if (listed) throw new ConfigError(`${columns}; ${listedColumnsAdvice(listed, hint.named ?? true)}`);
  const numbered = numberedColumnAdvice(header.columns, name, words);
  if (numbered) throw new ConfigError(`${columns}; ${numbered}`);
  // A column already named is no suggestion ("did you mean 'text'?" to `--text-column title --text-column text`).
  const kept = hint.kept ?? [];
  const offered = header.columns.filter((column) => !kept.includes(column));
  const texts = hint.texts;
  const near = texts === undefined ? nearestName(name, offered) : nearestTextName(name, offered, () => texts);
  if (near !== undefined) throw new ConfigError(`${columns} (did you mean '${shownName(near)}'?${lookalikeAdvice(near)})`);
  if (kept.length > 0) throw new ConfigError(`${columns}; ${dropNameAdvice(name, kept, hint.named ?? true, false)}`);
  const likely = hint.likely === undefined ? undefined : header.columns[hint.likely];
  // No column to offer (an export of its header alone, a name near none of them): the way on is still to name one; the
  // default's line says so already ("name yours with --text-column").
  if (likely === undefined) throw new ConfigError(isDefaultText(hint.named ?? true) ? columns : `${columns}; name one of them: ${words.use(undefined, name)}`);
  // A column with no name cannot be given to --text-column (it refuses ''): "did you mean ''?" would be a dead end.
  if (likely === '') {
    throw new ConfigError(
      `${columns} (column ${hint.likely! + 1} holds text but has no name, and ${words.setting} needs one: write a name for it in the header, such as text, which is read by default)`,
    );
  }
  const also = hint.alsoLikely === undefined ? undefined : header.columns[hint.alsoLikely];
  const both = also === undefined || also === '' ? '' : ` '${shownName(also)}' holds text too: ${joinNamesAdvice([likely, also], hint.named ?? true, false)}`;
  throw new ConfigError(`${columns} (did you mean '${shownName(likely)}'?${lookalikeAdvice(likely)}${both})`);
}

/** The delimiters a one-column header may hold in place of the one in use, in the order they are offered. */
const OTHER_DELIMITERS = [';', '\t', '|', ','];

/** What a header that is not a CSV header of this delimiter looks like, with what to do; undefined for a plain header. */
function lookOfHeader(header: CsvHeader, { change, sampled }: TextColumnHint, name: string): string | undefined {
  const { delimiter: inUse, quote } = header;
  if (/^\s*[{[]/.test(header.columns[0] ?? '')) return `the file looks like JSON Lines, not CSV: name it .jsonl, or ${change?.('format', 'jsonl') ?? 'add --format jsonl'}`;
  if (isPsqlAlignedHeader(header.raw)) return PSQL_ALIGNED_ADVICE;
  if (header.columns.length !== 1) return undefined;
  // One only inside quotes separates nothing under any delimiter (`"Great product; really, it works well"`: told to add
  // --delimiter ';', then, read so, --delimiter ','), and the one in use is in the cell only so.
  const outside = quote === 'none' ? header.raw : header.raw.replace(/"(?:[^"]|"")*"/g, '');
  const quotedOnly = (candidate: string): boolean => header.raw.includes(candidate) && !outside.includes(candidate);
  const other = OTHER_DELIMITERS.find((candidate) => candidate !== inUse && header.columns[0]!.includes(candidate) && !quotedOnly(candidate));
  if (other === undefined) return quotedWholeLines(header, sampled);
  // A header line alone cannot tell a delimiter from a character of a review: a headerless list of reviews whose first
  // holds a ';' ('Great product; works well') was told to add --delimiter ';'. A delimiter splits every row into the
  // header's number of cells; a review's ';' is in a few, as many times as it happens. Fewer than half the records read
  // split so (outside quotes): no delimiter advice.
  if (sampled !== undefined && sampled.length > 0) {
    const cellsBy = (line: string) => (quote === 'none' ? line : line.replace(/"(?:[^"]|"")*"/g, '')).split(other).length;
    const width = cellsBy(header.raw.replace(/\r?\n$/, ''));
    const agreeing = sampled.filter((cells) => cellsBy(cells.join(inUse)) === width).length;
    if (agreeing * 2 < sampled.length) return undefined;
  }
  const shown = delimiterWord(other);
  const readSo = namesReadSo(header.columns[0]!, other, name);
  return `the header has only one column and the file looks ${shown}-separated: ${change?.('delimiter', other) ?? `add --delimiter ${shown}`}${readSo}`;
}

/**
 * A one-column header that is one quoted cell holding another delimiter (`"id;text"`), over records quoted so that split
 * into as many cells by it (`"1;Great product"`): a ';'-separated file whose every line was quoted whole (written as
 * one column by a tool, or a CSV pasted into one). No --delimiter splits it, and the name it was offered instead ("did
 * you mean 'id;text'?") scored each whole line, its id and the rest, as the review. Undefined when the records do not
 * split so (a headerless list of quoted reviews, one holding a ';': record-header.ts says that) or none were read.
 */
function quotedWholeLines(header: CsvHeader, sampled: TextColumnHint['sampled']): string | undefined {
  const column = header.columns[0]!;
  if (header.quote === 'none' || sampled === undefined || sampled.length === 0 || !/^"(?:[^"]|"")*"\r?\n?$/.test(header.raw)) return undefined;
  const other = OTHER_DELIMITERS.find((candidate) => candidate !== header.delimiter && column.includes(candidate));
  if (other === undefined) return undefined;
  const names = column.split(other);
  // Names, not a review's clauses (`Great product; really, it works well`): none of four words or more.
  if (names.some((name) => name.trim().split(/\s+/).length >= 4)) return undefined;
  const agreeing = sampled.filter((cells) => cells.length === 1 && cells[0]!.split(other).length === names.length).length;
  if (agreeing * 2 <= sampled.length) return undefined;
  const shown = delimiterWord(other);
  return `the header is one quoted cell holding ${shown} ('${shownName(column)}'), as are the records below it: each line of a ${shown}-separated file looks quoted whole, which no --delimiter splits; export it again with each cell quoted apart or none quoted`;
}

const PSQL_ALIGNED_ADVICE =
  "the file looks like psql's aligned table output (names padded with spaces, a line of dashes below them), not an export: " +
  "write CSV instead, e.g. psql --csv -c 'SELECT …' > reviews.csv, or \\copy (SELECT …) TO 'reviews.csv' CSV HEADER";

/**
 * `psql -c 'SELECT …' > reviews.csv` writes a table for reading: ` id |       review` over `----+-------`, then the rows
 * and `(2 rows)`. Told to add --delimiter '|', the next run offered the padded name ('did you mean '       review'?'),
 * and the ----+---- line would have been a row. Each name is padded with a space on both sides of ' | ' (the last one
 * on its left at least); psql's unaligned output (-A, `id|review`) is not, and its delimiter advice stands. One column
 * (`SELECT review …`) is its name centred, a space on both sides at least, over `--------`: offered as ' review ', it
 * had the dashes and `(2 rows)` scored as reviews. A header's name is not so padded on both sides (one holding another
 * delimiter, ` id ; review `, keeps that delimiter's advice).
 */
function isPsqlAlignedHeader(raw: string): boolean {
  const cells = raw.replace(/\r?\n$/, '').split('|');
  if (cells.length === 1) return /^ +[^,;\t]*[^\s,;\t] +$/.test(cells[0]!);
  return cells.every((cell, i) => cell.startsWith(' ') && (i === cells.length - 1 || cell.endsWith(' ')) && cell.trim() !== '');
}

/** Whether `name` is a column of the header, exactly or in another Unicode form (as textColumnIndex finds it). */
export function hasColumn(header: CsvHeader, name: string): boolean {
  return header.columns.some((column) => sameName(column, name));
}
