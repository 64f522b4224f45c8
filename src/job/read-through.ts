import type { Logger } from '../log.js';
import type { InputIdentity } from '../state/checkpoint.js';
import { refuseUnreadableInput } from './input-prescan.js';
import { refuseChangedInput, type WatchedInput } from './input-unchanged.js';
import type { Source } from './source.js';
import type { StopController } from './stop.js';

/** Reads the whole input through, refusing bytes that are not UTF-8 and an export cut short (`why`: the line a large input logs). */
export type ReadThrough = (why: string, signal: AbortSignal) => Promise<void>;

/** `input.shownAs`: the input as the user gave it, which a gzip input's refusal names (open-input.ts label). */
export function readThroughOf(input: { path: string; shownAs: string }, source: Source, identity: InputIdentity, log: Logger): ReadThrough {
  return async (why, signal) => {
    // A large input takes seconds to read through (a 1.5 GB gzip about 9 s): the log says why the run is quiet.
    if (identity.size >= (source.compressed ? 10 : 100) * 1024 * 1024) log.info(why);
    await refuseUnreadableInput(input, { gzip: source.compressed, stop: signal, csv: source.format === 'jsonl' ? undefined : source });
  };
}

/**
 * Before the first request (and the first byte written) of a fresh remote run: a bad byte near the end is not found after
 * paying for the rest. An export still being written (cron fired before the export job ended) is found now, not after
 * every row was paid for; one whose read ended inside a quote or a gzip member is that writer too, not a broken record.
 * Returns whether the whole input was read through and found readable (a stop during the read ends it unfinished).
 */
export async function readBeforeSending(
  readThrough: ReadThrough,
  stop: StopController,
  input: WatchedInput,
): Promise<boolean> {
  await readThrough('reading the input once for bytes that are not UTF-8 (and an export cut short: gzip, CSV or JSONL) before sending anything', stop.waitingSignal).catch(async (error: unknown) => {
    await refuseChangedInput(input, true);
    throw error;
  });
  if (!stop.waitingSignal.aborted) await refuseChangedInput(input, true);
  return !stop.requested;
}
