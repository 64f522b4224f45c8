/**
 * A run that pays for its requests reads its input through once before it sends
 * any: a byte that is not UTF-8 (one Windows-1252 'é' pasted into an export), a
 * gzip file cut off at its end, or an export cut off inside its last record (a
 * quoted value, a CSV row short of fields, a JSONL line short of JSON) is otherwise
 * found only when the reader reaches it,
 * after every row before it was sent and paid for; and the file, once mended, is a
 * new input that is scored, and paid for, again. The check costs a read of the file
 * (UTF-8 validation runs at many GB/s), nothing beside hours of requests. Not under
 * --limit (its rows may end well before a bad byte), nor when resuming (the run that
 * started the job read it; a gzip input is then decompressed once, as before).
 */
import { pipeline } from 'node:stream/promises';
import { openInput } from '../io/open-input.js';
import { Utf8Check } from '../io/utf8-check.js';
import { CsvEndCheck } from '../io/csv-end-check.js';
import type { CsvEscape, CsvQuote } from '../io/csv-dialect.js';
import { JsonlEndCheck } from '../io/jsonl-end-check.js';

/**
 * Also checks that the input does not end inside a record (an export cut off, cut-short.ts): `csvDelimiter` for a
 * CSV or TSV input, none for JSONL.
 */
export async function refuseUnreadableInput(input: string | { path: string; shownAs: string }, gzip: boolean, stop: AbortSignal, csvDelimiter?: string, escape?: CsvEscape, quote?: CsvQuote, looksUnquoted?: boolean): Promise<void> {
  const sink = csvDelimiter === undefined ? new JsonlEndCheck() : new CsvEndCheck(csvDelimiter, escape, quote, looksUnquoted);
  try {
    const { path, shownAs } = typeof input === 'string' ? { path: input, shownAs: input } : input;
    await pipeline(openInput(path, { gzip, label: shownAs }), new Utf8Check(), sink, { signal: stop });
  } catch (error) {
    // A signal during the check (a big gzip input takes seconds): the run stops at once, as it would have without it.
    if (stop.aborted) return;
    throw error;
  }
}
