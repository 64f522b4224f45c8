import { pipeline, type Readable } from 'node:stream';
import type { RowFailure } from '../errors.js';
import { ByteWindow } from './byte-window.js';
import { asInputError } from './input-error.js';
import { isPlainObject, jsonTypeName, lookupPath, parseDottedPath, type DottedPath } from './dotted-path.js';
import type { InputRecord } from './record.js';
import { asNames, joinTextParts } from './text-parts.js';
import { Utf8Check } from './utf8-check.js';

/** Per-row failure codes of the JSONL reader. */
export const JSONL_ROW_CODES = {
  invalidJson: 'invalid_json',
  notAnObject: 'not_an_object',
  missingTextField: 'missing_text_field',
  textNotString: 'text_not_string',
} as const;

/** Options of {@link readJsonlRecords}. */
export interface JsonlRecordOptions {
  /** Field holding the text; a dotted path such as `review.body` reaches into nested objects. Several are joined (text-parts.ts). */
  textField: string | readonly string[];
  /** Absolute offset (decompressed input) of the stream's first byte; a line start. */
  startOffset: number;
  /** Index of the first record in the stream (0 for a fresh run). */
  startIndex: number;
}

const LF = 0x0a;

/**
 * Streams the records of a JSONL input, one per line. Lines end with LF (a CRLF's
 * CR stays in `raw` and is ignored by JSON); the last line may have no ending.
 * `raw` is the line's original text with its ending and `byteEnd` the offset just
 * past it, so every raw concatenated reproduces the input.
 *
 * A blank or whitespace-only line is passed through (`passThrough`, same index as
 * the next record, not counted). A line that is not JSON, JSON that is not an
 * object, a missing text field and a text that is not a string are per-row failures.
 * Invalid UTF-8 throws InputError.
 */
export async function* readJsonlRecords(stream: Readable, options: JsonlRecordOptions): AsyncGenerator<InputRecord> {
  const paths = asNames(options.textField).map(parseDottedPath);
  const { startOffset } = options;
  const window = new ByteWindow(startOffset);
  const checked = pipeline(stream, new Utf8Check({ startOffset }), () => {});
  let index = options.startIndex;
  let lineStart = startOffset;

  const record = (end: number): InputRecord => {
    const raw = window.take(lineStart, end).toString('utf8');
    // A UTF-8 byte-order mark may open the file; JSON.parse would reject it.
    const content = lineStart === 0 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
    lineStart = end;
    if (isBlank(content)) return { index, byteEnd: end, text: { ok: true, value: '' }, raw, passThrough: true };
    return { index: index++, byteEnd: end, text: textOf(content, paths), raw };
  };

  try {
    for await (const chunk of checked as AsyncIterable<Buffer>) {
      const chunkStart = window.end;
      window.push(chunk);
      for (let at = chunk.indexOf(LF); at !== -1; at = chunk.indexOf(LF, at + 1)) {
        yield record(chunkStart + at + 1);
      }
    }
    if (window.end > lineStart) yield record(window.end);
  } catch (error) {
    throw asInputError(error, 'the JSONL input');
  } finally {
    // Also when the consumer stopped early: release the file now, not on a later tick.
    checked.destroy();
    stream.destroy();
  }
}

/** Only JSON whitespace (space, tab, CR, LF): `\u00a0` alone is not JSON, so not blank. */
function isBlank(line: string): boolean {
  return /^[ \t\r\n]*$/.test(line);
}

function textOf(line: string, paths: readonly DottedPath[]): InputRecord['text'] {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    // A fixed message: the engine's wording changes between Node versions and would change the output.
    return failed(JSONL_ROW_CODES.invalidJson, 'line is not valid JSON; expected one JSON object per line');
  }
  if (!isPlainObject(value)) {
    return failed(JSONL_ROW_CODES.notAnObject, `line is ${jsonTypeName(value)}, expected a JSON object`);
  }
  const parts: string[] = [];
  for (const path of paths) {
    const found = lookupPath(value, path);
    if (!found.found) return failed(JSONL_ROW_CODES.missingTextField, found.reason);
    if (typeof found.value !== 'string') {
      return failed(JSONL_ROW_CODES.textNotString, `field '${path.text}' is ${jsonTypeName(found.value)}, expected a string`);
    }
    parts.push(found.value);
  }
  return { ok: true, value: joinTextParts(parts) };
}

function failed(code: string, message: string): { ok: false; failure: RowFailure } {
  return { ok: false, failure: { code, message } };
}
