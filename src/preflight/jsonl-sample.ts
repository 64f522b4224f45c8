import { InputError } from '../errors.js';
import { isPlainObject } from '../io/dotted-path.js';
import { readJsonlRecords } from '../io/jsonl-reader.js';
import { openInput } from '../io/open-input.js';

/** How many non-blank lines the startup checks look at. */
export const SAMPLE_RECORDS = 100;

/** The first non-blank lines of a JSONL input, as the startup checks see them. */
export interface JsonlSample {
  /** Non-blank lines read (at most SAMPLE_RECORDS). */
  records: number;
  /** The lines among them that are JSON objects, parsed. */
  objects: Array<Record<string, unknown>>;
}

/**
 * Reads the first SAMPLE_RECORDS non-blank lines of a JSONL input from its
 * start. An input without a single non-blank line is an input error: there is
 * nothing to score, which is never what was meant.
 */
export async function sampleJsonl(inputPath: string, gzip: boolean, textField: readonly string[]): Promise<JsonlSample> {
  const sample: JsonlSample = { records: 0, objects: [] };
  const records = readJsonlRecords(openInput(inputPath, { gzip }), { textField, startOffset: 0, startIndex: 0 });
  for await (const record of records) {
    if (record.passThrough) continue;
    sample.records += 1;
    // Only the first line can carry a BOM (elsewhere it is not JSON whitespace and the line fails anyway).
    const parsed = parseObject(record.raw.replace(/^\uFEFF/, ''));
    if (parsed !== undefined) sample.objects.push(parsed);
    if (sample.records >= SAMPLE_RECORDS) break;
  }
  if (sample.records === 0) {
    throw new InputError('input is empty or holds only blank lines: expected one JSON object per line');
  }
  return sample;
}

function parseObject(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
