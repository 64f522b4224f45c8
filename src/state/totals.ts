import { roundNeurons } from '../scoring/pricing.js';

/** Running counts of a job, carried across resumed sessions in the checkpoint. */
export interface Totals {
  /** Records read (pass-through blank lines excluded). read = scored + skipped + failed. */
  read: number;
  scored: number;
  skipped: number;
  failed: number;
  /** Rows answered from the result cache (a subset of scored). */
  cached: number;
  /**
   * Rows answered by another row's request with the same text: its scores, or its failure (they sent no request of
   * their own). That request was sent by this run, or by an earlier run of the job (its answer kept in the journal).
   */
  duplicates: number;
  /** Rows whose text was cut to the model's window. */
  truncated: number;
  /** HTTP requests sent (every attempt counts; one that could not connect was never sent). */
  requests: number;
  /** The retries among them, counted when sent: one a stop cancelled during its backoff is not. */
  retries: number;
  /** 429 answers received, whether retried, given up on or pausing the run (4006). */
  rateLimited: number;
  /**
   * Tokens sent to a remote model (every attempt sent), and the neurons of the attempts that may be billed:
   * not those the service surely did not run (it answered with an error status, or no connection was made).
   */
  tokens: number;
  neurons: number;
}

export function emptyTotals(): Totals {
  return {
    read: 0,
    scored: 0,
    skipped: 0,
    failed: 0,
    cached: 0,
    duplicates: 0,
    truncated: 0,
    requests: 0,
    retries: 0,
    rateLimited: 0,
    tokens: 0,
    neurons: 0,
  };
}

export function isTotals(value: unknown): value is Totals {
  if (typeof value !== 'object' || value === null) return false;
  return Object.keys(emptyTotals()).every((key) => {
    const n = (value as Record<string, unknown>)[key];
    return typeof n === 'number' && Number.isFinite(n) && n >= 0;
  });
}

/** Whether the counts hold together as a run keeps them: every row read is scored, skipped or failed once, the
 * rows answered from the cache or after truncation are among those scored, and the duplicates (answered, or
 * failed, by an earlier row's request) among those scored or failed. */
export function totalsAddUp(t: Totals): boolean {
  return t.read === t.scored + t.skipped + t.failed && t.cached <= t.scored && t.duplicates <= t.scored + t.failed && t.truncated <= t.scored;
}

/** What was added to the totals since `start` (this run's share of a resumed job). */
export function totalsSince(start: Totals, now: Totals): Totals {
  const diff = emptyTotals();
  for (const key of Object.keys(diff) as Array<keyof Totals>) diff[key] = now[key] - start[key];
  diff.neurons = roundNeurons(diff.neurons);
  return diff;
}

/** The counts of rows (read, scored... truncated), not of requests, added since `start`: the requests stay apart. */
export function rowsSince(start: Totals, now: Totals): Totals {
  const diff = totalsSince(start, now);
  return { ...diff, requests: 0, retries: 0, rateLimited: 0, tokens: 0, neurons: 0 };
}

/** The sum of two sets of totals (a resumed run's share plus what its mend added). */
export function totalsPlus(a: Totals, b: Totals): Totals {
  const sum = emptyTotals();
  for (const key of Object.keys(sum) as Array<keyof Totals>) sum[key] = a[key] + b[key];
  sum.neurons = roundNeurons(sum.neurons);
  return sum;
}
