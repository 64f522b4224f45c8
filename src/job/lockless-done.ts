/**
 * A completed job run again where the output's folder cannot be written (mounted
 * read-only, or not this user's to write): the lock, a folder beside the output,
 * cannot be taken. The lock keeps two writers apart, and "already done" writes
 * nothing, so such a run may still prove the output complete and say so (exit 0).
 * Every other start writes (a resume, a start over, a mend, finishing a rename):
 * it fails with the lock's own fault, the one line naming the folder (exit 74). A --cache folder the machine refuses
 * too (the same read-only volume) is no reason to fail a job already done, which reads nothing from it (keepCacheFault).
 *
 * Any other machine fault taking the lock (a full disk) of a job with a checkpoint is thrown at the same point,
 * before the first write, even for a job already done: by then the run has compared the command's settings and
 * input with the checkpoint's, so the line promises "it continues from the checkpoint" only when the same command
 * would (made when the lock was refused, it promised it to `--prefix other` too). Without a checkpoint (or under
 * --restart) the line promises nothing and is thrown at once, as before.
 *
 * Such a run announces no start over it will not make (resume.ts `withoutLock`): its line says why it would start
 * over, and that it left the checkpoint as it was. An error that ends it before that point (its input refused, a
 * Redis that never answers, a signal while it sets up) is still its line and exit code; the lock's fault is logged
 * with it, once (sayIfUnsaid), so that the next run is not the first to meet it.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { MachineFaultError } from '../errors.js';
import type { Logger } from '../log.js';
import { machineFaultOf } from '../machine-fault.js';
import { checkpointPathFor, continuesFromCheckpoint, readCheckpoint } from '../state/checkpoint.js';
import { ForeignLockError } from '../state/foreign-lock.js';
import { lockFaultOf, type NextRun } from '../state/lock-fault.js';
import type { StartDecision } from './resume.js';

/** The refusals that mean "this folder cannot be written", as opposed to a lock held by another run. */
const UNWRITABLE = new Set(['EROFS', 'EACCES', 'EPERM']);

/** The lock's fault said beside the error that ended a run (sayIfUnsaid), for its --summary-json (`warning`). */
const SAID_BESIDE = new WeakMap<object, string>();

/** The output lock's fault said beside `error`, the one that ended the run, if any. */
export function lockFaultBeside(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? SAID_BESIDE.get(error) : undefined;
}

/** The job whose lock it is, as lockFaultOf takes it. */
type LockedJob = Parameters<typeof lockFaultOf>[1];

/** Why the lock could not be taken, kept to be thrown once the run finds it has to write. */
export class LocklessRun {
  private constructor(
    private readonly error: unknown,
    private readonly job: LockedJob,
    /** The folder takes no writes: a job already done may say so without the lock. */
    readonly mayFinishDone: boolean,
  ) {}

  /** Why no lock was taken, as the "already done" line says it: the folder, or another user's lock (foreign-lock.ts). */
  get why(): string {
    return this.error instanceof ForeignLockError ? "its lock is another user's, which this one may not replace" : 'its folder cannot be written';
  }

  /**
   * A folder that takes no writes, or a machine fault with a checkpoint to compare with (its line is made once the
   * run knows whether it continues); any other failure (a lock held, a full disk on a first run) is thrown, as its line.
   */
  static orThrow(error: unknown, job: LockedJob): LocklessRun {
    // Another user's lock this one may not replace (foreign-lock.ts) blocks every write too, and no more than a folder's.
    const unwritable = UNWRITABLE.has((error as NodeJS.ErrnoException | undefined)?.code ?? '') || error instanceof ForeignLockError;
    if (!unwritable && (machineFaultOf(error) === undefined || !continuesFromCheckpoint(job))) throw lockFaultOf(error, job);
    return new LocklessRun(error, job, unwritable);
  }

  /** Thrown, or found not needed (a job already done): said, so never said again (sayIfUnsaid). */
  private settled = false;

  /** The result cache's machine fault, kept while the run may find the job already done (keepCacheFault). */
  private cacheFault: { error: MachineFaultError; folder: string; log: Logger } | undefined;

  /**
   * Opening the result cache met a machine fault, in a run whose output folder takes no writes (typically both on one
   * volume mounted read-only: /data in a container). A job already done reads nothing from the cache, so the fault
   * is kept, as the lock's is, and the run goes on without a cache until it knows how it starts: it ended 74 on the
   * cache's line, the lock's said beside it, where without --cache the same rerun said "already done", exit 0. Said
   * when the run must write (refuseWrite, sayIfUnsaid) beside the lock's line, unless that line's advice covers it
   * (one read-only filesystem: two lines said the one mount was read-only). Any other error is thrown.
   */
  keepCacheFault(error: unknown, folder: string, log: Logger): undefined {
    if (!this.mayFinishDone || !(error instanceof MachineFaultError)) throw error;
    this.cacheFault = { error, folder: path.resolve(folder), log };
    return undefined;
  }

  /**
   * The kept cache fault, said once at error level, unless the lock's line covers it: both folders on one read-only
   * filesystem, which "mount it writable" fixes. A folder not this user's to write is one folder (its chown does not
   * reach the other), so the cache's is said even on the same filesystem.
   */
  private sayCacheFault(): void {
    const kept = this.cacheFault;
    this.cacheFault = undefined;
    if (!kept) return;
    const readOnly = kept.error.errno === 'EROFS' && (this.error as NodeJS.ErrnoException | undefined)?.code === 'EROFS';
    const device = deviceOf(kept.folder);
    if (readOnly && device !== undefined && device === deviceOf(path.dirname(this.job.output))) return;
    kept.log.error(`besides what ends this run (below), ${kept.error.message}`);
  }

  /**
   * Once the run has decided how it starts (resume.ts), before its first write: a job already done, in a folder that
   * takes no writes, goes on without the lock; every other start is refused here.
   */
  decided(decision: StartDecision): void {
    if (decision.kind === 'done' && this.mayFinishDone) this.settled = true;
    else this.refuseWrite(decision.kind !== 'fresh', nextRunOf(decision));
  }

  /**
   * Called before the run's first write: without the lock there may be none. `continues`: the run has found the
   * checkpoint it would continue from (resume, finish a rename, mend), so the same command run again continues too;
   * false when it was starting over (another prefix, a changed input, --restart, no checkpoint). `next`: what the
   * next run does, when known (why it starts over when there is a checkpoint; the rows a mend scores again), which
   * the line says with what this run left as it was.
   */
  refuseWrite(continues: boolean, next?: NextRun): never {
    this.settled = true;
    this.sayCacheFault();
    throw lockFaultOf(this.error, this.job, continues, next);
  }

  /**
   * An error ended the run before it decided how to start (its input refused, a Redis that never answered, a signal
   * while it set up): that error is the run's line and exit code, as before, but the lock's fault is said too, once,
   * or the operator fixes the first only to meet the folder or the disk on the next run. Whether that run continues
   * from the checkpoint is not known yet, so the line promises nothing of it.
   */
  async sayIfUnsaid(log: Logger, ended: unknown): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    this.sayCacheFault();
    const fault = lockFaultOf(this.error, this.job, false);
    const line = fault instanceof Error ? fault.message : String(fault);
    const unlessDone = this.mayFinishDone && (await mayBeFoundDone(this.job)) ? ' unless it finds the job already done (that writes nothing)' : '';
    const said = `the output's lock could not be taken, which the next run needs${unlessDone}: ${line}`;
    // At error level: a fault the next run fails on, seen under --log-level error and by a collector alerting on errors.
    log.error(`besides what ends this run (below), ${said}`);
    // And in --summary-json, which a scheduler reads rather than the log (commands/score.ts).
    if (typeof ended === 'object' && ended !== null) SAID_BESIDE.set(ended, said);
  }
}

/** Where a path lies: the device of its nearest part that exists (a cache folder not yet made lies on its parent's). */
function deviceOf(file: string): number | undefined {
  for (let at = file; ; at = path.dirname(at)) {
    try {
      return statSync(at).dev;
    } catch {
      if (path.dirname(at) === at) return undefined;
    }
  }
}

/**
 * Whether the next run may find the job already done, which needs no lock: only a checkpoint of a completed job
 * (read as it is: its input and settings are compared by that run) with no listed row to mend and no mended copy
 * half in place. It was said for any checkpoint, an unfinished job's too, which the next run resumes, writing.
 */
async function mayBeFoundDone(job: LockedJob): Promise<boolean> {
  if (!continuesFromCheckpoint(job)) return false;
  const loaded = await readCheckpoint(checkpointPathFor(job.output)).catch(() => undefined);
  if (loaded?.kind !== 'ok') return false;
  const { completed, mending, listedFailures } = loaded.checkpoint;
  return completed && mending === undefined && (listedFailures ?? 0) === 0;
}

/**
 * What the next run does, as far as the decision tells: why it starts over; for a completed job on a disk too full
 * for the lock (refused even when already done), the rows its list holds to mend, as the run that completed it
 * counted them (it said only "it continues from the checkpoint").
 */
function nextRunOf(decision: StartDecision): NextRun | undefined {
  if (decision.kind === 'fresh') return decision.why !== undefined ? { startsOver: decision.why } : undefined;
  const listed = decision.kind === 'done' && decision.checkpoint.mending === undefined ? (decision.checkpoint.listedFailures ?? 0) : 0;
  return listed > 0 ? { mends: listed } : undefined;
}
