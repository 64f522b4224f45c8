/**
 * A completed job run again where the output's folder cannot be written (mounted
 * read-only, or not this user's to write): the lock, a folder beside the output,
 * cannot be taken. The lock keeps two writers apart, and "already done" writes
 * nothing, so such a run may still prove the output complete and say so (exit 0).
 * Every other start writes (a resume, a start over, a mend, finishing a rename):
 * it fails with the lock's own fault, the one line naming the folder (exit 74).
 */

/** The refusals that mean "this folder cannot be written", as opposed to a lock held by another run. */
const UNWRITABLE = new Set(['EROFS', 'EACCES', 'EPERM']);

/** Why the lock could not be taken, kept to be thrown once the run finds it has to write. */
export class LocklessRun {
  private constructor(private readonly fault: unknown) {}

  /** A lock refused for an unwritable folder becomes a lockless run; any other failure is thrown (as `fault`: its line). */
  static orThrow(error: unknown, fault: unknown = error): LocklessRun {
    if (!UNWRITABLE.has((error as NodeJS.ErrnoException | undefined)?.code ?? '')) throw fault;
    return new LocklessRun(fault);
  }

  /** Called before the run's first write: without the lock there may be none. */
  refuseWrite(): never {
    throw this.fault;
  }
}
