import { JSONL_ROW_CODES, objectCloseAt } from './jsonl-reader.js';
import type { InputRecord, Outcome } from './record.js';
import { joinedRow, type RowText } from './row-text.js';

/** A line whose object opens this many characters or more is handed on in parts (row-text.ts). */
const PARTS_FROM_CHARS = 1024 * 1024;

/** Options of {@link formatJsonlRecord}. */
export interface JsonlFormatOptions {
  /**
   * Name of the field added to each object.
   * @default 'sentiment'
   */
  field?: string;
}

/**
 * One output line. The object's original bytes are kept: the new field is
 * inserted before its final `}` (`,"sentiment":{...}`, no comma for `{}`), e.g.
 * `"sentiment":{"label":"POSITIVE","positive":0.9,"negative":0.1}` (+ `"truncated":true`)
 * or `"sentiment":{"error":{"code":"...","message":"..."}}`.
 * A line that is not a JSON object, or an object that already has the field,
 * becomes `{"sentiment":{"error":...},"raw":"<the line>"}` so nothing is lost and
 * no key appears twice. The line ending is kept; a pass-through (blank) line is returned as is.
 */
export function formatJsonlRecord(record: InputRecord, outcome: Outcome, options: JsonlFormatOptions = {}): string {
  return joinedRow(formatLine(record, outcome, JSON.stringify(options.field ?? 'sentiment')));
}

/** formatJsonlRecord with the field's name quoted once, not per row: the job's formatter (source.ts). */
export function jsonlRecordFormatter(options: JsonlFormatOptions = {}): (record: InputRecord, outcome: Outcome) => RowText {
  const field = JSON.stringify(options.field ?? 'sentiment');
  return (record, outcome) => formatLine(record, outcome, field);
}

/** `field`: the field's name as JSON (quoted, escaped). */
function formatLine(record: InputRecord, outcome: Outcome, field: string): RowText {
  if (record.passThrough === true) return record.raw;
  const { body, ending } = splitLineEnding(record.raw);
  const value = outcomeJson(outcome);
  if (!record.text.ok && mustBeWrapped(record.text.failure.code)) {
    return `{${field}:${value},"raw":${JSON.stringify(body)}}${ending}`;
  }
  const close = objectCloseAt(body);
  if (close === -1) {
    // The reader only lets JSON objects through, so this is a caller's mistake.
    throw new Error(`formatJsonlRecord: record ${record.index} is not a JSON object line`);
  }
  const empty = body[lastNonWhitespace(body, close)] === '{';
  const rest = `${empty ? '' : ','}${field}:${value}${body.slice(close)}${ending}`;
  // A huge line in parts: joined, its head (a view into raw) was copied whole as the line was encoded.
  return close >= PARTS_FROM_CHARS ? [body.slice(0, close), rest] : `${body.slice(0, close)}${rest}`;
}

/** The value of the added field for an outcome. */
export function outcomeJson(outcome: Outcome): string {
  if (outcome.kind === 'scored') {
    const { label, positive, negative } = outcome;
    // What JSON.stringify writes below, without an object built and walked per row: a finite number's JSON is its
    // String (-0 included: "0"), and the two labels need no escape.
    if ((label === 'POSITIVE' || label === 'NEGATIVE') && Number.isFinite(positive) && Number.isFinite(negative)) {
      return `{"label":"${label}","positive":${positive},"negative":${negative}${outcome.truncated === true ? ',"truncated":true' : ''}}`;
    }
    const value: Record<string, unknown> = { label, positive, negative };
    if (outcome.truncated === true) value['truncated'] = true;
    return JSON.stringify(value);
  }
  return JSON.stringify({ error: { code: outcome.failure.code, message: outcome.failure.message } });
}

/** Lines that cannot take the field in place: not an object, or an object that has the field already. */
function mustBeWrapped(code: string): boolean {
  return code === JSONL_ROW_CODES.invalidJson || code === JSONL_ROW_CODES.notAnObject || code === JSONL_ROW_CODES.answerFieldExists;
}

/** The line without its ending (LF or CRLF), and the ending. */
function splitLineEnding(raw: string): { body: string; ending: string } {
  if (raw.endsWith('\r\n')) return { body: raw.slice(0, -2), ending: '\r\n' };
  if (raw.endsWith('\n')) return { body: raw.slice(0, -1), ending: '\n' };
  return { body: raw, ending: '' };
}

/** Index of the last non-JSON-whitespace character before `end`, or -1. */
function lastNonWhitespace(text: string, end: number): number {
  let i = end - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r' || text[i] === '\n')) i--;
  return i;
}
