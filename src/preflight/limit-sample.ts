import type { JsonlSample } from './jsonl-sample.js';

/**
 * Of the texts (or JSONL objects) a start-up check sampled (the first 100 records), those a `--limit N` run scores: of records below index
 * N. The warnings on what the texts look like (text-look.ts, backslash-null.ts) judged all of the sample under --limit 5
 * too, so a run of five English rows warned, and its summary ended with the warning, of German rows it never read.
 * `indexes[i]` is the record index of `sampled[i]`.
 */
export function withinLimit<T>(sampled: readonly T[], indexes: readonly number[], limit: number | undefined): T[] {
  return limit === undefined ? [...sampled] : sampled.filter((_, i) => indexes[i]! < limit);
}

/** The rest of the sample: those past the limit a `--limit N` run does not score (none without a limit). */
export function pastLimit<T>(sampled: readonly T[], indexes: readonly number[], limit: number | undefined): T[] {
  return limit === undefined ? [] : sampled.filter((_, i) => indexes[i]! >= limit);
}

/** A JSONL sample cut to the records a `--limit N` run scores (`records` at most N), or past them (`past`); the sample itself without a limit. */
export function jsonlSampleWithin(sample: JsonlSample, limit: number | undefined, past = false): JsonlSample {
  if (limit === undefined) return sample;
  const indexes = sample.objectRecords ?? sample.objects.map((_, i) => i);
  const keep = (i: number): boolean => (indexes[i]! < limit) !== past;
  const objectRecords = indexes.filter((_, i) => keep(i));
  return { ...sample, objects: sample.objects.filter((_, i) => keep(i)), objectRecords, records: past ? sample.records : Math.min(sample.records, limit) };
}
