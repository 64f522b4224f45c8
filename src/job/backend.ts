import type { JobSettings } from '../config/options.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Scorer } from '../scoring/scorer.js';

export interface BackendChoice {
  backend: 'workers-ai' | 'embedded' | 'local';
  /** Why, in words for the log and for `estimate`. */
  why: string;
  /** Only one of the two credentials is set: worth a warning. */
  halfConfigured: boolean;
}

/**
 * Workers AI when asked for, or by default when both credentials are set;
 * the local ONNX model only when asked for; otherwise the embedded model, so the job always runs. `estimate` prices
 * the same choice a run would make.
 */
export function chooseBackend(settings: Pick<JobSettings, 'backend' | 'accountId' | 'apiToken'>): BackendChoice {
  const { backend, accountId, apiToken } = settings;
  const hasCredentials = Boolean(accountId && apiToken);
  if (backend === 'workers-ai' && !hasCredentials) {
    const missing = [!accountId && 'CLOUDFLARE_ACCOUNT_ID', !apiToken && 'CLOUDFLARE_API_TOKEN'].filter(Boolean).join(' and ');
    throw new ConfigError(`--backend workers-ai needs ${missing}; set them (or CLOUDFLARE_API_TOKEN_FILE), or use --backend embedded`);
  }
  if (backend === 'workers-ai') return { backend, why: '--backend workers-ai', halfConfigured: false };
  if (backend === 'auto' && hasCredentials) {
    return { backend: 'workers-ai', why: 'CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN are set', halfConfigured: false };
  }
  if (backend === 'embedded') return { backend: 'embedded', why: '--backend embedded', halfConfigured: false };
  if (backend === 'local') return { backend: 'local', why: '--backend local', halfConfigured: false };
  const half = Boolean(accountId || apiToken);
  const why = half ? `only ${accountId ? 'CLOUDFLARE_ACCOUNT_ID' : 'CLOUDFLARE_API_TOKEN'} is set; Workers AI needs both` : 'no Cloudflare credentials are set';
  return { backend: 'embedded', why, halfConfigured: half };
}

/** Builds the scorer `chooseBackend` picks. The log says which and why. */
export async function createScorer(settings: JobSettings, log: Logger): Promise<Scorer> {
  const choice = chooseBackend(settings);
  if (choice.backend === 'workers-ai') {
    // Loaded only when used, like the embedded model: a run that stops early (a held lock) starts in a fraction of the time.
    const { createWorkersAiScorer } = await import('../scoring/workers-ai.js');
    const scorer = createWorkersAiScorer({
      accountId: settings.accountId as string,
      apiToken: settings.apiToken as string,
      ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
      model: settings.model,
      attemptTimeoutMs: settings.timeoutMs,
      connections: settings.concurrency,
    });
    log.info({ backend: 'workers-ai', model: scorer.modelId, baseUrl: settings.baseUrl ?? 'default' }, `scoring with Workers AI (${choice.why})`);
    return scorer;
  }
  if (choice.backend === 'local') {
    // Loaded only when used: onnxruntime-node is not touched by other backends.
    const { createLocalBackend } = await import('../scoring/local/backend-settings.js');
    return createLocalBackend(settings, log);
  }
  // Loaded only when used: a Workers AI run never reads the model file.
  const { createEmbeddedScorer } = await import('../scoring/embedded.js');
  const scorer = createEmbeddedScorer();
  if (choice.halfConfigured) log.warn(choice.why);
  log.info({ backend: 'embedded', model: scorer.modelId }, `scoring with the embedded offline model (${choice.why})`);
  return scorer;
}
