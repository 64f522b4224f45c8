import type { JobSettings } from '../config/options.js';
import { ConfigError } from '../errors.js';
import { readCheckpoint } from '../state/checkpoint.js';
import type { InputMatch } from './same-input.js';
import { chooseBackend, type BackendChoice } from './backend.js';
import { jobFileChange, settingName } from '../config/setting-names.js';
import { typedPath } from '../wording/typed-path.js';

type Backend = BackendChoice['backend'];

const NAMES: Record<Backend, string> = { 'workers-ai': 'Workers AI', embedded: 'the embedded model', local: 'the local ONNX model' };
const JOBS: Record<Backend, string> = { 'workers-ai': 'a Workers AI job', embedded: 'an embedded-model job', local: 'a local-model job' };

/**
 * `--backend auto` follows the credentials, so a job interrupted with Workers
 * AI and run again where the token is missing would otherwise start over with
 * the embedded model ("settings differ") and score every row with another
 * model, exit 0. A job's backend changes only when asked for: an explicit
 * --backend, or --restart; or when a completed job's input has changed (a new
 * export is a new job).
 */
export async function refuseAutomaticSwitch(settings: JobSettings, checkpointPath: string, input: InputMatch): Promise<void> {
  if (settings.backend !== 'auto' || settings.restart) return;
  const loaded = await readCheckpoint(checkpointPath);
  if (loaded.kind !== 'ok') return;
  const before = backendOfModel(loaded.checkpoint.settings.modelId);
  const choice = chooseBackend(settings);
  if (before === undefined || before === choice.backend) return;
  // A completed job whose input has since changed is over: the new export is a new job, on any backend. A copy of the
  // input made without its file times (or gzipped) is not a change: the job's bytes are the same (same-input.ts).
  if (loaded.checkpoint.completed && !(await input.same(loaded.checkpoint))) return;
  const job = loaded.checkpoint.completed ? 'the completed job' : 'the job';
  throw new ConfigError(
    `the checkpoint ${typedPath(checkpointPath, settings.output)} is ${JOBS[before]}, but ${settingName(settings, 'backend', '--backend', 'auto')} now picks ${NAMES[choice.backend]} (${choice.why}): ` +
      `${howToKeep(before, settings)} to keep ${job}, or ${passBackend(settings, choice.backend)} to start over with ${NAMES[choice.backend]}`,
  );
}

/** The backend a checkpoint's model id names (`workers-ai:@cf/...`, `embedded:...`, `local:...`). */
export function backendOfModel(modelId: string): Backend | undefined {
  const prefix = modelId.slice(0, modelId.indexOf(':'));
  return prefix === 'workers-ai' || prefix === 'embedded' || prefix === 'local' ? prefix : undefined;
}

function howToKeep(backend: Backend, settings: JobSettings): string {
  if (backend !== 'workers-ai') return passBackend(settings, backend);
  const missing = [!settings.accountId && 'CLOUDFLARE_ACCOUNT_ID', !settings.apiToken && 'CLOUDFLARE_API_TOKEN'].filter(Boolean).join(' and ');
  return `set ${missing} (or CLOUDFLARE_API_TOKEN_FILE)`;
}

/** `pass --backend embedded`, or the job file's key to set or add (a flag would choose for one run; the file runs again). */
function passBackend(settings: JobSettings, backend: Backend): string {
  return jobFileChange(settings, 'backend')?.(backend) ?? `pass --backend ${backend}`;
}
