import { isPlainObject, type DottedPath } from '../io/dotted-path.js';

/**
 * The part of a dotted path that is an array in some sampled record (`comments` of `comments.0.text`): BigQuery's
 * REPEATED fields, mongoexport's arrays. A path goes through objects only, so such a field was refused as in none of
 * the records, their fields listing `comments` with no word that it is there, an array, and what to do.
 */
export function arrayOnPath(objects: readonly Record<string, unknown>[], path: DottedPath): string | undefined {
  for (const object of objects) {
    let current: unknown = object;
    for (let i = 0; i < path.segments.length - 1; i++) {
      if (!isPlainObject(current)) break;
      current = current[path.segments[i]!];
      if (Array.isArray(current)) return path.segments.slice(0, i + 1).join('.');
    }
  }
  return undefined;
}

/** The clause the refusal adds for it, with what to do: one record per element, or the text in a field of its own. */
export function arrayOnPathAdvice(array: string, setting: string): string {
  return ` ('${array}' is an array in them, and ${setting} cannot reach into an array: export one record per element, BigQuery's UNNEST(${array}), or put the text in a field of its own)`;
}
