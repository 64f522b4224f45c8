import path from 'node:path';
import { ConfigError } from '../errors.js';

/** The longest file name Linux's and macOS's filesystems take (NAME_MAX), in bytes. */
const NAME_MAX = 255;
/** A pid of the most digits Linux gives (pid_max is at most 4,194,304): the next run's pid may be longer than this one's. */
const LONGEST_PID = '9'.repeat(7);
/** What a file written whole adds to its name until its rename (state/atomic-write.ts, `.tmp-PID`; the journal's, the partial output's too). */
const TEMP_SUFFIX = `.tmp-${LONGEST_PID}`;
/** What the lock folder's name gets while it is built (state/lock-leftovers.ts, `.new-PID-HEX`). */
const LOCK_BUILD_SUFFIX = `.new-${LONGEST_PID}-ffffffff`;

/** A file a run writes, and the name it has while it is written. */
export interface WrittenName {
  /** The path as the run keeps it (the output, a file beside it, --report, --summary-json). */
  file: string;
  /** The output's lock folder, built under another name. */
  lock?: boolean;
}

/**
 * Refuses, before any work, a path whose file name (or a name the run gives a file beside it while it writes it:
 * `out.csv.checkpoint.json.tmp-PID`) is over NAME_MAX. Met mid-run it was exit 74, `… failed: name too long
 * (ENAMETOOLONG); check that path and the machine, then run the same command again`, naming a file the user never
 * named, which no rerun could write: the lock's at the start, or the checkpoint's once the partial output was begun.
 * `head`: how the line names the path (`-o x.csv`); `instead`: what to do (`choose a shorter -o`).
 */
export function refuseLongNames(names: readonly WrittenName[], head: string, instead: string): void {
  let longest: { name: string; bytes: number } | undefined;
  let room = NAME_MAX;
  for (const { file, lock } of names) {
    const suffix = lock === true ? LOCK_BUILD_SUFFIX : TEMP_SUFFIX;
    const bytes = Buffer.byteLength(`${path.basename(file)}${suffix}`);
    const name = `${path.basename(file)}${suffix.replace(LONGEST_PID, '<pid>').replace('ffffffff', '<hex>')}`;
    room = Math.min(room, NAME_MAX - (bytes - Buffer.byteLength(path.basename(names[0]?.file ?? file))));
    if (!longest || bytes > longest.bytes) longest = { name, bytes };
  }
  if (!longest || longest.bytes <= NAME_MAX) return;
  const given = Buffer.byteLength(path.basename(names[0]?.file ?? ''));
  throw new ConfigError(
    `${head}: its file name is ${given} bytes, and the run writes ${longest.name} beside it, up to ${longest.bytes} bytes, over the ${NAME_MAX} a file name may have: ${instead} (a name of at most ${room} bytes)`,
  );
}
