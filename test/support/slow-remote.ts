import { RowScorer } from '../../src/job/row-scorer.js';
import type { StopController } from '../../src/job/stop.js';
import { createLogger } from '../../src/log.js';
import { RequestLimiter } from '../../src/scoring/limiter.js';
import type { Scorer } from '../../src/scoring/scorer.js';
import type { Totals } from '../../src/state/totals.js';

/**
 * A remote backend that answers every text POSITIVE after 20 ms, two requests at a time, behind a limiter and a
 * row scorer with one attempt: for the tests of what a fault does to requests in flight and rows queued. `counts`
 * says how many requests were sent and answered; stop the limiter when done.
 */
export function slowRemoteRows(stop: StopController, totals: Totals): { rows: RowScorer; limiter: RequestLimiter; counts: { sent: number; answered: number } } {
  const counts = { sent: 0, answered: 0 };
  const remote = {
    modelId: 'workers-ai:test',
    remote: true,
    score: async () => {
      counts.sent += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      counts.answered += 1;
      return { label: 'POSITIVE', positive: 0.75, negative: 0.25 };
    },
    close: () => Promise.resolve(),
  } as unknown as Scorer;
  const limiter = new RequestLimiter({ rpm: 600_000, concurrency: 2 });
  const rows = new RowScorer({ scorer: remote, limiter, retry: { maxAttempts: 1 }, stop, totals, log: createLogger('silent'), longText: 'truncate' });
  return { rows, limiter, counts };
}
