/**
 * The rows of a scored JSONL file as the report reads them (readScoredRows): each record's answer field (or, for a line
 * too long to parse, the answer read from its end), its --by, --date and --rating fields, and the first rows' other
 * top-level values.
 */
import { statSync } from 'node:fs';
import { isPlainObject, lookupPath, parseDottedPath } from '../io/dotted-path.js';
import { objectCloseAt, readJsonlRecords } from '../io/jsonl-reader.js';
import { openInput } from '../io/open-input.js';
import { RECORD_TOO_LARGE } from '../io/oversized-record.js';
import type { InputRecord } from '../io/record.js';
import type { TextNamed } from '../io/text-parts.js';
import { SAMPLE_ROWS } from './id-column.js';
import { checkScoredJsonl } from './jsonl-check.js';
import { jsonlErrorMessage } from './not-scored-why.js';
import { primitiveText } from './primitive-text.js';
import { isNamedByFlag, REPORT_ROW_CODES, scoredOutcome, withMessage } from './row-outcome.js';
import type { ScoredFileOptions, ScoredRow } from './scored-rows.js';

/** The rows of the scored JSONL file at `path`, after its fields are checked (jsonl-check.ts). */
export async function* scoredJsonlRows(path: string, gzip: boolean, options: ScoredFileOptions, textNamed: TextNamed): AsyncGenerator<ScoredRow> {
  // An unfinished output with no row written yet: nothing to check or count (its header-only CSV twin is 0 rows too).
  if (options.unfinished === true && !gzip && statSync(path).size === 0) return;
  const flags = options.flagNames ?? { by: '--by', date: '--date', rating: '--rating' };
  await checkScoredJsonl(path, {
    gzip,
    // Read where a record has it (textIfThere): nothing to refuse.
    text: options.textIfThere === true ? [] : typeof options.text === 'string' ? [options.text] : options.text,
    textNamed,
    adviseExamples: !isNamedByFlag(options.textNamed),
    prefix: options.prefix,
    fields: [
      { flag: flags.by, field: options.by },
      { flag: flags.date, field: options.date },
      { flag: flags.rating, field: options.rating },
    ],
  });
  const fieldOf = (name: string | undefined) => (name === undefined ? undefined : parseDottedPath(name));
  const [by, date, rating] = [fieldOf(options.by), fieldOf(options.date), fieldOf(options.rating)];
  const records = readJsonlRecords(openInput(path, { gzip }), { textField: options.text, startOffset: 0, startIndex: 0, keepValue: true });
  for await (const record of records) {
    if (record.passThrough === true) continue;
    if (record.rawHead !== undefined) {
      // A line over the bound the reader parses (io/record-bound.ts), not parsed: its answer is read from its end, where score inserted it.
      yield { row: record.index + 1, text: undefined, outcome: oversizedJsonlOutcome(record, options.prefix), group: undefined, date: undefined, rating: undefined };
      continue;
    }
    const value = record.value;
    const cell = (field: ReturnType<typeof fieldOf>): string | undefined => {
      if (field === undefined || value === undefined) return undefined;
      const found = lookupPath(value, field);
      return found.found ? primitiveText(found.value) : undefined;
    };
    yield {
      row: record.index + 1,
      text: record.text.ok ? record.text.value : undefined,
      outcome: jsonlOutcome(record, value?.[options.prefix]),
      ...withMessage(jsonlErrorMessage(value?.[options.prefix])),
      ...(isPlainObject(value?.[options.prefix]) && (value[options.prefix] as Record<string, unknown>)['truncated'] === true ? { truncated: true as const } : {}),
      group: cell(by),
      date: cell(date),
      rating: cell(rating),
      ...(by !== undefined && value !== undefined && record.index < SAMPLE_ROWS ? { others: topLevelValues(value, options) } : {}),
    };
  }
}

/** A JSONL record's top-level fields of one value (no object, no array), but for the text's and --by's own. */
function topLevelValues(value: Record<string, unknown>, options: ScoredFileOptions): Array<readonly [string, string]> {
  const texts = (typeof options.text === 'string' ? [options.text] : options.text).map((name) => name.split('.')[0]);
  const skip = new Set([options.prefix, options.by?.split('.')[0], ...texts]);
  return Object.entries(value).flatMap(([name, field]) => {
    const text = skip.has(name) ? undefined : primitiveText(field);
    return text === undefined ? [] : [[name, text] as const];
  });
}

function jsonlOutcome(record: InputRecord, sentiment: unknown): ScoredRow['outcome'] {
  if (!isPlainObject(sentiment)) {
    return { kind: 'error', code: record.text.ok ? REPORT_ROW_CODES.notScored : record.text.failure.code };
  }
  return answerOutcome(sentiment);
}

/** A record's sentiment field as score writes it: its error's code, or its label and positive score. */
function answerOutcome(sentiment: Record<string, unknown>): ScoredRow['outcome'] {
  const error = sentiment['error'];
  if (error !== undefined) {
    const code = isPlainObject(error) && typeof error['code'] === 'string' ? error['code'] : 'unknown';
    return { kind: 'error', code };
  }
  return scoredOutcome(sentiment['label'], sentiment['positive']);
}

/**
 * The answer of a JSONL line over the bound the reader parses (io/record-bound.ts), from the end the reader keeps as text: score inserts
 * `"<prefix>":{...}` just before the object's closing brace, so the last such key there is its answer. A line
 * whose end holds no such field, or none that parses, keeps the reader's code (`record_too_large`).
 */
export function oversizedJsonlOutcome(record: Pick<InputRecord, 'raw' | 'text'>, prefix: string): ScoredRow['outcome'] {
  const readerCode: ScoredRow['outcome'] = { kind: 'error', code: record.text.ok ? RECORD_TOO_LARGE : record.text.failure.code };
  // The brace score wrote before, found as the reader and score find it (objectCloseAt).
  const close = objectCloseAt(record.raw);
  const key = `${JSON.stringify(prefix)}:`;
  const at = record.raw.lastIndexOf(key, close);
  if (close === -1 || at <= 0 || (record.raw[at - 1] !== ',' && record.raw[at - 1] !== '{')) return readerCode;
  let sentiment: unknown;
  try {
    sentiment = JSON.parse(record.raw.slice(at + key.length, close));
  } catch {
    return readerCode;
  }
  return isPlainObject(sentiment) ? answerOutcome(sentiment) : readerCode;
}
