import { inputFile, type InputFileId } from '../io/open-input.js';
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
 * The file the bytes were found the same for is kept: the check asked at each --checkpoint-interval reads them again
 * only when the file has changed since. Kept with its device, inode and change time (same-input.ts isRecordedFile says
 * why): by its identity alone (size, mtime, first and last 64 KiB), a row edited in the middle at its length, the mtime
 * put back with `touch -r`, was the file accepted, and the mend went on over the edit (operator23).
 */
export function mendInputCheck(input: WatchedInput, read: JobRead, log: Logger): () => Promise<void> {
  let accepted: LookedAt | undefined;
  return async () => {
    // One look at the file: whether it changed, what the refusal says, and whether it is the one already accepted.
    const file = await inputFile(input.path).catch(() => undefined);
    const now = file?.identity;
    const refused = await inputChangedInMend(input, now);
    if (refused === undefined) return;
    const { segments } = read;
    if (file === undefined || segments === undefined || segments.length === 0) throw refused;
    if (accepted !== undefined && sameFile(accepted, file)) return;
    if (!(await readPartUnchangedOrEnded(input.path, read.gzip, segments, read.format))) throw refused;
    if (accepted === undefined) {
      log.info(
        { bytes: segments.at(-1)?.end, sizeAtStart: input.identity.size, sizeNow: file.identity.size },
        `the input ${input.shownAs} changed while the rows that had failed were being mended, but not the bytes the job read, where those rows are: the mend goes on; the next run scores any rows appended after them`,
      );
    }
    // Looked at before its bytes were read: a write meanwhile changed its change time, so the next check reads them again.
    accepted = file;
  };
}

type LookedAt = { identity: InputIdentity; fileId: InputFileId };

const sameFile = (a: LookedAt, b: LookedAt): boolean =>
  sameIdentity(a.identity, b.identity) && a.fileId.dev === b.fileId.dev && a.fileId.ino === b.fileId.ino && a.fileId.ctimeNs === b.fileId.ctimeNs;
