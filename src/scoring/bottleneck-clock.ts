/**
 * bottleneck dates the start it grants each job by the wall clock (Date.now()): it keeps the time its next job may
 * start, and a job given a slot waits until then. With no spacing set in it (the local limiter's: the sliding window
 * spaces the starts, by performance.now()), that time is never ahead of now but when the clock was set back (NTP
 * stepping a drifted clock, `date -s`, a VM resumed): set back an hour, every row given a slot waited an hour, the job
 * silent meanwhile (faketime against `serve`: 57 requests, then none for the 6 minutes watched).
 */
import type Bottleneck from 'bottleneck';

/** The part of bottleneck's in-process store (LocalDatastore, bottleneck 2.x) this reads and wraps. */
interface LocalStore {
  _nextRequest: number;
  __register__: (...args: unknown[]) => Promise<unknown>;
}

function localStore(bottleneck: Bottleneck): LocalStore | undefined {
  const store = (bottleneck as unknown as { _store?: Partial<LocalStore> })._store;
  if (store === undefined || typeof store._nextRequest !== 'number' || typeof store.__register__ !== 'function') return undefined;
  return store as LocalStore;
}

/**
 * Makes `bottleneck`, which must have no minTime of its own, grant a slot's start at once however the wall clock moved:
 * before each grant its next start is brought back to now if a clock set back left it ahead. A store not of the shape
 * expected (another bottleneck release) is left as it is.
 */
export function startsIgnoreClockSteps(bottleneck: Bottleneck): void {
  const store = localStore(bottleneck);
  if (store === undefined) return;
  const register = store.__register__.bind(store);
  store.__register__ = (...args: unknown[]) => {
    store._nextRequest = Math.min(store._nextRequest, Date.now());
    return register(...args);
  };
}
