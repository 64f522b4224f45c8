import { ConfigError, InputError } from '../errors.js';
import { OUTPUT_COLUMN_SUFFIXES } from '../io/csv-format.js';
import { RAGGED_ROW, readCsvHeader, readCsvRecords, REPEATED_HEADER, type CsvHeader } from '../io/csv-reader.js';
import { lineEndingOf, type CsvEscape, type CsvQuote } from '../io/csv-dialect.js';
import { readScoreCell } from '../io/decimal-mark.js';
import { RECORD_TOO_LARGE } from '../io/oversized-record.js';
import { defaultDelimiter, type InputFormat } from '../io/format.js';
import { detectInputFormat, openInput, refuseNonFileInput } from '../io/open-input.js';
import type { InputRecord } from '../io/record.js';
import type { TextNamed } from '../io/text-parts.js';
import { columnIndex, delimiterHint } from './columns.js';
import { checkTextColumns } from '../preflight/csv-text-columns.js';
import { refuseUnfinishedOutput } from './unfinished-output.js';
import { refuseJobFileInput } from './job-file-input.js';
import { UnquotedCopyCheck } from './unquoted-copy.js';
import { STRAY_QUOTE } from '../io/stray-quote.js';
import { inputHead, looksUnquoted } from '../io/unquoted-look.js';
import { recordedText, withExamplesAdvice } from './text-advice.js';
import { SAMPLE_ROWS } from './id-column.js';
import { quotedNames } from '../wording/quoted-names.js';
import { refuseBackslashDelimiter } from '../config/backslash-delimiter.js';
import { refusePrefixDelimiter } from '../config/prefix-name.js';
import { csvErrorMessage } from './not-scored-why.js';
import { isBlankScoredRow } from './blank-rows.js';
import { isNamedByFlag, REPORT_ROW_CODES, scoredOutcome, withMessage } from './row-outcome.js';
import { scoredJsonlRows } from './scored-jsonl-rows.js';

/** What the report needs of one record of a scored file. */
export interface ScoredRow {
  /** 1-based data row (CSV header and blank lines excluded). */
  row: number;
  text: string | undefined;
  outcome: { kind: 'scored'; positive: number; label: 'POSITIVE' | 'NEGATIVE' } | { kind: 'error'; code: string };
  group: string | undefined;
  date: string | undefined;
  rating: string | undefined;
  /** Scored on the text's first 512 tokens only (the truncated cell `true`, or `"truncated": true`). */
  truncated?: true;
  /** The reason after the code in the error cell or field (not-scored-why.ts), when there is one. */
  errorMessage?: string;
  /** With --by, in the first rows (id-column.ts SAMPLE_ROWS): the other columns' values, to name those that would group. */
  others?: ReadonlyArray<readonly [string, string]>;
  /** CSV: a blank row score skipped, every cell of the input's columns empty (blank-rows.ts). */
  blankRow?: true;
}

export interface ScoredFileOptions {
  format: InputFormat | undefined;
  delimiter: string | undefined;
  /** How the scored CSV writes a quote inside a quoted cell: its run's --escape (undefined: quote, RFC 4180). */
  escape?: CsvEscape;
  /** Its run's --quote: none for a file that quotes no cell (io/unquoted-cells.ts); undefined: `"`. */
  quote?: CsvQuote;
  /** Neither --quote nor a run's checkpoint says how the file quotes: one misread as a --quote none output is refused (unquoted-copy.ts). */
  quoteUnknown?: boolean;
  /** CSV column(s) / JSONL dotted field(s) of the review text; several are joined as `score` joins them; none (`[]`): no text is read. */
  text: string | readonly string[];
  /**
   * False when `text` is the default (`text`), not a name the user or the run chose: for the hint; else the flag that
   * named it (io/text-parts.ts); `checkpoint` when the run's checkpoint named it.
   */
  textNamed?: TextNamed | 'checkpoint';
  /**
   * `text` is read only where the file has it, and its absence refused nowhere (`report --examples 0`: no example needs
   * it, and a copy of an output with the reviews taken out is reported as it is): read, it counts the texts that are
   * only a number (tally.ts). A CSV lacking any of its columns, or holding one twice, reads none.
   */
  textIfThere?: boolean;
  /**
   * The file is a job's unfinished output (`OUT.partial`, job-output-context.ts): a JSONL job's holds nothing before its
   * first row is written (a CSV job's holds its header), which is no row yet, not an empty file to refuse.
   */
  unfinished?: boolean;
  /** Prefix of the sentiment columns/field (`sentiment`). */
  prefix: string;
  by: string | undefined;
  date: string | undefined;
  rating: string | undefined;
  /** The flags that named the format and by/date/rating, for the error line (`score` calls them --format, --report-by...). */
  flagNames?: { format: string; by: string; date: string; rating: string };
  /** Called once the file is known to be JSONL, before it is read (report's lines on its CSV-only flags). */
  onJsonl?: () => void;
}

/** What report, which reads the scored file twice and never from standard input, says to a pipe or a device. */
const REPORT_PIPE_ADVICE = "report reads the scored file from disk: save it to a file first ('... > reviews.scored.csv'), then run sentiment-batch report on that file";

/**
 * Streams a scored file (CSV, TSV, JSONL, optionally gzip) through the project's
 * readers, one record at a time: nothing of the file is kept.
 */
export async function* readScoredRows(path: string, options: ScoredFileOptions): AsyncGenerator<ScoredRow> {
  // Before anything opens it: the readers shared with score would give score's advice (standard input), which report refuses.
  refuseJobFileInput(path, options.format);
  refuseNonFileInput(path, REPORT_PIPE_ADVICE, 'scored');
  refuseUnfinishedOutput(path, options.format);
  const { format, gzip } = detectInputFormat(path, options.format, options.flagNames?.format ?? '--input-format');
  const textNamed = options.textNamed === 'checkpoint' ? recordedText(format === 'jsonl') : options.textNamed ?? true;
  if (format === 'jsonl') {
    options.onJsonl?.();
    yield* scoredJsonlRows(path, gzip, options, textNamed);
    return;
  }
  const delimiter = options.delimiter ?? defaultDelimiter(format);
  const escape = options.escape ?? 'quote';
  const quote = options.quote ?? '"';
  refuseBackslashDelimiter(delimiter, escape, { delimiter: "--delimiter '\\'", escape: '--escape backslash', quoteNone: quote === 'none' });
  // Score refuses a prefix holding its input's delimiter: no scored file's columns have one (it was exit 3, "not a scored file").
  refusePrefixDelimiter(options.prefix, delimiter, '--prefix', 'reads');
  // As score refuses it (config/resolve.ts): without an escape character no cell could hold the delimiter or a line break.
  if (quote === 'none' && escape !== 'backslash') throw new ConfigError("--quote none needs an escape character: add --escape backslash (MySQL's INTO OUTFILE and Python's csv QUOTE_NONE escape with a backslash)");
  const header = await readCsvHeader(path, { gzip, delimiter, escape, quote });
  const at = csvColumns(header, options);
  // The sentiment columns are no review text to suggest.
  const wanted = typeof options.text === 'string' ? [options.text] : options.text;
  // Read only if each is there once: a name the header has twice would be refused as ambiguous, for no example.
  const text = options.textIfThere === true && !wanted.every((name) => header.columns.filter((column) => column === name).length === 1) ? [] : wanted;
  await withExamplesAdvice(!isNamedByFlag(options.textNamed), () => checkTextColumns({ path, gzip, delimiter, escape, quote, header }, text, textNamed, (column) => column.startsWith(`${options.prefix}_`)));
  const startOffset = header.byteEnd;
  // A file whose first rows quote no cell, read with the default quote: a --quote none output (unquoted-copy.ts).
  const unquotedLook = options.quoteUnknown === true && quote !== 'none' && looksUnquoted(await inputHead(path, gzip), delimiter, escape);
  const copyCheck = new UnquotedCopyCheck(unquotedLook);
  const records = readCsvRecords(openInput(path, { gzip, startOffset }), {
    delimiter,
    escape,
    quote,
    looksUnquoted: unquotedLook,
    // Read from the header on, the reader knows every line: lineAt is never asked.
    ...(unquotedLook ? { strayQuotes: { lineAt: () => Promise.resolve(0) } } : {}),
    header,
    textColumn: text,
    startOffset,
    startIndex: 0,
    keepFields: true,
  });
  const width = header.columns.length;
  // The columns --by could have named instead: the user's own, but for the text and --by itself.
  const sampled = options.by === undefined ? [] : header.columns.flatMap((name, index) => (index < at.firstSentiment && index !== at.by && !text.includes(name) ? [[name, index] as const] : []));
  for await (const record of records) {
    if (record.passThrough === true) continue;
    if (record.rawHead !== undefined) {
      yield oversizedRow(record, width, at.firstSentiment, delimiter, at);
      continue;
    }
    const fields = record.fields ?? [];
    // A ragged row keeps its own cells; the sentiment cells were appended after them, so they are the last five.
    const shift = fields.length - width;
    const cell = (index: number | undefined): string | undefined => (index === undefined ? undefined : fields[index + (index >= at.firstSentiment ? shift : 0)]);
    // The header again (scored files joined with cat): its "sentiment cells" are the column names.
    const repeated = !record.text.ok && record.text.failure.code === REPEATED_HEADER;
    if ((shift < 0 && !repeated) || (!record.text.ok && record.text.failure.code === STRAY_QUOTE)) copyCheck.misread(record.index + 1);
    // Fewer cells than the header: not as sentiment-batch writes it, so no sentiment can be trusted.
    const outcome: ScoredRow['outcome'] = repeated ? { kind: 'error', code: REPEATED_HEADER } : shift < 0 ? { kind: 'error', code: RAGGED_ROW } : csvOutcome(cell(at.label), cell(at.positive), cell(at.error));
    yield {
      row: record.index + 1,
      text: record.text.ok ? record.text.value : undefined,
      outcome,
      ...(shift === 0 && outcome.kind === 'error' && isBlankScoredRow(fields, at.firstSentiment, outcome.code) ? { blankRow: true as const } : {}),
      group: shift === 0 ? cell(at.by) : undefined,
      date: shift === 0 ? cell(at.date) : undefined,
      rating: shift === 0 ? cell(at.rating) : undefined,
      ...withMessage(shift < 0 || repeated ? undefined : csvErrorMessage(cell(at.error))),
      ...(shift >= 0 && !repeated && cell(at.truncated) === 'true' ? { truncated: true as const } : {}),
      ...(shift === 0 && sampled.length > 0 && record.index < SAMPLE_ROWS ? { others: sampled.map(([name, index]) => [name, fields[index] ?? ''] as const) } : {}),
    };
  }
  copyCheck.end(escape);
}

/**
 * A record over the bound the reader parses (io/record-bound.ts), which it does not parse (score copies such a record unscored, with
 * `record_too_large` in its error cell): its sentiment cells are read from its end, the part of it the reader keeps
 * as text, so the report counts what the file says, as for any row. Its other cells (the huge one among them) are not
 * read: its group, date and rating count as missing. Cells that cannot be read there leave the reader's own code.
 */
function oversizedRow(record: InputRecord, width: number, firstSentiment: number, delimiter: string, at: ReturnType<typeof csvColumns>): ScoredRow {
  const base = { row: record.index + 1, text: undefined, group: undefined, date: undefined, rating: undefined };
  const readerCode = record.text.ok ? RECORD_TOO_LARGE : record.text.failure.code;
  if ((record.fieldCount ?? 0) < width) return { ...base, outcome: { kind: 'error', code: RAGGED_ROW } };
  const cells = lastCells(record.raw, delimiter, width - firstSentiment);
  if (cells === undefined) return { ...base, outcome: { kind: 'error', code: readerCode } };
  const cell = (index: number): string | undefined => cells[index - firstSentiment];
  return { ...base, outcome: csvOutcome(cell(at.label), cell(at.positive), cell(at.error)) };
}

/**
 * The last `n` cells of one CSV record's text (its line ending included or not), read backwards by the reader's
 * dialect: a cell ending in a quote is quoted (its opening quote is the first of an odd run of quotes, `""` inside
 * being one quote), any other runs back to the delimiter. Undefined when the text does not hold `n` whole cells
 * each after a delimiter (the cells before them are not read).
 */
export function lastCells(raw: string, delimiter: string, n: number): string[] | undefined {
  let i = raw.length - (lineEndingOf(raw)?.length ?? 0);
  const cells: string[] = [];
  while (cells.length < n) {
    let start: number;
    if (i > 0 && raw[i - 1] === '"') {
      const closing = i - 1;
      let k = closing - 1;
      let opening = -1;
      while (k >= 0) {
        if (raw[k] !== '"') {
          k -= 1;
          continue;
        }
        let run = 0;
        while (k - run >= 0 && raw[k - run] === '"') run += 1;
        if (run % 2 === 1) {
          opening = k - run + 1;
          break;
        }
        k -= run;
      }
      if (opening === -1) return undefined;
      cells.unshift(raw.slice(opening + 1, closing).replaceAll('""', '"'));
      start = opening;
    } else {
      const before = i === 0 ? -1 : raw.lastIndexOf(delimiter, i - 1);
      if (before === -1) return undefined;
      const value = raw.slice(before + 1, i);
      if (value.includes('\n') || value.includes('\r')) return undefined;
      cells.unshift(value);
      start = before + 1;
    }
    // Each cell read follows a delimiter: the text begins mid-record, so a cell at its very start may be cut.
    if (start === 0 || raw[start - 1] !== delimiter) return undefined;
    i = start - 1;
  }
  return cells;
}

function csvColumns(header: CsvHeader, options: ScoredFileOptions) {
  const [labelSuffix, positiveSuffix, , truncatedSuffix, errorSuffix] = OUTPUT_COLUMN_SUFFIXES;
  const sentiment = (suffix: string): number => {
    const name = `${options.prefix}_${suffix}`;
    const index = header.columns.indexOf(name);
    if (index === -1) {
      const hint = delimiterHint(header.columns, name);
      // The sentiment columns are there, cut wrongly: a wrong --delimiter (exit 2), not a file that was never scored.
      if (hint !== '') throw new ConfigError(`no column '${name}' in the header${hint}`);
      // Columns of a run that used another --prefix (s2_label, s2_positive, s2_error): named, as for JSONL.
      const other = header.columns
        .filter((column) => column.endsWith(`_${labelSuffix}`))
        .map((column) => column.slice(0, -`_${labelSuffix}`.length))
        .find((prefix) => prefix !== '' && [positiveSuffix, errorSuffix].every((s) => header.columns.includes(`${prefix}_${s}`)));
      const advice = other === undefined ? 'score it first, or give --prefix' : `did you mean --prefix ${other}?`;
      throw new InputError(`this is not a scored file: it has no column '${name}' (columns: ${quotedNames(header.columns)}); ${advice}`);
    }
    return index;
  };
  const label = sentiment(labelSuffix);
  // Score's columns, named apart from the user's when a --by, --date or --rating names none.
  const added = { names: OUTPUT_COLUMN_SUFFIXES.map((suffix) => `${options.prefix}_${suffix}`).filter((name) => header.columns.includes(name)), of: 'file' as const };
  return {
    label,
    positive: sentiment(positiveSuffix),
    error: sentiment(errorSuffix),
    // Optional: a file scored before the column existed, or cut down to the columns the report needs, has none.
    truncated: optionalIndex(header.columns.indexOf(`${options.prefix}_${truncatedSuffix}`)),
    firstSentiment: label,
    by: columnIndex(header.columns, options.by, options.flagNames?.by ?? '--by', added),
    date: columnIndex(header.columns, options.date, options.flagNames?.date ?? '--date', added),
    rating: columnIndex(header.columns, options.rating, options.flagNames?.rating ?? '--rating', added),
  };
}

function csvOutcome(label: string | undefined, positive: string | undefined, error: string | undefined): ScoredRow['outcome'] {
  if (error !== undefined && error !== '') return { kind: 'error', code: errorCode(error) };
  if (label === undefined || label === '') return { kind: 'error', code: REPORT_ROW_CODES.notScored };
  // Either decimal mark: a run's --decimal comma writes 0,97 (io/decimal-mark.ts), and a copy without its checkpoint cannot say which.
  return scoredOutcome(label, readScoreCell(positive ?? ''));
}

const optionalIndex = (index: number): number | undefined => (index === -1 ? undefined : index);

/** The code of `code: message` as the CSV writer writes it (the message: not-scored-why.ts csvErrorMessage). */
function errorCode(cell: string): string {
  const colon = cell.indexOf(':');
  return (colon === -1 ? cell : cell.slice(0, colon)).trim() || 'unknown';
}
