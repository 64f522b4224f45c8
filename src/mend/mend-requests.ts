import type { Logger } from '../log.js';
import type { Totals } from '../state/totals.js';

const REQUEST_FIGURES = ['requests', 'retries', 'rateLimited', 'tokens', 'neurons'] as const;
/** The figures of rows, which a mend changes only once its copy is complete (the others are its requests'). */
export const ROW_FIGURES = ['read', 'scored', 'skipped', 'failed', 'cached', 'duplicates', 'truncated'] as const;

/**
 * The requests a mend sends (`run`: the scorer counts them there), carried into the job's totals (`totals`): the job's
 * figures are those it had before the mend plus what the mend has sent when last carried, however often that is.
 */
export class MendRequests {
  private readonly before: Pick<Totals, (typeof REQUEST_FIGURES)[number]>;

  constructor(
    private readonly totals: Totals,
    private readonly run: Totals,
  ) {
    this.before = { requests: totals.requests, retries: totals.retries, rateLimited: totals.rateLimited, tokens: totals.tokens, neurons: totals.neurons };
  }

  /** Makes the job's totals count every request the mend has sent so far (each once, however often it is called). */
  carry(): void {
    for (const key of REQUEST_FIGURES) this.totals[key] = this.before[key] + this.run[key];
  }
}

/**
 * While a mend scores, saves the requests it has sent every `intervalMs` (--checkpoint-interval), as a run's checkpoints
 * do: a mend killed with kill -9 saved none (it writes the checkpoint only when it ends), so the next run's figures
 * for the whole job missed every request it had paid for (125 of them, killed 8 s in). A save the disk refuses is
 * left to the mend to meet (its copy is on the same disk). `stop` ends the saves and waits for one in progress: the
 * checkpoints the mend writes as it ends must come after it.
 */
export function saveRequestsEvery(intervalMs: number | undefined, requests: MendRequests, save: () => Promise<void>, log: Logger): { stop(): Promise<void> } {
  if (intervalMs === undefined) return { stop: async () => {} };
  let saving: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (saving) return;
    requests.carry();
    saving = save()
      .catch((error: unknown) => log.debug({ err: error }, 'could not save the requests the mend has sent so far'))
      .finally(() => (saving = undefined));
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await saving;
    },
  };
}
