import { jsonLineShape, jsonLineShapeAdvice } from '../io/json-line-shape.js';
import type { InputSettingChange } from '../io/csv-header.js';
import { pythonNonJsonAdvice, pythonNonJsonToken } from '../io/python-json-tokens.js';
import { CutShortError, InputError } from '../errors.js';
import { isPlainObject } from '../io/dotted-path.js';
import { inputNamed } from '../io/input-error.js';
import { readJsonlRecords } from '../io/jsonl-reader.js';
import { openInput } from '../io/open-input.js';
import { Utf16InputError, utf16NoMarkAdvice } from '../io/utf16-advice.js';
import { tarByBytes } from '../io/other-compression.js';
import { noneOfTheFirst } from '../wording/counted.js';
import { groupedNumber } from '../wording/grouped-number.js';

/** How many non-blank lines the startup checks look at. */
export const SAMPLE_RECORDS = 100;

/**
 * The sample's other bound: it ends before the line that would bring its characters past this (the first line is always
 * taken). The sample's records are held parsed through the start-up checks, and a parsed line is several times its text
 * (a line of 1,000,000 keys, 12 MB, is ~75 MB parsed): 40 lines of 15 MiB were 600 MB held at once.
 */
export const SAMPLE_CHARACTERS = 16 * 1024 * 1024;

/** The first non-blank lines of a JSONL input, as the startup checks see them. */
export interface JsonlSample {
  /** Non-blank lines read (at most SAMPLE_RECORDS; fewer where one more would pass SAMPLE_CHARACTERS). */
  records: number;
  /** The lines among them that are JSON objects, parsed. */
  objects: Array<Record<string, unknown>>;
  /**
   * The record index of each of `objects` (the job's: 0 the first non-blank line): a --limit run scores only some.
   * Absent (a sample made by hand): `objects[i]` is record i.
   */
  objectRecords?: number[];
  /** The first non-blank line, as written. */
  firstLine: string;
  /** The input's last line, among these, is cut short (no line ending, no JSON): the reader's error for it. */
  cutShort?: CutShortError;
  /**
   * Of `records`, the lines of NUL bytes alone after the first: in UTF-16 little-endian the second byte of a line
   * ending follows its LF, so it opens a "line" of its own, one past the file's last line. Not lines of the file.
   * Absent: none.
   */
  nulOnly?: number;
  /** Of `records`, the lines that are an object followed by a comma (json-line-shape.ts). Absent: none. */
  trailingCommas?: number;
}

/**
 * Reads the first SAMPLE_RECORDS non-blank lines of a JSONL input from its
 * start. An input without a single non-blank line is an input error: there is
 * nothing to score, which is never what was meant.
 */
export async function sampleJsonl(inputPath: string, gzip: boolean, textField: readonly string[], shownAs = inputPath): Promise<JsonlSample> {
  const objectRecords: number[] = [];
  const sample: JsonlSample = { records: 0, objects: [], objectRecords, firstLine: '' };
  // The reader parses each line anyway: its object is taken (keepValue), not parsed a second time from the line.
  const records = readJsonlRecords(openInput(inputPath, { gzip, label: shownAs }), { textField, startOffset: 0, startIndex: 0, keepValue: true });
  let characters = 0;
  /** `parsed`: the line's object, undefined when it is none. */
  const take = (raw: string, parsed: Record<string, unknown> | undefined): void => {
    sample.records += 1;
    characters += raw.length;
    if (sample.records === 1) sample.firstLine = raw;
    else if (NUL_ONLY.test(raw)) sample.nulOnly = (sample.nulOnly ?? 0) + 1;
    if (parsed !== undefined) {
      sample.objects.push(parsed);
      objectRecords.push(sample.records - 1);
    } else if (jsonLineShape(raw) === 'trailing-comma') sample.trailingCommas = (sample.trailingCommas ?? 0) + 1;
  };
  try {
    for await (const record of records) {
      if (record.passThrough) continue;
      if (sample.records > 0 && characters + record.raw.length > SAMPLE_CHARACTERS) break;
      take(record.raw, isPlainObject(record.value) ? record.value : undefined);
      if (sample.records >= SAMPLE_RECORDS) break;
    }
  } catch (error) {
    // A last line with no ending that is no JSON: an export cut short, or a file that is no JSON Lines at all (pretty-printed
    // JSON, a CSV, lines ended by CR alone) written without a final line break. Taken as a line that is no object, so the
    // checks below say which; the reader (or the read-through before a paid run) says the cut of a file that is JSON Lines.
    if (!(error instanceof CutShortError) || error.record === undefined) throw error;
    // A BOM opens the file, or each file of several joined, as the reader takes it (io/jsonl-reader.ts).
    take(error.record, parseObject(error.record.replace(/^\uFEFF/, '')));
    sample.cutShort = error;
  }
  if (sample.records === 0) {
    throw new InputError(`${inputNamed(shownAs)} is empty or holds only blank lines: expected one JSON object per line`);
  }
  return sample;
}

const NUL_ONLY = /^\u0000+$/;

/** The lines of the file the sample read: a UTF-16 file's counted as its own, not as its bytes split at each LF. */
export function sampledLines(sample: JsonlSample): number {
  return sample.records - (sample.nulOnly ?? 0);
}

function parseObject(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A file to score must be JSON Lines: one that opens a JSON document on its
 * first line (an array, or pretty-printed JSON), or has no JSON object in its
 * sample (a CSV read as JSONL), would only get a failure per line.
 */
export function refuseNotJsonLines(sample: JsonlSample, change?: InputSettingChange): void {
  const opener = sample.firstLine.replace(/^\uFEFF/, '').trim();
  // A line that only opens an array or object starts one JSON document spread over lines, never a JSON Lines record.
  // The jq line for what it opens: '.[]' makes an array's records lines, '.' each pretty-printed object one (of an object,
  // '.[]' wrote its values).
  if (opener === '[') {
    throw new InputError(`the first line is '[' alone: this is one JSON document (an array, or pretty-printed), not JSON Lines; write one object per line, e.g. jq -c '.[]' in.json > in.jsonl`);
  }
  if (opener === '{') {
    throw new InputError(`the first line is '{' alone: this is pretty-printed JSON, not JSON Lines; write one object per line, e.g. jq -c . in.json > in.jsonl`);
  }
  if (sample.objects.length === 0) {
    // One line alone, an object opened and cut, with nothing else to tell: an export of one record cut short.
    if (sample.cutShort && sample.records === 1 && opener.startsWith('{') && lookOf(opener) === undefined) throw sample.cutShort;
    const notJsonLines = `${noneOfTheFirst(sampledLines(sample), 'non-blank line')} a JSON object, so this is not JSON Lines`;
    // A tar's header is NUL-padded too, and no conversion makes it text (io/other-compression.ts).
    const tar = tarByBytes(opener);
    if (tar !== undefined) throw new InputError(`${notJsonLines}: ${tar}`);
    // UTF-16: the command names the user's file in the conversion (io/utf16-advice.ts).
    const utf16 = utf16Look(opener);
    if (utf16) throw new Utf16InputError(utf16.from, 'jsonl', (convert) => `${notJsonLines}: ${utf16.say(convert)}`);
    throw new InputError(`${notJsonLines}: ${notJsonLinesHint(opener, change)}`);
  }
  // A JSON array's records with its brackets removed: a comma after each object but the last, which parses. Each other
  // row would fail alone, after the last row was paid for. From half of the lines on (an array of two records is one
  // line of each), not the odd line gone wrong: the default --max-error-rate 0.5 stops a run over half ("too many rows failed").
  const commas = sample.trailingCommas ?? 0;
  const lines = sampledLines(sample);
  if (commas > 0 && commas * 2 >= lines) {
    const are = commas === 1 ? 'is' : 'are';
    throw new InputError(`${groupedNumber(commas)} of the first ${groupedNumber(lines)} non-blank lines ${are} not JSON, so this is not JSON Lines: ${jsonLineShapeAdvice('trailing-comma')}`);
  }
}

/** What a file whose sample holds no JSON object looks like, with what to do. */
function notJsonLinesHint(opener: string, change?: InputSettingChange): string {
  const look = lookOf(opener);
  if (look !== undefined) return look;
  // A job file's "format": "jsonl" on a CSV: its key, not a flag.
  const csv = change?.('format', 'csv');
  return csv === undefined ? 'give the format with --format csv or --format tsv if it is not JSON' : `${csv} (or "tsv") if it is not JSON`;
}

/** What the first line shows the file to be, when it shows it, with what to do. */
function lookOf(opener: string): string | undefined {
  if (opener.startsWith('[')) return "it looks like a JSON array: write one object per line, e.g. jq -c '.[]' in.json > in.jsonl";
  const python = pythonNonJsonToken(opener);
  if (python !== undefined) return `its first line ${pythonNonJsonAdvice(python)}`;
  if (PYTHON_DICT.test(opener)) return PYTHON_DICT_ADVICE;
  const shape = jsonLineShape(opener);
  if (shape !== undefined) return jsonLineShapeAdvice(shape);
  if (holdsObjectText(opener)) return "its lines are JSON strings that hold an object (encoded twice): decode them, e.g. jq -c 'fromjson' in.jsonl > decoded.jsonl";
  // UTF-16 without a byte-order mark: every other byte NUL (the CSV header check names it so too).
  const utf16 = utf16Look(opener);
  if (utf16) return utf16.say(utf16.convert);
  if (/\}[ \t]*\r[ \t]*\{/.test(opener)) {
    return "its lines seem to end in CR alone (classic Mac OS line endings), which JSON Lines does not use: end them with LF, e.g. tr '\\r' '\\n' < in.jsonl > lf.jsonl";
  }
  return undefined;
}

/**
 * A Python dict as `print(record)` or `str(record)` writes it, where `json.dumps` was meant: a string key in single
 * quotes opens it (`{'id': 1, …}`), which JSON never writes. Told to give --format csv or tsv before.
 */
const PYTHON_DICT = /^\{\s*'[^'\n]*'\s*:/;
const PYTHON_DICT_ADVICE =
  'its first line is a Python dict as print() or str() writes it (single quotes; None, True, False), not JSON: write each record with json.dumps(record), ' +
  "or convert the lines, e.g. python3 -c 'import ast, json, sys; [print(json.dumps(ast.literal_eval(l), ensure_ascii=False)) for l in sys.stdin if l.strip()]' < in.jsonl > fixed.jsonl";

/** A JSON string whose text is a JSON object: a record encoded twice. */
function holdsObjectText(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'string' && parseObject(value) !== undefined;
  } catch {
    return false;
  }
}

/**
 * UTF-16 without a byte-order mark, every other byte NUL (the CSV header check names it so too): what to say, around a
 * conversion. `report` says it too (report/jsonl-check.ts): a scored file saved as UTF-16 got no advice.
 */
export function utf16Look(opener: string): { from: string; convert: string; say: (convert: string) => string } | undefined {
  if (!opener.includes('\u0000')) return undefined;
  const utf16 = utf16NoMarkAdvice([opener.charCodeAt(0), opener.charCodeAt(1)], 'jsonl');
  return { ...utf16, say: (convert) => `its lines hold NUL bytes: the file looks like UTF-16 (${utf16.order}) or binary data; save it as UTF-8 text, ${convert}` };
}
