import type { JobSettings } from '../config/options.js';
import { settingWords } from '../config/setting-names.js';
import type { Logger } from '../log.js';
import type { ResultCache } from '../state/cache.js';
import { openResultCache } from '../state/cache-loader.js';
import type { LocklessRun } from './lockless-done.js';

/**
 * The result cache of a run (--cache `dir`). A cache another run holds is gone without: not waited for (the other run
 * may take hours) nor refused (a nightly job would not complete for a cost saving). Without the output's lock a job
 * already done needs no cache: a fault opening it is kept until the run must write (lockless-done.ts).
 */
export function openRunCache(settings: JobSettings, dir: string, log: Logger, lockless: LocklessRun | undefined, remote = true): Promise<ResultCache | undefined> {
  // `remote`: the run's model is Workers AI; the local model's run sends nothing, its rows are scored again (it said "sent").
  const rows = remote ? 'its rows are sent' : 'its rows are scored again';
  return openResultCache(dir, { maxAgeDays: settings.cacheMaxAgeDays, onWritesStopped: (message) => log.warn(message), onUnusableAnswer: (message) => log.warn(message), named: settingWords(settings, 'cache', '--cache', dir) }, (inUse) =>
    log.warn(`${inUse.message}. This run goes on without the result cache: nothing is read from it or written to it (the output is the same; ${rows})`),
  ).catch((error: unknown) => (lockless ? lockless.keepCacheFault(error, dir, log) : Promise.reject(error)));
}
