/**
 * The input must be the same file at the end of a run as at its start. A file
 * cut short or appended to while it was read (an export job still writing it,
 * a hand edit) gives an output that matches neither version — a last record
 * cut in the middle, scored as if whole — and must not be reported as done.
 */
import { lstat } from 'node:fs/promises';
import { InputChangedInMendError, InputError, type MendAgain } from '../errors.js';
import { inputIdentity } from '../io/open-input.js';
import { sameIdentity, type InputIdentity } from '../state/checkpoint.js';
import { capitalized } from '../wording/capitalized.js';
import { ONCE_FINAL, putBackAdvice } from './mend-refused-line.js';

/**
 * `beforeSending`: the read-through before a paid run's first request (input-prescan.ts) saw it change, so
 * nothing was sent or written: found there, an export still being written is not paid for twice (once by this
 * run, which could not mark its output complete, once by the next, which starts over on the final file).
 */
/** The input a run watches: its path, as messages name it, and the job file whose "input" gave it (a `run`). */
export interface WatchedInput {
  path: string;
  shownAs: string;
  identity: InputIdentity;
  /** The job file whose "input" names the input: what the user must edit, the same command reading that file. */
  jobFile?: string;
}

export async function refuseChangedInput(input: WatchedInput, beforeSending = false): Promise<void> {
  const { path: inputPath, shownAs, identity: atStart } = input;
  const now = await inputIdentity(inputPath).catch(() => undefined);
  if (now && sameIdentity(now, atStart)) return;
  // `gzip x.csv` while x.csv is scored: "the same command" names the file gzip removed; x.csv.gz is what to score (its
  // rows are the same bytes once read, so its run continues from the checkpoint), and gzip, done, wrote it in full.
  // `gunzip x.csv.gz` the other way round: x.csv is what to score.
  const gone = now === undefined && (await removed(inputPath));
  const moved = gone ? await compressedInPlace(inputPath) : undefined;
  if (moved !== undefined) {
    const other = inPlaceName(moved, shownAs);
    throw new InputError(
      `the input ${shownAs} changed while it was being read (it was removed, and ${other} is there now: ${moved} in place?)` +
        (beforeSending
          ? ` before anything was sent. ${capitalized(inPlaceAdvice(input, other))}`
          : `; the output is not marked complete. ${capitalized(inPlaceAdvice(input, other))}: ` +
            'it continues from the checkpoint if the bytes read so far are unchanged, else starts over on the new content'),
    );
  }
  const what = whatChanged(now, atStart, gone);
  throw new InputError(
    beforeSending
      ? `the input ${shownAs} changed while it was being read (it ${what}) before anything was sent: a writer still at work? ` +
          'Run the same command again once the file is final'
      : `the input ${shownAs} changed while it was being read (it ${what}); the output is not marked complete. ` +
          'Run the same command again once the file is final: the next run continues from its checkpoint if the bytes it read are unchanged, else starts over on the new content',
  );
}

/**
 * How the input changed since `atStart`, as the refusals say it ("it was removed"); `gone`: it is no longer there.
 * Removed (rm, or moved away) is said so: "can no longer be read" sent the operator to the file's permissions.
 */
function whatChanged(now: InputIdentity | undefined, atStart: InputIdentity, gone: boolean): string {
  if (now === undefined) return gone ? 'was removed' : 'can no longer be read';
  return now.size === atStart.size ? 'was modified' : `went from ${atStart.size} to ${now.size} bytes`;
}

/**
 * The check a mend of a completed job's failed rows makes once it has read them, before its copy may replace the output
 * (mend/mend-job.ts): a mend reads only its listed rows, so an input rewritten meanwhile gave an output mixing two
 * exports (same length, rewritten 20 s into a mend of 3,000 rows: exit 0, 961 rows only as the old file had them, 136
 * only as the new one). The output and its list are kept as they were; the requests sent are in the checkpoint.
 * The refusal for the input found as `now` (undefined: it could not be read), or undefined when `now` is the file the
 * run began with: the caller (mend-input-check.ts) reads the file's identity once, for this and its own checks.
 */
export async function inputChangedInMend(input: WatchedInput, now: InputIdentity | undefined): Promise<InputChangedInMendError | undefined> {
  const { path: inputPath, shownAs, identity: atStart } = input;
  if (now && sameIdentity(now, atStart)) return undefined;
  const gone = now === undefined && (await removed(inputPath));
  const refused = `the input ${shownAs} changed while the rows that had failed were being mended`;
  const unchanged = 'nothing was mended and the output is unchanged (the requests sent are counted in its checkpoint)';
  // Gzipped in place (`gzip in.csv` mid-mend): "run the same command again" named the file gzip removed, and that
  // command ended "cannot open input file". The .gz is what to score, as a scoring run's refusal says (above).
  const moved = gone ? await compressedInPlace(inputPath) : undefined;
  if (moved !== undefined) {
    const other = inPlaceName(moved, shownAs);
    const again = inPlaceAdvice(input, other);
    return new InputChangedInMendError(
      `${refused} (it was removed, and ${other} is there now: ${moved} in place?): ${unchanged}. ${capitalized(again)}: ` +
        `it ${MENDS_IF_SAME}, else scores the new content afresh`,
      { advice: again, kind: 'in-place' },
    );
  }
  // Removed, and nothing in its place: no file to wait for ("once the file is final"), but one to put back.
  const again = gone ? putBackAdvice(shownAs) : ONCE_FINAL;
  const advice = gone ? capitalized(again) : 'Run the same command again once the file is final';
  return new InputChangedInMendError(
    `${refused} (it ${whatChanged(now, atStart, gone)}): ${unchanged}. ${advice}: the next run mends those rows if the bytes the job read are unchanged, else scores the new content afresh`,
    { advice: again, kind: gone ? 'removed' : 'rewritten' },
  );
}

/** What a gzipped or gunzipped input's next run does: its bytes once read are the job's, or they are new content. */
const MENDS_IF_SAME = 'mends those rows if the bytes the job read are the same, compressed or not';

/** The next run's advice a mend refused as the input changed gave (`again`), for the summary's last line; else undefined. */
export function mendAgainOf(error: unknown): MendAgain | undefined {
  return error instanceof InputChangedInMendError ? error.again : undefined;
}

/**
 * The file the next run should read when the input was gzipped or gunzipped in place (`x.csv.gz` for `x.csv`, as
 * `shownAs` names it), or undefined when it was not: a machine fault's line (commands/fault-advice.ts) names it, as the
 * line above does, where "run the same command again" named the file gzip removed.
 */
export async function compressedInPlaceName(inputPath: string, shownAs: string): Promise<string | undefined> {
  const moved = await compressedInPlace(inputPath);
  return moved === undefined ? undefined : inPlaceName(moved, shownAs);
}

/**
 * What to do to read `other` next: run the same command with it in place of the input, or, when a job file's "input"
 * named the input, edit that (the same command reads the job file: `run job.json` with x.csv.gz has nothing to put
 * it in place of). Lower case, to follow "then" in a fault's line (commands/fault-advice.ts).
 */
export function inPlaceAdvice(input: Pick<WatchedInput, 'shownAs' | 'jobFile'>, other: string): string {
  if (input.jobFile === undefined) return `run the same command with ${other} in place of ${input.shownAs}`;
  return `set "input" in job file ${input.jobFile} to name ${other} in place of ${input.shownAs}, then run the same command`;
}

function inPlaceName(moved: 'gzipped' | 'gunzipped', shownAs: string): string {
  return moved === 'gzipped' ? `${shownAs}.gz` : shownAs.slice(0, -'.gz'.length);
}

/**
 * `gzipped` when `inputPath` is gone and a regular file `<inputPath>.gz` stands beside it (what `gzip` leaves),
 * `gunzipped` when `inputPath` ends in `.gz`, is gone, and a regular file of its name without it stands there (what
 * `gunzip` leaves); else undefined.
 */
async function compressedInPlace(inputPath: string): Promise<'gzipped' | 'gunzipped' | undefined> {
  if (!(await removed(inputPath))) return undefined;
  const isFile = async (file: string) => (await lstat(file).catch(() => undefined))?.isFile() === true;
  if (await isFile(`${inputPath}.gz`)) return 'gzipped';
  if (inputPath.endsWith('.gz') && (await isFile(inputPath.slice(0, -'.gz'.length)))) return 'gunzipped';
  return undefined;
}

/** Whether nothing is at `inputPath` any more (ENOENT), as opposed to a file there that cannot be read. */
async function removed(inputPath: string): Promise<boolean> {
  return lstat(inputPath).then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
  );
}
