import type { JobSettings } from '../config/options.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Scorer } from '../scoring/scorer.js';

/**
 * Workers AI when asked for, or by default when both credentials are set;
 * otherwise the embedded model, so the job always runs. The log says which and why.
 */
export async function createScorer(settings: JobSettings, log: Logger): Promise<Scorer> {
  const { backend, accountId, apiToken } = settings;
  const hasCredentials = Boolean(accountId && apiToken);
  if (backend === 'workers-ai' && !hasCredentials) {
    const missing = [!accountId && 'CLOUDFLARE_ACCOUNT_ID', !apiToken && 'CLOUDFLARE_API_TOKEN'].filter(Boolean).join(' and ');
    throw new ConfigError(`--backend workers-ai needs ${missing}; set them (or CLOUDFLARE_API_TOKEN_FILE), or use --backend embedded`);
  }
  if (backend === 'workers-ai' || (backend === 'auto' && hasCredentials)) {
    // Loaded only when used, like the embedded model: a run that stops early (a held lock) starts in a fraction of the time.
    const { createWorkersAiScorer } = await import('../scoring/workers-ai.js');
    const scorer = createWorkersAiScorer({
      accountId: accountId as string,
      apiToken: apiToken as string,
      ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
      model: settings.model,
      attemptTimeoutMs: settings.timeoutMs,
      connections: settings.concurrency,
    });
    const why = backend === 'auto' ? 'CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN are set' : '--backend workers-ai';
    log.info({ backend: 'workers-ai', model: scorer.modelId, baseUrl: settings.baseUrl ?? 'default' }, `scoring with Workers AI (${why})`);
    return scorer;
  }
  // Loaded only when used: a Workers AI run never reads the model file.
  const { createEmbeddedScorer } = await import('../scoring/embedded.js');
  const scorer = createEmbeddedScorer();
  let why = '--backend embedded';
  if (backend === 'auto') {
    why = accountId || apiToken ? `only ${accountId ? 'CLOUDFLARE_ACCOUNT_ID' : 'CLOUDFLARE_API_TOKEN'} is set; Workers AI needs both` : 'no Cloudflare credentials are set';
    if (accountId || apiToken) log.warn(why);
  }
  log.info({ backend: 'embedded', model: scorer.modelId }, `scoring with the embedded offline model (${why})`);
  return scorer;
}
