/**
 * One `model pull` at a time fetches a file. Two pulls into one cache (two pods
 * sharing a volume, each pulling at start) wrote into the same
 * `<file>.incomplete`: the first renamed it into place while the second still
 * wrote into it (the same inode, now the model), or the second's bytes spoiled
 * the first's copy and both failed. The lock is `<file>.lock` beside the file
 * (proper-lockfile: a folder made atomically, its mtime refreshed while held, so
 * a pull killed with -9 leaves one that goes stale and is taken over, on any
 * host sharing the volume). A second pull waits for the first, then finds the
 * file there and checks it against the Hub's hash.
 */
import { downloadError } from './hub-file.js';

/** A holder silent this long (killed, frozen) loses the lock to the next pull. */
const STALE_MS = 20_000;
/** How long a pull waits for another one to finish the same file: a 67 MB file on a slow link takes minutes. */
const WAIT_TRIES = 3_600;

/**
 * Runs `work` holding the lock of `target` (its folder must exist). `onWait` is told once when another pull holds it.
 * `work` gets `lost()`: true when the lock was taken from this pull (frozen past the stale time), so it must not
 * rename its copy into place.
 */
export async function withFileLock<T>(target: string, onWait: () => void, work: (lost: () => boolean) => Promise<T>): Promise<T> {
  // Loaded here: `model list` and --help need no lock.
  const { default: lockfile } = await import('proper-lockfile');
  let lostWith: Error | undefined;
  const take = (retries: number) =>
    lockfile.lock(target, {
      lockfilePath: `${target}.lock`,
      realpath: false, // the file is not there yet
      stale: STALE_MS,
      update: STALE_MS / 4,
      retries: retries === 0 ? 0 : { retries, factor: 1, minTimeout: 1_000, maxTimeout: 1_000 },
      onCompromised: (error: Error) => {
        lostWith = error;
      },
    });
  let release: () => Promise<void>;
  try {
    release = await take(0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    onWait();
    try {
      release = await take(WAIT_TRIES);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'ELOCKED') throw again;
      throw downloadError(`another model pull has been fetching ${target} for over an hour (its lock ${target}.lock is refreshed): wait for it, or stop it, then run the same command again`, again);
    }
  }
  try {
    return await work(() => lostWith !== undefined);
  } finally {
    await release().catch(() => {});
  }
}
