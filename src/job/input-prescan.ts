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
import { GarbageNudge, memoryRoom } from '../process/memory-room.js';

/** How a CSV or TSV input is written, as its Source holds it (job/source.ts): what its end check reads records by. */
export interface CsvEndDialect {
  delimiter: string;
  escape?: CsvEscape;
  quote?: CsvQuote;
  /** The file's first rows quote no cell (unquoted-look.ts): an open quote's advice names --quote none. */
  looksUnquoted?: boolean;
}

/**
 * Also checks that the input does not end inside a record (an export cut off, cut-short.ts): by `csv` for a CSV or
 * TSV input, as JSON Lines without it. The dialect is one object (a Source passes as it is): a CSV setting the check
 * comes to need is one more field, not another trailing argument every caller gives in order.
 */
export async function refuseUnreadableInput(input: string | { path: string; shownAs: string }, options: { gzip: boolean; stop: AbortSignal; csv?: CsvEndDialect }): Promise<void> {
  const { gzip, stop, csv } = options;
  const sink = csv === undefined ? new JsonlEndCheck() : new CsvEndCheck(csv.delimiter, csv.escape, csv.quote, csv.looksUnquoted);
  try {
    const { path, shownAs } = typeof input === 'string' ? { path: input, shownAs: input } : input;
    const source = openInput(path, { gzip, label: shownAs });
    const read = pipeline(source, new Utf8Check(), sink, { signal: stop });
    // Every chunk read is garbage once checked, outside V8's heap: under a small memory limit it is collected as it
    // passes, or a file of large records piled it up past the limit before a row was sent (memory-room.ts).
    const { collectEvery } = memoryRoom();
    if (collectEvery !== undefined) {
      const garbage = new GarbageNudge(collectEvery);
      source.on('data', (chunk: Buffer) => garbage.passed(chunk.length));
    }
    await read;
  } catch (error) {
    // A signal during the check (a big gzip input takes seconds): the run stops at once, as it would have without it.
    if (stop.aborted) return;
    throw error;
  }
}
