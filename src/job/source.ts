import type { Readable } from 'node:stream';
import type { JobSettings } from '../config/options.js';
import { fromJobFile, jobFileChange, settingHead, textNamed } from '../config/setting-names.js';
import { csvOutputHeader, csvRecordFormatter } from '../io/csv-format.js';
import { readCsvHeader, readCsvRecords, type CsvHeader } from '../io/csv-reader.js';
import type { InputSettingChange } from '../io/csv-header.js';
import type { CsvEscape, CsvQuote } from '../io/csv-dialect.js';
import { inputHead, looksUnquoted } from '../io/unquoted-look.js';
import { refusePrefixDelimiter } from '../config/prefix-name.js';
import { firstQuotedCellLine, quotedCellsWarning } from '../io/quoted-cells-look.js';
import { checkTextColumns, refuseNumericTextColumns, sampleColumnTexts } from '../preflight/csv-text-columns.js';
import { backslashNullWarning } from '../preflight/backslash-null.js';
import { refuseQuotedHeader, type QuoteNoneNamed } from '../preflight/quoted-header.js';
import { defaultDelimiter } from '../io/format.js';
import { JSONL_READ_CHUNK_BYTES } from '../io/jsonl-reader.js';
import { openInput, readInputFormat } from '../io/open-input.js';
import type { InputRecord, Outcome } from '../io/record.js';
import { describeTextChoice } from '../io/text-parts.js';
import { refuseScoredCsv } from '../preflight/already-scored.js';
import { withinLimit } from '../preflight/limit-sample.js';
import { checkReportColumns } from '../report/settings-check.js';
import { csvReportValues, refuseUnreadReportValues, wantsReportValues } from '../preflight/report-values.js';
import { lineAt } from '../io/line-at.js';
import { strayQuoteWarning, type StrayQuote } from '../io/stray-quote.js';
import { backslashRowWarning } from '../io/backslash-continuation.js';
import { doubledQuoteWarning } from '../io/doubled-quotes.js';
import type { ConsumedInput } from './consumed-input.js';
import { fileIdOfDescriptor, type FileId } from './input-replaced.js';
import { KeptReader } from './kept-reader.js';
import { firstRecords } from './limit.js';
import type { RenamedTextField } from './renamed-text-field.js';
import { CsvTextElsewhere, type TextElsewhere } from './text-elsewhere.js';
import { openJsonlSource } from './jsonl-source.js';
import { allowNumericTextAdvice, textLookSummary, warnTextLooks } from './source-text-looks.js';
import { commaDecimalWarning } from '../preflight/decimal-comma.js';
import type { RowText } from '../io/row-text.js';

/** The start-up warnings on the texts that a summary says again (summary-warning.ts), as Source holds them. */
export type SummaryLooks = Pick<Source, 'formulaErrorWarning' | 'qualtricsRowsWarning' | 'otherLanguageWarning' | 'styledLettersWarning' | 'decimalCommaWarning'>;

/** The format-specific half of a job: how to read records from an offset and how to write them back. */
export interface Source {
  format: 'csv' | 'tsv' | 'jsonl';
  /** Gzip input: offsets count decompressed bytes, so the file size gives no progress share. */
  compressed: boolean;
  delimiter: string;
  /** How the CSV input writes a quote inside a quoted cell (--escape); undefined for JSONL. */
  escape?: CsvEscape;
  /** --quote none: the CSV input quotes no cell (io/unquoted-cells.ts); undefined for the default and JSONL. */
  quote?: CsvQuote;
  /** The input's first rows quote no cell (io/unquoted-look.ts): advice on a stray or open quote names --quote none. */
  looksUnquoted?: boolean;
  /** Column(s) or field(s) holding the text, as the checkpoint records the choice (describeTextChoice). */
  text: string;
  /** Where the first record starts (just past a CSV header). */
  firstRecordOffset: number;
  /**
   * The input's bytes before the first record (a CSV header, its byte-order mark included; none for JSONL), as the
   * header's read parsed them: what a fresh job's consumed bytes begin with (consumed-input.ts), taken from that read
   * rather than from another one, which could see another version of the file.
   */
  headerBytes: Buffer;
  /** Written once at the top of a fresh output ('' for JSONL). */
  outputHeader: string;
  /**
   * The records from a record boundary on; with --limit, only up to the Nth record of the input. `endingOwed`: the
   * line ending of the row before the start is read first, and passed through past the limit (limit.ts).
   */
  records(startOffset: number, startIndex: number, endingOwed?: boolean): AsyncIterable<InputRecord>;
  /**
   * The record starting at a record boundary (undefined when there is none), for proving a checkpoint. A gzip
   * input's reader is kept: `records()` from where that record ends continues it (kept-reader.ts).
   */
  recordAt(offset: number): Promise<InputRecord | undefined>;
  /**
   * The same records as `records()` (up to --limit), read by a reader of their own that tells the run nothing: no
   * warning, no consumed bytes, no file the run reads (old-output-answers.ts collects the texts of the rows appended).
   */
  quietRecords?(startOffset: number, startIndex: number): AsyncIterable<InputRecord>;
  /** Closes a reader `recordAt` kept that nobody continued. */
  release(): Promise<void>;
  /** The file the last records reader opened (its descriptor's device and inode); undefined before one opened. */
  readingFile(): FileId | undefined;
  formatRecord(record: InputRecord, outcome: Outcome): RowText;
  /** Another column or field that held text, for the summary when the text one was empty in every row (text-elsewhere.ts). */
  textElsewhere: TextElsewhere;
  /** JSONL: the text field is left out of most sampled records while another holds text (preflight/left-out-warning.ts). */
  leftOutWarning?: string;
  /** Some of the first texts are a spreadsheet formula's error (preflight/formula-errors.ts): the summary's warning. */
  formulaErrorWarning?: string;
  /** A text of the first rows is Qualtrics' ImportId header row (preflight/qualtrics-rows.ts): the summary's warning. */
  qualtricsRowsWarning?: string;
  /** Many of the first texts look written in another language than English (preflight/other-language.ts): the summary's warning. */
  otherLanguageWarning?: string;
  /** Many of the first texts are in a font generator's letters (preflight/styled-letters.ts): the summary's warning after the language's. */
  styledLettersWarning?: string;
  /** CSV: the export's numbers have a decimal comma and the scores would have a point (decimal-comma.ts); score says it at start-up and at its summary's end. */
  decimalCommaWarning?: string;
  /** JSONL: the records without the text field this run read, for the summary's warning of a field renamed partway. */
  renamedTextField?: RenamedTextField;
  /** The name of a CSV/TSV header's only column: a row equal to it is a repeated header or a review of that word (csv-row.ts). */
  onlyColumn?: string;
  /** From here on no stray-quote record, nor backslash-escaped row, nor doubled quote under --escape backslash, is named (a mend reads records the runs before it marked and named): CSV only. */
  quietStrayQuotes?: () => void;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The column or field read when none is named. */
const DEFAULT_TEXT = 'text';

/**
 * Opens the input for a job (score or estimate) after the startup checks: the text
 * column/field exists, the input is not empty, it is not already scored under
 * this prefix, and the --report-by/date/rating columns exist (in the one JSONL
 * sample or CSV header read here). Each failed check stops the job before anything
 * is written.
 */
export async function openSource(settings: JobSettings, inputPath: string, warn?: (line: string) => void, consumed?: ConsumedInput): Promise<Source> {
  const { format, gzip } = readInputFormat(settings.input, inputPath, settings.format);
  // The readers check UTF-8 themselves, with offsets into the whole input.
  const readChunkBytes = format === 'jsonl' ? JSONL_READ_CHUNK_BYTES : undefined;
  // The file the records come from, told by its descriptor: the path may name another one by the first checkpoint (input-replaced.ts).
  let reading: FileId | undefined;
  const onOpen = (fd: number) => (reading = fileIdOfDescriptor(fd));
  const bytesFrom = (startOffset: number) => openInput(inputPath, { gzip, startOffset, onOpen, label: settings.input, ...(readChunkBytes !== undefined ? { readChunkBytes } : {}) });
  const input: SourceInput = {
    path: inputPath,
    gzip,
    text: settings.text ?? [DEFAULT_TEXT],
    // A job file's "delimiter" or "format" that does not fit the file: the advice names its key, not a flag.
    change: (key, value) => jobFileChange(settings, key)?.(value),
    bytesFrom,
    // The records the job writes are read from these: `consumed` sees their bytes (a score run's, consumed-input.ts).
    recordBytesFrom: (startOffset) => (consumed ? consumed.tap(bytesFrom(startOffset), startOffset) : bytesFrom(startOffset)),
    quietBytesFrom: (startOffset) => openInput(inputPath, { gzip, startOffset, label: settings.input, ...(readChunkBytes !== undefined ? { readChunkBytes } : {}) }),
    readingFile: () => reading,
  };
  return format === 'jsonl' ? openJsonlSource(settings, input, warn) : openCsvSource(settings, format, input, warn);
}

/** The input as a format's source reads it (openSource): where its readers come from and what the job names. */
export interface SourceInput {
  path: string;
  gzip: boolean;
  /** The column(s) or field(s) holding the text, as the job names them (`text` when none is named). */
  text: string[];
  change: InputSettingChange;
  /** The input's bytes from an offset; the file it opens is the one `readingFile` tells. */
  bytesFrom(startOffset: number): Readable;
  /** The same, for the records the job writes: a score run's consumed bytes see them. */
  recordBytesFrom(startOffset: number): Readable;
  /** The same, telling the run nothing (quietRecords). */
  quietBytesFrom(startOffset: number): Readable;
  /** The file the last records reader opened (Source.readingFile). */
  readingFile(): FileId | undefined;
}

/** A CSV or TSV input's source, after its start-up checks (openSource). */
async function openCsvSource(settings: JobSettings, format: 'csv' | 'tsv', input: SourceInput, warn: ((line: string) => void) | undefined): Promise<Source> {
  const { path: inputPath, gzip, text, change, bytesFrom, recordBytesFrom, quietBytesFrom, readingFile } = input;
  const delimiter = settings.delimiter ?? defaultDelimiter(format);
  const escape = settings.escape ?? 'quote';
  const quote = settings.quote ?? '"';
  const header: CsvHeader = await readCsvHeader(inputPath, { gzip, delimiter, escape, quote, change, shownAs: settings.input });
  // A file that quotes its cells, given --quote none: said before its quoted names are offered as the text column.
  if (quote === 'none') refuseQuotedHeader(header.columns, quoteNoneNamed(settings));
  // One that quotes only the cells holding the delimiter (pandas' default): said at start-up, before rows fail ragged.
  const quotedCells = quote === 'none' && warn ? firstQuotedCellLine(await inputHead(inputPath, gzip, settings.input), delimiter, header.columns.length) : undefined;
  if (quotedCells !== undefined) warn?.(quotedCellsWarning(quotedCells, quoteNoneNamed(settings)));
  // A missing column fails here, at startup, listing the columns and the likeliest one.
  await checkTextColumns({ path: inputPath, shownAs: settings.input, gzip, delimiter, escape, quote, header, change }, text, textNamed(settings, false));
  // The first records' texts, read once for the checks and warnings below (an unreadable input: none, said when read).
  const sample = !settings.allowNumericText || warn ? await sampleColumnTexts({ path: inputPath, shownAs: settings.input, gzip, delimiter, escape, quote, header }, text) : undefined;
  if (!settings.allowNumericText && sample) refuseNumericTextColumns(sample, text, textNamed(settings, false), allowNumericTextAdvice(settings), settings.limit);
  // The advice on a stray or open quote and on a \N depend on it: an export that quotes nothing (read with either escape:
  // a MySQL export's first run has neither flag yet).
  const unquotedLook = quote !== 'none' && looksUnquoted(await inputHead(inputPath, gzip, settings.input), delimiter, escape);
  // Scores with a point beside the export's own 4,5: text to a spreadsheet of that locale (decimal-comma.ts). Said by
  // score (run-input.ts), not by estimate, which writes no scores and takes no --decimal.
  const decimalComma = delimiter !== ',' && settings.decimal === undefined && sample?.commaDecimal ? commaDecimalWarning(sample.commaDecimal, jobFileChange(settings, 'decimal')?.('comma') ?? 'add --decimal comma') : undefined;
  let looks: ReturnType<typeof warnTextLooks> | undefined;
  if (warn) {
    const texts = sample ? withinLimit(sample.texts, sample.indexes, settings.limit) : [];
    looks = warnTextLooks(settings, texts, text, undefined, warn);
    // Read with backslash escapes a NULL is no text already; read with the default quoting it is scored as '\N'.
    const nulls = quote !== 'none' && escape !== 'backslash' ? backslashNullWarning(texts, looks.subject, unquotedLook) : undefined;
    if (nulls) warn(nulls);
  }
  refuseScoredCsv(header.columns, settings.prefix, jobFileChange(settings, 'prefix'));
  refusePrefixDelimiter(settings.prefix, delimiter, settingHead(settings, 'prefix', '--prefix'));
  checkReportColumns(settings, { columns: header.columns });
  // A report column none of whose first values reads: refused now, not after the (paid) run (report-values.ts).
  if (wantsReportValues(settings)) refuseUnreadReportValues(settings, await csvReportValues(settings, { path: inputPath, shownAs: settings.input, gzip, delimiter, escape, quote, header }));
  // --decimal changes the appended score cells only (io/decimal-mark.ts): default point, as before.
  const formatOptions = { delimiter, escape, quote, prefix: settings.prefix, headerWidth: header.columns.length, decimal: settings.decimal ?? 'point' };
  // The first records' fields are looked at for the guess of another text column; no record keeps them.
  const elsewhere = new CsvTextElsewhere(header.columns, text);
  // Each record a stray quote made of several lines fails (stray_quote); the first is said once (an export's stray
  // quotes are rarely alone). A reader started past the header counts the lines before such a record to name them.
  // The record a checkpoint's proof re-reads (recordAt: the last row written) was named by the run that wrote it, not by
  // this one, which names only records from where it resumes: a resume named line 5, marked before, not line 13, its own.
  let proving = false;
  /** No (more) record is named by any of the warnings below: a mend reads only records the runs before it named. */
  let quiet = false;
  /** Warns of the first record `say` words, once, and not while a proof re-reads a record. */
  const namedOnce = <T>(say: (found: T) => string) => {
    let named = false;
    return (found: T): void => {
      if (named || quiet || proving || !warn) return;
      named = true;
      warn(say(found));
    };
  };
  const strayQuotes = {
    lineAt: (byte: number) => lineAt(bytesFrom(0), byte),
    onFound: namedOnce((at: StrayQuote) => strayQuoteWarning(at, { escape, looksUnquoted: unquotedLook })),
  };
  // A backslash-escaped export read as RFC 4180: its first row split so is named once, as a stray quote is (not by a proof).
  const onBackslashRow = namedOnce(backslashRowWarning);
  // An RFC 4180 file given --escape backslash: its first row with a doubled quote is named once, the same way.
  const onDoubledQuote = namedOnce(doubledQuoteWarning);
  const reader = new KeptReader((startOffset, startIndex) => readCsvRecords(recordBytesFrom(startOffset), { delimiter, escape, quote, looksUnquoted: unquotedLook, header, textColumn: text, startOffset, startIndex, onFields: elsewhere.look, strayQuotes, onBackslashRow, onDoubledQuote }), gzip);
  return {
    format,
    compressed: gzip,
    delimiter,
    escape,
    ...(quote === 'none' ? { quote } : {}),
    looksUnquoted: unquotedLook,
    text: describeTextChoice(text),
    ...textLookSummary(looks),
    ...(decimalComma !== undefined ? { decimalCommaWarning: decimalComma } : {}),
    firstRecordOffset: header.byteEnd,
    // The header's text is valid UTF-8 (checked as it was read), so encoding it again gives back its very bytes.
    headerBytes: Buffer.concat([header.bom ? UTF8_BOM : Buffer.alloc(0), Buffer.from(header.raw, 'utf8')]),
    outputHeader: csvOutputHeader(header, delimiter, settings.prefix, escape, quote),
    records: (startOffset, startIndex, endingOwed) => firstRecords(reader.records(startOffset, startIndex), settings.limit, endingOwed),
    recordAt: async (offset) => {
      proving = true;
      try {
        return await reader.recordAt(offset);
      } finally {
        proving = false;
      }
    },
    quietRecords: (startOffset, startIndex) => firstRecords(readCsvRecords(quietBytesFrom(startOffset), { delimiter, escape, quote, looksUnquoted: unquotedLook, header, textColumn: text, startOffset, startIndex }), settings.limit),
    release: () => reader.release(),
    readingFile,
    formatRecord: csvRecordFormatter(formatOptions),
    textElsewhere: elsewhere,
    ...(header.columns.length === 1 ? { onlyColumn: header.columns[0]! } : {}),
    quietStrayQuotes: () => {
      quiet = true;
    },
  };
}

/** --quote none as the user gave it: a flag, or the job file's key. */
function quoteNoneNamed(settings: JobSettings): QuoteNoneNamed {
  if (!fromJobFile(settings, 'quote')) return { setting: '--quote none', drop: 'drop --quote none' };
  return { setting: `"quote": "none" in job file ${settings.jobFile?.path}`, drop: 'remove "quote" from the job file' };
}
