import type { JobSettings } from '../config/options.js';
import { MAX_TIMER_MS } from '../config/validate.js';
import type { Logger } from '../log.js';
import type { RequestLimiter } from '../scoring/limiter.js';

/**
 * The request limiter: local, or shared with every job of the account through Redis (--redis). `abort` ends the wait
 * for Redis (up to 5 s for one that never answers) when the job is stopped meanwhile (job/setup-stop.ts).
 */
export async function createLimiter(settings: JobSettings, log: Logger, abort?: AbortSignal): Promise<RequestLimiter> {
  const local = { rpm: settings.rpm, concurrency: settings.concurrency };
  // Loaded here: only a model that sends requests needs Bottleneck.
  const { RequestLimiter } = await import('../scoring/limiter.js');
  if (!settings.redis) return new RequestLimiter(local);
  const { createSharedBottleneck } = await import('../scoring/shared-limiter.js');
  const { redactRedisUrl } = await import('../scoring/redis-connection.js');
  const bottleneck = await createSharedBottleneck({
    redisUrl: settings.redis,
    accountId: settings.accountId ?? '',
    model: settings.model,
    rpm: settings.rpm,
    concurrency: settings.concurrency,
    // A running request is released by Redis after this even if its process dies; never before it can time out.
    // Bottleneck sets a timer of this length (MAX_TIMER_MS: a longer one would fire at once).
    jobExpirationMs: Math.min(MAX_TIMER_MS, Math.max(90_000, 2 * settings.timeoutMs)),
    log,
    ...(abort ? { abort } : {}),
  });
  log.info({ redis: redactRedisUrl(settings.redis), id: bottleneck.sharedId }, 'sharing the rate limit through Redis');
  return new RequestLimiter({ ...local, bottleneck });
}
