import type { JobSettings } from '../config/options.js';
import { assertWasmMemory } from '../process/address-space.js';
import { accountIdSource, apiTokenSource, apiTokenWords, halfCredentials, refuseHalfCredentials } from '../config/credentials.js';
import { jobFileChange, settingName } from '../config/setting-names.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import { plainHttpWarning } from '../scoring/base-url.js';
import type { Scorer } from '../scoring/scorer.js';

export interface BackendChoice {
  backend: 'workers-ai' | 'embedded' | 'local';
  /** Why, in words for the log and for `estimate`. */
  why: string;
  /**
   * `--backend auto` with only one of the two credentials: `score` refuses to start
   * (config/credentials.ts); `estimate`, which sends nothing, prices Workers AI and says so.
   */
  halfConfigured: boolean;
}

type BackendSettings = Pick<JobSettings, 'backend' | 'accountId' | 'apiToken' | 'apiTokenFrom' | 'given' | 'jobFile'>;

/**
 * Workers AI when asked for, or by default when both credentials are set;
 * the local ONNX model only when asked for; the embedded model when asked for or when no
 * credential is set. Only one of the two is a mistake, not a choice (see halfConfigured).
 * `estimate` prices the same choice a run would make; `sendsNothing` (estimate): Workers AI asked for without its
 * credentials is priced, the reason saying that score refuses until they are set, not refused (exit 2) by a command that
 * sends nothing and prints the Workers AI figures anyway without the flag.
 */
export function chooseBackend(settings: BackendSettings, { sendsNothing = false }: { sendsNothing?: boolean } = {}): BackendChoice {
  const { backend, accountId, apiToken } = settings;
  const hasCredentials = Boolean(accountId && apiToken);
  // Named as given: a job file's "backend" is no flag anybody typed.
  const named = settingName(settings, 'backend', '--backend', backend);
  if (backend === 'workers-ai' && !hasCredentials) {
    const missing = [!accountId && 'CLOUDFLARE_ACCOUNT_ID', !apiToken && 'CLOUDFLARE_API_TOKEN'].filter(Boolean).join(' and ');
    if (sendsNothing) return { backend, why: `${named}; ${missing} ${missing.includes(' and ') ? 'are' : 'is'} not set: score refuses to start until then`, halfConfigured: false };
    const instead = jobFileChange(settings, 'backend')?.('embedded') ?? 'use --backend embedded';
    throw new ConfigError(`${named} needs ${missing}; set them (or CLOUDFLARE_API_TOKEN_FILE), or ${instead}`);
  }
  if (backend === 'workers-ai') return { backend, why: named, halfConfigured: false };
  if (backend === 'auto' && hasCredentials) {
    return { backend: 'workers-ai', why: `${accountIdSource(settings)} and ${apiTokenSource(settings)} are set`, halfConfigured: false };
  }
  if (backend === 'embedded') return { backend: 'embedded', why: named, halfConfigured: false };
  if (backend === 'local') return { backend: 'local', why: named, halfConfigured: false };
  const half = halfCredentials(settings);
  if (half !== undefined) return { backend: 'workers-ai', why: `${half}; score refuses to start until then`, halfConfigured: true };
  return { backend: 'embedded', why: 'no Cloudflare credentials are set', halfConfigured: false };
}

/** Builds the scorer `chooseBackend` picks. The log says which and why. */
export async function createScorer(settings: JobSettings, log: Logger): Promise<Scorer> {
  // Refused with the settings already (commands/score.ts); again here, so that no caller scores with half of them.
  refuseHalfCredentials(settings);
  const choice = chooseBackend(settings);
  if (choice.backend === 'workers-ai') {
    // Before the client is loaded: under an address-space limit too low for its parser (process/address-space.ts), one line.
    assertWasmMemory();
    // Loaded only when used, like the embedded model: a run that stops early (a held lock) starts in a fraction of the time.
    const { createWorkersAiScorer } = await import('../scoring/workers-ai.js');
    const scorer = createWorkersAiScorer({
      accountId: settings.accountId as string,
      apiToken: settings.apiToken as string,
      ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
      model: settings.model,
      attemptTimeoutMs: settings.timeoutMs,
      connections: settings.concurrency,
      // A 401 names what the operator set (a container's token file, a job file's accountId), not a variable the job never read.
      credentialNames: { token: apiTokenWords(settings), account: accountIdSource(settings) },
    });
    log.info({ backend: 'workers-ai', model: scorer.modelId, baseUrl: settings.baseUrl ?? 'default' }, `scoring with Workers AI (${choice.why})`);
    const unencrypted = plainHttpWarning(settings.baseUrl, settings.apiToken as string);
    if (unencrypted) log.warn(unencrypted);
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
  log.info({ backend: 'embedded', model: scorer.modelId }, `scoring with the embedded offline model (${choice.why})`);
  return scorer;
}
