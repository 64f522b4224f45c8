import { pipeline, type Readable } from 'node:stream';
import { pythonNonJsonMessage, pythonNonJsonToken } from './python-json-tokens.js';
import { jsonLineShape, jsonLineShapeMessage } from './json-line-shape.js';
import { InputError, type RowFailure } from '../errors.js';
import { ByteWindow } from './byte-window.js';
import { isCutJsonlLine, jsonlLineCutShort } from './cut-short.js';
import { asInputError } from './input-error.js';
import { MAX_COPIED_RECORD_BYTES, maxParsedRecordBytes, recordTooLarge, recordTooLargeToCopy, splitOversized } from './oversized-record.js';
import { isPlainObject, jsonTypeName, lookupPath, parseDottedPath, type DottedPath } from './dotted-path.js';
import type { InputRecord } from './record.js';
import { sharedWithRaw } from './shared-text.js';
import { asNames, joinTextParts } from './text-parts.js';
import { Utf8Check } from './utf8-check.js';

/** Per-row failure codes of the JSONL reader. */
export const JSONL_ROW_CODES = {
  invalidJson: 'invalid_json',
  notAnObject: 'not_an_object',
  missingTextField: 'missing_text_field',
  textNotString: 'text_not_string',
  answerFieldExists: 'answer_field_exists',
} as const;

/** Options of {@link readJsonlRecords}. */
export interface JsonlRecordOptions {
  /** Field holding the text; a dotted path such as `review.body` reaches into nested objects. Several are joined (text-parts.ts). */
  textField: string | readonly string[];
  /** Absolute offset (decompressed input) of the stream's first byte; a line start. */
  startOffset: number;
  /** Index of the first record in the stream (0 for a fresh run). */
  startIndex: number;
  /** Also hand over each line's parsed object (the report reads several fields). */
  keepValue?: boolean;
  /**
   * The field the scores go into: a record that already has it is a per-row
   * failure (scoring it would give the object that key twice). The startup
   * check sees only the first records; this catches one further down.
   */
  answerField?: string;
  /**
   * Text fields whose absence is no text, as null is (preflight/left-out-fields.ts: an export that leaves a NULL field
   * out, as BigQuery's does): a record without one gets an empty part. Any other record without a text field fails
   * `missing_text_field`; null where an object on the path would be is no text in any file.
   */
  leftOut?: ReadonlySet<string>;
  /** Handed each record read without a text field in `leftOut` (job/renamed-text-field.ts: a field renamed partway). */
  onLeftOut?: (object: Record<string, unknown>) => void;
}

const LF = 0x0a;

/**
 * The size of each read of a JSONL file (open-input.ts readChunkBytes): 256 KiB, not Node's 64, a quarter of the reads
 * and of the passes per chunk (a UTF-8 check, a hash update, a stream step). This reader hands on each line as it
 * finds it, so a larger chunk holds no more records; the CSV reader's parser hands on a whole chunk's records at once,
 * and there it measured slower.
 */
export const JSONL_READ_CHUNK_BYTES = 256 * 1024;

/**
 * Streams the records of a JSONL input, one per line. Lines end with LF (a CRLF's
 * CR stays in `raw` and is ignored by JSON); the last line may have no ending.
 * `raw` is the line's original text with its ending and `byteEnd` the offset just
 * past it, so every raw concatenated reproduces the input.
 *
 * A blank or whitespace-only line is passed through (`passThrough`, same index as
 * the next record, not counted). A line that is not JSON, JSON that is not an
 * object, a missing text field and a text that is not a string are per-row failures.
 * Invalid UTF-8 throws InputError, and so does a last line that is not JSON and has no
 * line ending: an export cut short (cut-short.ts).
 */
export async function* readJsonlRecords(stream: Readable, options: JsonlRecordOptions): AsyncGenerator<InputRecord> {
  const paths = asNames(options.textField).map(parseDottedPath);
  const { startOffset } = options;
  // The bound in force when a line is judged, not when the reader opened (csv-reader.ts says why).
  const maxRecordBytes = (): number => maxParsedRecordBytes('jsonl');
  let window = new ByteWindow(startOffset);
  const checked = pipeline(stream, new Utf8Check({ startOffset }), () => {});
  let index = options.startIndex;
  let lineStart = startOffset;
  /** The 1-based line `lineStart` is on, when known: reading from the start. */
  let line = startOffset === 0 ? 1 : undefined;
  /** The bytes of a line being skipped over because it outgrew maxRecordBytes. */
  let oversized: Buffer[] | undefined;
  /** Its bytes so far: past MAX_COPIED_RECORD_BYTES the run stops rather than hold more. */
  let oversizedBytes = 0;

  const { answerField } = options;
  const textOf = (object: Record<string, unknown>): InputRecord['text'] =>
    answerField !== undefined && Object.hasOwn(object, answerField)
      ? failed(
          JSONL_ROW_CODES.answerFieldExists,
          `the record already has a '${answerField}' field (scored before?); it is kept whole under "raw". Name the new field with --prefix`,
        )
      : textAt(object, paths, options.leftOut);

  /** `last`: the line has no line ending, the input ends there. */
  const record = (end: number, last = false): InputRecord => {
    if (end - lineStart > maxRecordBytes()) {
      // Ended within the chunk that crossed the limit: failed like any line over it.
      oversized = [window.take(lineStart, end)];
      return finishOversized(last);
    }
    const startByte = lineStart;
    const startLine = line;
    if (line !== undefined) line++;
    const raw = window.take(lineStart, end).toString('utf8');
    // A UTF-8 byte-order mark may open the file, and each file of several joined (cat a.jsonl b.jsonl, each saved
    // by a Windows tool): it opens a line, never an object's text. JSON.parse would reject it; raw keeps it.
    const content = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
    lineStart = end;
    if (isBlank(content)) return { index, byteEnd: end, text: { ok: true, value: '' }, raw, passThrough: true };
    const parsed = parseObject(content);
    // An object cut anywhere before its closing brace is no JSON: a last line that is none, with no ending, was cut.
    if (last && !parsed.ok && isCutJsonlLine(content)) throw jsonlLineCutShort({ byte: startByte, line: startLine }, raw);
    const value = options.keepValue === true && parsed.ok ? { value: parsed.value } : {};
    const found = parsed.ok ? textOf(parsed.value) : parsed;
    const text = found.ok ? { ok: true as const, value: sharedWithRaw(found.value, raw) } : found;
    // No text, and a field left out: the summary counts such rows apart from null and blank ones.
    const noText = parsed.ok && text.ok && text.value.trim() === '';
    const leftOutNote = noText && lacksLeftOut(parsed.value, paths, options.leftOut) ? { textLeftOut: true as const } : {};
    if (parsed.ok && leftOutNote.textLeftOut === true) options.onLeftOut?.(parsed.value);
    const nullNote = noText && leftOutNote.textLeftOut !== true && holdsNull(parsed.value, paths) ? { textNull: true as const } : {};
    return { index: index++, byteEnd: end, text, raw, ...value, ...leftOutNote, ...nullNote };
  };

  /** The skipped line as one failed row, its bytes kept as they are; reading goes on just past it. `last`: no line ending. */
  const finishOversized = (last = false): InputRecord => {
    const { head, tail, bytes } = splitOversized(oversized as Buffer[]);
    oversized = undefined;
    const startLine = line;
    if (line !== undefined) line++;
    const at = lineStart;
    lineStart += bytes;
    if (window.end < lineStart) window = new ByteWindow(lineStart);
    // Only an object can take the answer field without being rewritten whole.
    if (!looksLikeObject(head[0], tail)) {
      // An object opened and never closed, where the input ends: cut short, as a shorter line would be.
      if (last && opensObject(head[0], tail)) throw jsonlLineCutShort({ byte: at, line: startLine }, openingText(head[0], tail));
      throw new InputError(`the line at byte ${at} has more than ${maxRecordBytes()} bytes and is not a JSON object; it cannot be copied with an error field`);
    }
    return { index: index++, byteEnd: lineStart, text: { ok: false, failure: recordTooLarge(bytes, 'jsonl') }, raw: tail, rawHead: head };
  };

  try {
    for await (const chunk of checked as AsyncIterable<Buffer>) {
      let pending: Buffer = chunk;
      while (pending.length > 0) {
        if (oversized) {
          const at = pending.indexOf(LF);
          oversized.push(at === -1 ? pending : pending.subarray(0, at + 1));
          oversizedBytes += at === -1 ? pending.length : at + 1;
          if (oversizedBytes > MAX_COPIED_RECORD_BYTES) throw recordTooLargeToCopy({ byte: lineStart, line }, 'jsonl');
          if (at === -1) break;
          yield finishOversized();
          pending = pending.subarray(at + 1);
          continue;
        }
        const chunkStart = window.end;
        window.push(pending);
        for (let at = pending.indexOf(LF); at !== -1; at = pending.indexOf(LF, at + 1)) {
          yield record(chunkStart + at + 1);
        }
        if (window.end - lineStart <= maxRecordBytes()) break;
        // This line outgrew the limit: collect the rest of it without parsing.
        oversized = [window.take(lineStart, window.end)];
        oversizedBytes = window.end - lineStart;
        window = new ByteWindow(window.end);
        pending = Buffer.alloc(0);
      }
    }
    if (oversized) yield finishOversized(true);
    else if (window.end > lineStart) yield record(window.end, true);
  } catch (error) {
    throw asInputError(error, 'the JSONL input');
  } finally {
    // Also when the consumer stopped early: release the file now, not on a later tick.
    checked.destroy();
    stream.destroy();
  }
}

/** The line opens with `{` and closes with `}` (white space and a BOM aside). */
function looksLikeObject(first: Buffer | undefined, tail: string): boolean {
  return opensObject(first, tail) && objectCloseAt(tail) !== -1;
}

/**
 * Where a line's object closes: the index of its last `}` with only white space after it (trimEnd's, NBSP and U+3000
 * too, not only JSON's), else -1. The reader's test of an oversized line, which it never parses, and the writer's
 * (jsonl-format.ts), which puts the answer before that brace: with JSON's white space alone there, a line ending
 * `}` + NBSP passed the one and not the other, and the writer threw (a stack trace, exit 1). A parsed line has only
 * JSON white space after its brace.
 */
export function objectCloseAt(line: string): number {
  const trimmed = line.trimEnd();
  return trimmed.endsWith('}') ? trimmed.length - 1 : -1;
}

/** The line opens with `{` (JSON whitespace and a BOM aside). */
function opensObject(first: Buffer | undefined, tail: string): boolean {
  return openingText(first, tail).replace(/^\uFEFF/, '').trimStart().startsWith('{');
}

/** The first bytes of an oversized line, as text: its first buffer's, or its tail's when it has none. */
function openingText(first: Buffer | undefined, tail: string): string {
  return first?.toString('utf8', 0, Math.min(first.length, 64)) ?? tail;
}

/** Only JSON whitespace (space, tab, CR, LF): `\u00a0` alone is not JSON, so not blank. */
function isBlank(line: string): boolean {
  return /^[ \t\r\n]*$/.test(line);
}

function parseObject(line: string): { ok: true; value: Record<string, unknown> } | { ok: false; failure: RowFailure } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    // A fixed message: the engine's wording changes between Node versions and would change the output.
    const python = pythonNonJsonToken(line);
    if (python !== undefined) return failed(JSONL_ROW_CODES.invalidJson, pythonNonJsonMessage(python));
    const shape = jsonLineShape(line);
    if (shape !== undefined) return failed(JSONL_ROW_CODES.invalidJson, jsonLineShapeMessage(shape));
    return failed(JSONL_ROW_CODES.invalidJson, 'line is not valid JSON; expected one JSON object per line');
  }
  if (!isPlainObject(value)) {
    return failed(JSONL_ROW_CODES.notAnObject, `line is ${jsonTypeName(value)}, expected a JSON object`);
  }
  return { ok: true, value };
}

function textAt(value: Record<string, unknown>, paths: readonly DottedPath[], leftOut: ReadonlySet<string> | undefined): InputRecord['text'] {
  const parts: string[] = [];
  for (const path of paths) {
    const found = lookupPath(value, path);
    // null is JSON's "no text" (a rating without a review): empty, skipped like an empty CSV cell, not a failure. So is
    // null where an object on the path would be ("review": null), and a field an export leaves out for its NULL
    // (left-out-fields.ts).
    const noValue = !found.found && (found.absent === 'null' || (found.absent === 'key' && leftOut?.has(path.text) === true));
    if (!found.found && !noValue) return failed(JSONL_ROW_CODES.missingTextField, found.reason);
    if (!found.found || found.value === null) {
      parts.push('');
      continue;
    }
    if (typeof found.value !== 'string') {
      return failed(JSONL_ROW_CODES.textNotString, `field '${path.text}' is ${jsonTypeName(found.value)}, expected a string`);
    }
    parts.push(found.value);
  }
  return { ok: true, value: joinTextParts(parts) };
}

/** A text field of `leftOut` is not in the object at all (a key on its path missing). */
function lacksLeftOut(value: Record<string, unknown>, paths: readonly DottedPath[], leftOut: ReadonlySet<string> | undefined): boolean {
  if (leftOut === undefined || leftOut.size === 0) return false;
  return paths.some((path) => {
    if (!leftOut.has(path.text)) return false;
    const found = lookupPath(value, path);
    return !found.found && found.absent === 'key';
  });
}

/** Every text field is null, or has null where an object on its path would be (`"review": null` for `review.body`). */
function holdsNull(value: Record<string, unknown>, paths: readonly DottedPath[]): boolean {
  return paths.every((path) => {
    const found = lookupPath(value, path);
    return found.found ? found.value === null : found.absent === 'null';
  });
}

function failed(code: string, message: string): { ok: false; failure: RowFailure } {
  return { ok: false, failure: { code, message } };
}
