import * as fs from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { onExitNow } from '../process/exit-cleanups.js';
import { canCheckHolder, isGoneHolder, pidNamespace, whyUncheckable } from '../process/dead-holder.js';
import { foreignLockOf, removeLockFolder } from './foreign-lock.js';
import { ExitCode, SentimentBatchError } from '../errors.js';
import { removedFolderLine } from '../machine-fault.js';
import { removedMeanwhile } from '../paths/removed-folder.js';
import { watchHeartbeat, type LockWait } from './lock-heartbeat.js';
import { removeAbandonedBuilds, transientPath } from './lock-leftovers.js';
import { lockIdentity, lockPlace, OWNER_FILE, readOwner, type LockOwner } from './lock-owner.js';
import { copiedLockIdentity, takeOverCopiedLock, takeOverDeadHolder } from './lock-takeover.js';
import { lockThereNow, lostLockLine, otherRunsLock, otherRunsLockSync, rememberOwnLock } from './other-run-lock.js';
import { createExclusive } from './no-follow.js';
import { closingLine } from '../process/error-line.js';
import { typedPath } from '../wording/typed-path.js';
import { isSwappedFolder, rememberFolder, swappedFolderLine } from './swapped-folder.js';

export { readOwner } from './lock-owner.js';
export type { LockWait } from './lock-heartbeat.js';

/**
 * One writer per output: `<output>.lock`, a folder holding `owner.json`
 * (host, pid, since; the folder's own identity and place, so a copy is told apart:
 * lock-takeover.ts), taken before anything is read or written and removed
 * on exit.
 *
 * proper-lockfile does the hard part: creating the folder is atomic on local
 * and network filesystems, the holder refreshes its mtime every few seconds
 * (the heartbeat), and a lock whose heartbeat is older than `staleMs` is taken
 * over, so a holder on another host or container (where pids mean nothing)
 * that died blocks the next run for at most `staleMs`. Three things are added
 * here: the folder is created with its owner file already inside (built under
 * a temporary name, then renamed into place, so no one ever sees a lock
 * without an owner); a holder of this host and PID namespace whose pid is gone
 * is taken over at once instead of after `staleMs`; and a holder that cannot be
 * checked (another host, another PID namespace: a container, even one with the
 * host's name under `--network host`) is watched for up to `staleMs`: a live one
 * refreshes its heartbeat within `staleMs / 6` (then this run is refused, exit
 * 75), a gone one does not (then its lock is taken over once silent for
 * `staleMs`), so a container killed with -9 or by the OOM killer does not make
 * its replacement exit 75.
 */

export interface OutputLock {
  lockPath: string;
  /** The holder this run took the lock over from, if any (worth a log line). */
  tookOverFrom?: LockOwner;
  /**
   * Why: its process is gone (this host and PID namespace), its heartbeat was silent for the stale time (another host
   * or container, or frozen), or it was copied here with its job folder from another output, whose lock its holder holds.
   */
  tookOverBecause?: 'gone' | 'silent' | 'copied';
  release(): Promise<void>;
}

/** A lock whose heartbeat is older than this is abandoned; the holder refreshes it every STALE_MS / 6. */
const STALE_MS = 30_000;

/** The log line for a takeover, by why the holder was taken over. */
export function takeoverLine(because: NonNullable<OutputLock['tookOverBecause']>): string {
  if (because === 'copied') return 'took over a lock copied here with its job folder: the run it names holds the lock of the folder copied, not this one';
  return because === 'gone'
    ? 'took over the lock of a run that is gone (its process no longer exists)'
    : `took over the lock of a run silent for over ${STALE_MS / 1000} s (gone on another host or container, or frozen: a frozen run stops when it wakes)`;
}

/** The log line for that wait. */
export function waitLine(wait: LockWait, staleMs = STALE_MS): string {
  if (wait.copied) {
    return (
      `the lock names a live run of this host (pid ${wait.holder.pid}) but records another folder than this one: a copy, made with its job folder while that run worked? ` +
      `watching its heartbeat for up to ${wait.seconds} s: that run refreshes its own lock every ${staleMs / 6000} s (if this one moves, this run exits 75), not a copy (then the copy is taken over)`
    );
  }
  return (
    `another run holds the lock (host ${wait.holder.host}, pid ${wait.holder.pid}) and cannot be checked from here (${whyUncheckable(wait.holder)}); ` +
    `watching its heartbeat for up to ${wait.seconds} s: a live run refreshes it every ${staleMs / 6000} s (then this run exits 75), a gone one does not (then its lock is taken over)`
  );
}

/**
 * Errors lockOutput throws without having taken the lock (another run holds it,
 * or a signal came while waiting for it): such a run touched nothing, so it must
 * not replace a file the running job owns, such as `--summary-json`.
 */
const refusals = new WeakSet<object>();

/** Whether `error` is lockOutput's refusal: this run never held the lock and wrote nothing. */
export function refusedByLock(error: unknown): boolean {
  return typeof error === 'object' && error !== null && refusals.has(error);
}

function refusal(error: SentimentBatchError): SentimentBatchError {
  refusals.add(error);
  return error;
}

export function lockPathFor(output: string): string {
  return `${output}.lock`;
}

/** Takes the lock of `output` or throws a `locked` error (exit 75) naming the holder. */
export async function lockOutput(
  output: string,
  options: {
    staleMs?: number;
    onLost?: (error: Error) => void;
    /** Told how the run ends once its lock is lost, before the line and the exit (the job's --summary-json). */
    beforeLostExit?: (ending: LostLockEnding) => void;
    /** Called once when this run starts waiting for a holder it cannot check. */
    onWait?: (wait: LockWait) => void;
    /** Ends such a wait (a signal): the run is refused with exit 130, having touched nothing. */
    abort?: AbortSignal;
    /** The output as the user gave it (`-o out.csv`): the refusal names it and its lock so, as the summary names the output. */
    typedOutput?: string;
  } = {},
): Promise<OutputLock> {
  const lockPath = lockPathFor(output);
  const staleMs = options.staleMs ?? STALE_MS;
  const pidNs = pidNamespace();
  const owner: LockOwner = { tool: 'sentiment-batch', host: hostname(), pid: process.pid, ...(pidNs ? { pidNs } : {}), since: new Date().toISOString() };
  // Loaded here, not with this module: reading settings checks paths against lockPathFor, and a usage
  // error, `estimate` or `report` then need not load proper-lockfile (graceful-fs, signal-exit).
  const { default: lockfile } = await import('proper-lockfile');
  // The holder whose lock proper-lockfile found stale and removed while taking it (its rmdir, judged just before):
  // the takeover to report. Judged then, not from an age read before the take: a lock that turned stale while this run
  // was building its own (a loaded machine, an fsync) was taken over with no reason given and no log line.
  let staleTakeover: StaleTakeover | undefined;
  let taking = false;
  // Before proper-lockfile removes the lock folder: while taking, a stale holder's (judged, then removed); else this
  // run's own release, which leaves another run's lock alone: after the folder was swapped under this run, the lock at
  // its path is that run's (CI at 44670f65: the lost folder's run removed it on its way out).
  const beforeRemoval = async (): Promise<boolean> => {
    if (taking) staleTakeover = await judgeStaleHolder(lockPath);
    return taking || (await otherRunsLock(lockPath)) === undefined;
  };
  const take = async () => {
    [taking, staleTakeover] = [true, undefined];
    try {
      return await lockfile.lock(output, {
        lockfilePath: lockPath,
        realpath: false, // the output need not exist yet
        stale: staleMs,
        update: staleMs / 6,
        retries: 0,
        fs: lockFs(owner, beforeRemoval),
        onCompromised: options.onLost ?? exitOnLostLock(lockPath, options.beforeLostExit),
      });
    } finally {
      taking = false;
    }
  };
  let release: () => Promise<void>;
  let tookOverFrom: LockOwner | undefined;
  let tookOverBecause: OutputLock['tookOverBecause'];
  try {
    release = await take();
    // A holder there before a first try that succeeds was silent past the stale time: proper-lockfile took its lock
    // over (one that just let go is no takeover: nothing was removed).
    if (staleTakeover) [tookOverFrom, tookOverBecause] = [staleTakeover.holder, staleTakeover.because];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') {
      // Another user's lock this one may not replace (a sticky folder): a live holder's is a held lock (exit 75), foreign-lock.ts.
      const foreign = await foreignLockOf(error, lockPath, await readOwner(lockPath));
      if (foreign?.holder && canCheckHolder(foreign.holder) && !isGoneHolder(foreign.holder)) throw refusal(lockedError(typedPath(output, options.typedOutput), typedPath(lockPath, options.typedOutput), foreign.holder, staleMs));
      throw foreign ?? error;
    }
    const holder = await readOwner(lockPath);
    // A holder of this host and namespace is asked directly; an unreadable one (no owner file: not a lock of ours) is refused as before.
    if (!holder || canCheckHolder(holder)) {
      // Gone: taken over at once. Alive: refused, unless its lock was copied here with its job folder (lock-takeover.ts).
      const because = holder ? ((await takeOverDeadHolder(lockPath, holder)) ? 'gone' : await takeOverCopiedLock(lockPath, holder, staleMs, options)) : undefined;
      if (because === 'aborted') throw refusal(interruptedError(lockPath, holder!));
      if (because === undefined) throw refusal(lockedError(typedPath(output, options.typedOutput), typedPath(lockPath, options.typedOutput), holder, staleMs));
      if (because !== 'released') [tookOverFrom, tookOverBecause] = [holder, because];
    } else {
      const verdict = await watchHeartbeat(lockPath, holder, staleMs, options);
      if (verdict === 'aborted') throw refusal(interruptedError(lockPath, holder));
      if (verdict === 'live' || verdict === 'undecided') throw refusal(lockedError(typedPath(output, options.typedOutput), typedPath(lockPath, options.typedOutput), holder, staleMs));
      if (verdict === 'silent') [tookOverFrom, tookOverBecause] = [holder, 'silent'];
    }
    try {
      release = await take();
      // Released meanwhile, then left by another run that went silent: taken over by proper-lockfile as above.
      if (!tookOverFrom && staleTakeover) [tookOverFrom, tookOverBecause] = [staleTakeover.holder, staleTakeover.because];
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'ELOCKED') throw again;
      throw refusal(lockedError(typedPath(output, options.typedOutput), typedPath(lockPath, options.typedOutput), await readOwner(lockPath), staleMs));
    }
  }
  // The folder the lock is in, as found now: one at its path later is another one (swapped-folder.ts).
  rememberFolder(path.dirname(path.resolve(lockPath)));
  await removeAbandonedBuilds(lockPath, staleMs);
  return {
    lockPath,
    ...(tookOverFrom ? { tookOverFrom, tookOverBecause } : {}),
    release: async () => {
      // Already gone (taken over after a long freeze): nothing of ours to remove.
      await release().catch(() => {});
    },
  };
}

interface StaleTakeover {
  holder: LockOwner;
  because: 'gone' | 'silent' | 'copied';
}

/**
 * Why the stale lock about to be removed is taken over: its holder gone (this host and namespace: a run killed last night
 * is not "frozen or elsewhere"), its lock a copy of a live run's of this host (lock-takeover.ts), or silent. Undefined
 * for a lock with no owner file of ours (a symlink, a folder left empty).
 */
async function judgeStaleHolder(lockPath: string): Promise<StaleTakeover | undefined> {
  const holder = await readOwner(lockPath);
  if (!holder) return undefined;
  if (isGoneHolder(holder)) return { holder, because: 'gone' };
  const copied = canCheckHolder(holder) && (await copiedLockIdentity(lockPath, holder)) !== undefined;
  return { holder, because: copied ? 'copied' : 'silent' };
}

function interruptedError(lockPath: string, holder: LockOwner): SentimentBatchError {
  return new SentimentBatchError('interrupted', `stopped while waiting for the lock ${lockPath} of another run (host ${holder.host}, pid ${holder.pid}); nothing was read or written`);
}

/** `output` and `lockPath` as a message names them (as typed: typedPath). */
function lockedError(output: string, lockPath: string, holder: LockOwner | undefined, staleMs: number): SentimentBatchError {
  const who = holder ? `host ${holder.host}, pid ${holder.pid}, since ${holder.since}` : 'holder unknown';
  return new SentimentBatchError(
    'locked',
    `another run is writing ${output} (${who}); try again later. Its lock ${lockPath} is taken over at once when that process is gone on this host (in this PID namespace), or ${staleMs / 1000} s after its last heartbeat`,
  );
}

/**
 * The filesystem proper-lockfile works through: `mkdir` builds the folder with
 * its owner file under a temporary name and renames it into place (rename onto
 * an existing, non-empty lock fails, so it is as atomic as mkdir); `rmdir`
 * removes the folder with what it holds.
 */
function lockFs(owner: LockOwner, beforeRemoval: () => Promise<boolean>): Record<string, unknown> {
  return {
    ...fs,
    // The heartbeat's age is the lock's own, never a target's: through stat, a symlink left at the lock's path to nothing
    // had no age (ENOENT, so never stale) and every run was refused as locked, exit 75 night after night.
    stat: fs.lstat,
    mkdir: (lockPath: string, callback: (error: NodeJS.ErrnoException | null) => void) => {
      createOwnedFolder(lockPath, owner).then(
        () => callback(null),
        (error: NodeJS.ErrnoException) => callback(error),
      );
    },
    rmdir: (lockPath: string, callback: (error: NodeJS.ErrnoException | null) => void) => {
      beforeRemoval()
        .then((remove) => (remove ? removeLockFolder(lockPath, () => transientPath(lockPath, 'dead')) : undefined))
        .then(() => callback(null), callback);
    },
    // At exit, a lock still held is removed: not another run's (see beforeRemoval).
    rmdirSync: (lockPath: string) => {
      if (otherRunsLockSync(lockPath) === undefined) fs.rmSync(lockPath, { recursive: true, force: true });
    },
  };
}

async function createOwnedFolder(lockPath: string, owner: LockOwner): Promise<void> {
  const building = transientPath(lockPath, 'new');
  // A signal exits at once while no job's handler is in place: the folder half-built goes with it, as no later
  // run could tell it (no owner file yet) from another host's run building its lock right now (removeAbandonedBuilds).
  const forgetBuilding = onExitNow(() => fs.rmSync(building, { recursive: true, force: true }));
  try {
    // Inside the try: a folder that refuses it (not this user's to write) is said of the lock, not of this passing name.
    await fs.promises.mkdir(building);
    // The folder's identity and place, which the rename into place keeps and a copy of the folder does not (lock-takeover.ts).
    const [lockId, lockAt] = [await lockIdentity(building), await lockPlace(lockPath)];
    const handle = await createExclusive(path.join(building, OWNER_FILE));
    try {
      await handle.writeFile(`${JSON.stringify({ ...owner, ...(lockId && lockAt ? { lockId, lockAt } : {}) })}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(building, lockPath);
    // This run's own lock from now on, which its release removes; one at its path that records another folder is not (other-run-lock.ts).
    if (lockId && lockAt) rememberOwnLock(lockPath, lockId);
  } catch (error) {
    await fs.promises.rm(building, { recursive: true, force: true }).catch(() => {});
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a file or symlink sits at the lock's path; like a held lock, it is judged by its age, never followed into.
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') throw Object.assign(new Error(`${lockPath} exists`), { code: 'EEXIST' });
    // The fault's line names the lock, not the folder it is built in for a moment (nor no path: a FileHandle's write reports none).
    if (error instanceof Error && code !== undefined) (error as NodeJS.ErrnoException).path = lockPath;
    throw error;
  } finally {
    forgetBuilding();
  }
}

/**
 * The lock was taken over while this run still held it (the process was frozen
 * past the stale time, or someone removed the folder). Another run may be
 * writing the same files now: any further write of ours could damage its work,
 * so this run ends at once; its last checkpoint stays valid for whoever resumes.
 * Unless the output's folder itself is gone (removed while the run worked), or is another one with no lock in it (a
 * mount lazily unmounted): no run writes there, and exit 75 with "another run may be writing" sent the operator after
 * one; said as a write into that folder says it, exit 74.
 */
function exitOnLostLock(lockPath: string, beforeExit?: (ending: LostLockEnding) => void): (error: Error) => void {
  return (error) => {
    const ending = lostLockEnding(lockPath, error);
    beforeExit?.(ending);
    process.stderr.write(closingLine(ending.message, ending.exitCode));
    process.exit(ending.exitCode);
  };
}

export interface LostLockEnding {
  exitCode: number;
  message: string;
}

/** The line and exit code of a run whose lock was lost (exitOnLostLock). */
function lostLockEnding(lockPath: string, error: Error): LostLockEnding {
  const folder = path.dirname(path.resolve(lockPath));
  // proper-lockfile hands over the heartbeat's ENOENT recoded ECOMPROMISED: the folder is asked instead. One made
  // again since by another run is there, and that run may be writing: the line below then, as before.
  if (removedMeanwhile(folder)) return { exitCode: ExitCode.MachineFault, message: removedFolderLine(folder) };
  // Another folder at its path with no lock in it (a mount lazily unmounted): no run writes there either.
  if (isSwappedFolder(folder) && !fs.existsSync(lockPath)) return { exitCode: ExitCode.MachineFault, message: swappedFolderLine(folder) };
  // Another run's lock there (the folder swapped and a lock taken in the new one, or this run's taken over after a
  // freeze): that run is named, as the partial output's check names it (removed-partial.ts), not proper-lockfile's
  // "Unable to update lock within the stale threshold", its words for a heartbeat's mtime not its own.
  const holder = otherRunsLockSync(lockPath);
  return { exitCode: ExitCode.Paused, message: lostLockLine(lockPath, holder ? lockThereNow(holder) : error.message) };
}
