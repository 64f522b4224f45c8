/**
 * Of the texts (or JSONL objects) a start-up check sampled (the first 100 records), those a `--limit N` run scores: of records below index
 * N. The warnings on what the texts look like (text-look.ts, backslash-null.ts) judged all of the sample under --limit 5
 * too, so a run of five English rows warned, and its summary ended with the warning, of German rows it never read.
 * `indexes[i]` is the record index of `sampled[i]`.
 */
export function withinLimit<T>(sampled: readonly T[], indexes: readonly number[], limit: number | undefined): T[] {
  return limit === undefined ? [...sampled] : sampled.filter((_, i) => indexes[i]! < limit);
}
