import type { JobSettings } from '../config/options.js';
import { settingWords } from '../config/setting-names.js';
import { MachineFaultError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ResultCache } from '../state/cache.js';
import { openResultCache } from '../state/cache-loader.js';
import type { LocklessRun } from './lockless-done.js';

/**
 * The result cache of a run (--cache `dir`). A cache another run holds is gone without: not waited for (the other run
 * may take hours) nor refused (a nightly job would not complete for a cost saving). A job already done needs no cache:
 * a machine fault opening it (a read-only volume, a disk under the cache's reserve) is kept until the run must score
 * or write, without the output's lock (lockless-done.ts) as with it (`kept`, KeptCacheFault).
 */
export function openRunCache(settings: JobSettings, dir: string, log: Logger, lockless: LocklessRun | undefined, remote = true, kept?: KeptCacheFault): Promise<ResultCache | undefined> {
  // `remote`: the run's model is Workers AI; the local model's run sends nothing, its rows are scored again (it said "sent").
  const rows = remote ? 'its rows are sent' : 'its rows are scored again';
  return openResultCache(dir, { maxAgeDays: settings.cacheMaxAgeDays, onWritesStopped: (message) => log.warn(message), onUnusableAnswer: (message) => log.warn(message), named: settingWords(settings, 'cache', '--cache', dir) }, (inUse) =>
    log.warn(`${inUse.message}. This run goes on without the result cache: nothing is read from it or written to it (the output is the same; ${rows})`),
  ).catch((error: unknown) => (lockless ? lockless.keepCacheFault(error, dir, log) : kept ? kept.keep(error) : Promise.reject(error)));
}

/**
 * A machine fault opening the result cache in a run that holds the output's lock, kept while the run may find the job
 * already done: a completed job's nightly rerun ended 74 on the cache's line (its disk under the 16 MiB reserve, or
 * read-only) though "already done" reads nothing from the cache. Thrown once the run knows it must score: any start
 * but "done" (decided first without a write, run.ts), or a completed job's mend, before its first request or write. A
 * usage error (exit 2) is thrown at once.
 */
export class KeptCacheFault {
  private error: MachineFaultError | undefined;

  get kept(): boolean {
    return this.error !== undefined;
  }

  keep(error: unknown): undefined {
    if (!(error instanceof MachineFaultError)) throw error;
    this.error = error;
    return undefined;
  }

  /** The run needs the cache from here on: the kept fault is its line and exit code. */
  throwIfKept(): void {
    const error = this.error;
    this.error = undefined;
    if (error) throw error;
  }
}
