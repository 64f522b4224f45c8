/**
 * A completed job run again where the output's folder cannot be written (mounted
 * read-only, or not this user's to write): the lock, a folder beside the output,
 * cannot be taken. The lock keeps two writers apart, and "already done" writes
 * nothing, so such a run may still prove the output complete and say so (exit 0).
 * Every other start writes (a resume, a start over, a mend, finishing a rename):
 * it fails with the lock's own fault, the one line naming the folder (exit 74).
 *
 * Any other machine fault taking the lock (a full disk) of a job with a checkpoint is thrown at the same point,
 * before the first write, even for a job already done: by then the run has compared the command's settings and
 * input with the checkpoint's, so the line promises "it continues from the checkpoint" only when the same command
 * would (made when the lock was refused, it promised it to `--prefix other` too). Without a checkpoint (or under
 * --restart) the line promises nothing and is thrown at once, as before.
 */
import { machineFaultOf } from '../machine-fault.js';
import { continuesFromCheckpoint } from '../state/checkpoint.js';
import { lockFaultOf } from '../state/lock-fault.js';

/** The refusals that mean "this folder cannot be written", as opposed to a lock held by another run. */
const UNWRITABLE = new Set(['EROFS', 'EACCES', 'EPERM']);

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

  /**
   * A folder that takes no writes, or a machine fault with a checkpoint to compare with (its line is made once the
   * run knows whether it continues); any other failure (a lock held, a full disk on a first run) is thrown, as its line.
   */
  static orThrow(error: unknown, job: LockedJob): LocklessRun {
    const unwritable = UNWRITABLE.has((error as NodeJS.ErrnoException | undefined)?.code ?? '');
    if (!unwritable && (machineFaultOf(error) === undefined || !continuesFromCheckpoint(job))) throw lockFaultOf(error, job);
    return new LocklessRun(error, job, unwritable);
  }

  /**
   * Called before the run's first write: without the lock there may be none. `continues`: the run has found the
   * checkpoint it would continue from (resume, finish a rename, mend), so the same command run again continues too;
   * false when it was starting over (another prefix, a changed input, --restart, no checkpoint).
   */
  refuseWrite(continues: boolean): never {
    throw lockFaultOf(this.error, this.job, continues);
  }
}
