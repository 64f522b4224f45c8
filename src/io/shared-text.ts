/**
 * A long text read out of a record, made to share the record's raw string rather than hold its own copy. The reader
 * keeps `raw` until the row is written (the output is made from it) and `text` as long: JSON.parse and csv-parse give
 * the text a string of its own, so a record of one 11.6 MB text held 23 MB of characters where 11.6 MB can do (the OOM
 * killer at 128 MiB on every run, fuzz34). A text written without escapes is a substring of raw; V8's slice of a
 * long string is a view into it, no copy. A text with escapes (\n, \u00e9, "" in a CSV cell) is not found and is kept
 * as parsed: the same characters either way.
 */

// Below this, a copy costs less than the search.
const SHARED_FROM_CHARS = 64 * 1024;

/** `text` itself, or the very same characters as a view into `raw` when `raw` holds them verbatim. */
export function sharedWithRaw(text: string, raw: string): string {
  if (text.length < SHARED_FROM_CHARS || text.length > raw.length) return text;
  const at = raw.indexOf(text);
  return at === -1 ? text : raw.slice(at, at + text.length);
}
