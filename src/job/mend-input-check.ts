import { inputIdentity } from '../io/open-input.js';
import type { Logger } from '../log.js';
import { sameIdentity, type ConsumedSegment, type InputIdentity } from '../state/checkpoint.js';
import { inputChangedInMend, type WatchedInput } from './input-unchanged.js';
import { readPartUnchangedOrEnded } from './same-input.js';

/** The bytes the completed job read, as its checkpoint records them (`consumed`), and how to read them again. */
export interface JobRead {
  /** Undefined or empty: not recorded (an older checkpoint, a run that could not tell them): the file must be the same. */
  segments: ConsumedSegment[] | undefined;
  gzip: boolean;
  format: string;
}

/**
 * The input check of a mend (mend-job.ts checkInputUnchanged). A mend reads only its listed rows, every one inside the
 * part of the input the job read; so its file changed since the run began is refused (input-unchanged.ts
 * inputChangedInMend) only when those bytes changed too, as for a run that reached its --limit (same-input.ts
 * readPartUnchangedOrEnded: a last row read without a line ending may have one now). Rows appended after them (the
 * nightly export that grows: 2,000 rows, 46 listed, 100 appended 1 s into the mend) ended it exit 3 "Not mended, the input changed" after 5 requests; now it completes, its checkpoint still
 * of the bytes read, and the next run continues the grown export with the rows appended (grown-input.ts).
 *
 * The file's identity the bytes were found the same for is kept: the check asked at each --checkpoint-interval reads
 * them again only when the file has changed since.
 */
export function mendInputCheck(input: WatchedInput, read: JobRead, log: Logger): () => Promise<void> {
  let accepted: InputIdentity | undefined;
  return async () => {
    // One look at the file: whether it changed, what the refusal says, and whether it is the one already accepted.
    const now = await inputIdentity(input.path).catch(() => undefined);
    const refused = await inputChangedInMend(input, now);
    if (refused === undefined) return;
    const { segments } = read;
    if (now === undefined || segments === undefined || segments.length === 0) throw refused;
    if (accepted !== undefined && sameIdentity(accepted, now)) return;
    if (!(await readPartUnchangedOrEnded(input.path, read.gzip, segments, read.format))) throw refused;
    if (accepted === undefined) {
      log.info(
        { bytes: segments.at(-1)?.end, sizeAtStart: input.identity.size, sizeNow: now.size },
        `the input ${input.shownAs} changed while the rows that had failed were being mended, but not the bytes the job read, where those rows are: the mend goes on; the next run scores any rows appended after them`,
      );
    }
    accepted = now;
  };
}
