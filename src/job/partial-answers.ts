import { closeSync, constants, createReadStream, lstatSync, openSync, readSync } from 'node:fs';
import { pipeline, Transform, type Readable } from 'node:stream';
import { OUTPUT_COLUMN_SUFFIXES, outcomeCells, quoteCsvCell } from '../io/csv-format.js';
import { readCsvHeader, readCsvRecords } from '../io/csv-reader.js';
import { splitLineEnding, type CsvEscape, type CsvQuote } from '../io/csv-dialect.js';
import { readScoreCell, type DecimalMark } from '../io/decimal-mark.js';
import { outcomeJson } from '../io/jsonl-format.js';
import { objectCloseAt, readJsonlRecords } from '../io/jsonl-reader.js';
import type { InputRecord, Outcome } from '../io/record.js';
import { textChoiceOf } from '../io/text-parts.js';
import { isModelAnswer } from '../scoring/model-answer.js';
import type { Scores } from '../scoring/scorer.js';
import type { Checkpoint } from '../state/checkpoint.js';
import { InputError } from '../errors.js';

/** One row of a dropped job's partial output whose answer can be read back exactly: its text and its scores. */
export interface WrittenAnswer {
  text: string;
  scores: Scores;
  /** The row's truncated cell: the text was cut to the model's window before it was sent. */
  truncated: boolean;
}

/** Why a partial output is not the one its checkpoint describes (then nothing of it is reused). */
export class PartialMismatch extends Error {}

/**
 * The answers written in an unfinished job's partial output, up to the length its checkpoint records (rows after it
 * were written after the last checkpoint; their answers are in the journal). The file is read through with the
 * readers and the settings of the job that wrote it (format, delimiter, escape, text column, prefix), one record at a time.
 *
 * It must be what the checkpoint says it is: at least the recorded length, a record ending exactly there, the recorded
 * number of rows, the last one starting where recorded, and as many rows scored as its totals count. Anything else
 * (edited by hand, truncated, another file) throws PartialMismatch: callers read it through once to check before they
 * use any answer. A row's answer is yielded only when writing it again gives the very bytes in the file (so its numbers
 * parse back to the same float64s: `String(n)` and JSON write the shortest text that does) and it is an answer a model
 * gives (probabilities summing to 1, the label the larger's); other rows are simply not reused.
 *
 * `tap` is given every byte read, in order, from the file's start (its header too) to the recorded length: the caller
 * digests the file as it is checked (kept-answers-import.ts) instead of reading it again for that.
 *
 * `proven`: the file's bytes up to the recorded length are the ones this job wrote, shown by the CRC-32 its paused
 * checkpoint records (prove-checkpoint.ts, on the resume about to read it). Each row's answer cells are then the ones
 * its writer made of a model's answer (String(n) of each score, which parses back to the same double), so writing
 * them again can only give the same bytes: that compare is left out (0.73 s of CPU for 180,001 rows, NOTES-perf6.md).
 * The checks of the cells themselves (their count, a label, scores a model gives) stay. Without a CRC (a dropped job's
 * output, a completed one's copy, an older checkpoint) a row is reused only when its bytes are written again.
 */
export async function* partialAnswers(partialPath: string, checkpoint: Checkpoint, tap?: (bytes: Buffer) => void, proven = false): AsyncGenerator<WrittenAnswer> {
  const { settings, position, totals } = checkpoint;
  const end = position.outputBytes;
  const stat = lstatSync(partialPath, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new PartialMismatch('it is not there');
  if (stat.size < end) throw new PartialMismatch(`it is ${stat.size} bytes, shorter than the ${end} its checkpoint records`);
  const text = textChoiceOf(settings.text);
  if (text === undefined) throw new PartialMismatch('its checkpoint names no text column');
  const bytes = (start: number) => tapped(openSync(partialPath, constants.O_RDONLY | constants.O_NOFOLLOW), start, end, tap);
  let records: Iterable<InputRecord> | AsyncIterable<InputRecord>;
  let answerOf: (record: InputRecord) => Outcome | undefined;
  let start = 0;
  if (settings.format === 'jsonl') {
    records = end === 0 ? [] : readJsonlRecords(bytes(0), { textField: text, startOffset: 0, startIndex: 0, keepValue: true });
    answerOf = (record) => jsonlAnswer(record, settings.prefix, proven);
  } else {
    // The rows are the input's, read with its escape; the answer cells were written with it too (csv-format.ts).
    const escape = settings.escape ?? 'quote';
    const quote = settings.quote ?? '"';
    const header = await readCsvHeader(partialPath, { gzip: false, delimiter: settings.delimiter, escape, quote });
    const names = OUTPUT_COLUMN_SUFFIXES.map((suffix) => `${settings.prefix}_${suffix}`);
    if (header.columns.slice(-names.length).join('\n') !== names.join('\n')) throw new PartialMismatch(`its header does not end with the ${settings.prefix}_ columns`);
    if (header.byteEnd > end) throw new PartialMismatch('its header is longer than the length its checkpoint records');
    start = header.byteEnd;
    records = start === end ? [] : readCsvRecords(bytes(start), { delimiter: settings.delimiter, escape, quote, header, textColumn: text, startOffset: start, startIndex: 0, keepFields: true });
    // And with its decimal mark: a row's score cells must be the ones this job's checkpoint says it writes.
    answerOf = (record) => csvAnswer(record, settings.delimiter, header.columns.length, escape, quote, settings.decimal ?? 'point', proven);
  }
  let rows = 0;
  let scored = 0;
  // The last record's start and the record itself, a line passed through too: the writer records where that starts.
  let last: { start: number; record: InputRecord } | undefined;
  let at = start;
  try {
    for await (const record of records) {
      const recordStart = at;
      at = record.byteEnd;
      last = { start: recordStart, record };
      if (record.passThrough === true) continue;
      rows += 1;
      const answer = answerOf(record);
      if (answer?.kind !== 'scored') continue;
      scored += 1;
      if (record.text.ok) yield { text: record.text.value, scores: { label: answer.label, positive: answer.positive, negative: answer.negative }, truncated: answer.truncated === true };
    }
  } catch (error) {
    // The readers' refusals (bytes that are not UTF-8, a record cut short at the recorded length) are about this file,
    // not the run's input; a machine fault reading it is the machine's (exit 74).
    if (error instanceof InputError) throw new PartialMismatch(`it cannot be read up to the ${end} bytes its checkpoint records as the job wrote it`);
    throw error;
  }
  if (at !== end) throw new PartialMismatch(`its rows do not end at the ${end} bytes its checkpoint records`);
  if (rows !== position.nextIndex) throw new PartialMismatch(`it holds ${rows} rows where its checkpoint records ${position.nextIndex}`);
  if (position.lastOutputStart !== undefined && last !== undefined && !startsLastRecord(position, last)) throw new PartialMismatch('its last row does not start where its checkpoint records');
  if (scored !== totals.scored) throw new PartialMismatch(`it holds ${scored} scored rows where its checkpoint counts ${totals.scored}`);
}

/** The bytes of the file open at `fd` from `start` to `end`, those before `start` and these given to `tap` as they are read. */
function tapped(fd: number, start: number, end: number, tap: ((bytes: Buffer) => void) | undefined): Readable {
  // The header, read apart by readCsvHeader: read again here through this file's descriptor (a few hundred bytes).
  if (tap !== undefined && start > 0) {
    const head = Buffer.alloc(start);
    let at = 0;
    try {
      for (let n = -1; at < start && n !== 0; at += n) n = readSync(fd, head, at, start - at, at);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    tap(head.subarray(0, at));
  }
  const stream = createReadStream('', { fd, start, end: end - 1 });
  if (tap === undefined) return stream;
  const copy = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      tap(chunk);
      done(null, chunk);
    },
  });
  // A read error reaches the reader as the stream's own did (pipeline destroys `copy` with it), so faults are told as before.
  return pipeline(stream, copy, () => undefined);
}

/**
 * Whether the checkpoint's `lastOutputStart` is where the output's last record starts. The writer records the start of
 * the last record it wrote, a line passed through too (ordered-writes.ts): a blank line after the export's last row is
 * read back here as a record of its own, but the line ending a --limit job owed its last row, written once the export
 * ended that row (owed-ending.ts), is read back as that row's own ending, so the start recorded is where that ending is.
 * That ending is the input's line passed through, copied as read: as long as the checkpoint's last input record
 * (`inputOffset - lastInputStart`), one byte (LF, or CR in a CR-only export) or two (CRLF), and the last record's ending from there on. A last
 * record that is a row of its own is that long in the input too, so only its own start is its start: its line ending's
 * start was accepted for any checkpoint, the row's own start then never checked.
 */
function startsLastRecord(position: Checkpoint['position'], last: { start: number; record: InputRecord }): boolean {
  const recorded = position.lastOutputStart;
  if (recorded === last.start) return true;
  if (recorded === undefined || position.lastInputStart === undefined || recorded <= last.start) return false;
  const ending = last.record.byteEnd - recorded;
  if (ending !== position.inputOffset - position.lastInputStart) return false;
  // A CR-only export's owed ending is a CR (its rows end so in the output too: splitLineEnding takes a CR alone for one); a row ending with CRLF ends with an LF.
  return ending === 1 ? /[\n\r]$/.test(last.record.raw) : ending === 2 && last.record.raw.endsWith('\r\n');
}

/** The scored answer a CSV row ends with, when writing it again gives the row's very bytes. */
function csvAnswer(record: InputRecord, delimiter: string, width: number, escape: CsvEscape, quote: CsvQuote, decimal: DecimalMark, proven: boolean): Outcome | undefined {
  const fields = record.fields;
  if (fields?.length !== width) return undefined;
  const [label, positive, negative, truncated, error] = fields.slice(-OUTPUT_COLUMN_SUFFIXES.length);
  if ((label !== 'POSITIVE' && label !== 'NEGATIVE') || error !== '' || (truncated !== '' && truncated !== 'true')) return undefined;
  const outcome: Outcome = { kind: 'scored', label, positive: readScoreCell(positive ?? ''), negative: readScoreCell(negative ?? ''), truncated: truncated === 'true' };
  if (!isModelAnswer(label, outcome.positive, outcome.negative)) return undefined;
  if (proven) return outcome;
  const cells = outcomeCells(outcome, decimal).map((cell) => quoteCsvCell(cell, delimiter, escape, quote)).join(delimiter);
  return splitLineEnding(record.raw).body.endsWith(`${delimiter}${cells}`) ? outcome : undefined;
}

/** The scored answer a JSONL record's last field holds, when writing it again gives the record's very bytes. */
function jsonlAnswer(record: InputRecord, prefix: string, proven: boolean): Outcome | undefined {
  const value = record.value?.[prefix] as { label?: unknown; positive?: unknown; negative?: unknown; truncated?: unknown } | undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const { label, positive, negative, truncated } = value;
  if ((label !== 'POSITIVE' && label !== 'NEGATIVE') || typeof positive !== 'number' || typeof negative !== 'number') return undefined;
  if (!isModelAnswer(label, positive, negative)) return undefined;
  const outcome: Outcome = { kind: 'scored', label, positive, negative, truncated: truncated === true };
  if (proven) return outcome;
  // Just before the object's closing brace, found as the writer finds it (jsonl-format.ts) where it put the answer.
  const close = objectCloseAt(record.raw);
  return close !== -1 && record.raw.endsWith(`${JSON.stringify(prefix)}:${outcomeJson(outcome)}`, close) ? outcome : undefined;
}
