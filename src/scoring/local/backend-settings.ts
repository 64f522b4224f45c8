/** From the job's settings to a running local scorer: which folder, which device, how many threads. */
import type { JobSettings } from '../../config/options.js';
import { DEFAULT_REPO, DEFAULT_REVISION, readHubEnv } from '../../hub/hub-env.js';
import { SentimentBatchError } from '../../errors.js';
import { findSnapshot } from '../../hub/cache-layout.js';
import type { Logger } from '../../log.js';
import { createLocalScorer, type LocalScorer } from './local-scorer.js';
import { planThreads } from './threads.js';

/** A model folder for --backend local when neither --model-dir nor the job file names one. */
export const MODEL_DIR_ENV = 'SENTIMENT_BATCH_MODEL_DIR';

export async function createLocalBackend(settings: JobSettings, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<LocalScorer> {
  const { modelDir, origin } = locateModel(settings, env);
  const scorer = await createLocalScorer({
    modelDir,
    origin,
    device: settings.device ?? 'cpu',
    threads: planThreads(settings.threads),
    batch: settings.localBatch,
    log,
  });
  log.info({ backend: 'local', model: scorer.modelId }, 'scoring with the local model (--backend local)');
  return scorer;
}

function locateModel(settings: JobSettings, env: NodeJS.ProcessEnv): { modelDir: string; origin: 'flag' | 'cache' } {
  // The environment variable is read here, not as a setting: it names the machine's model (an image's), and
  // is no job setting the other backends should warn about (job/ignored-settings.ts).
  const given = settings.modelDir ?? (env[MODEL_DIR_ENV] || undefined);
  if (given) return { modelDir: given, origin: 'flag' };
  const { cacheDir } = readHubEnv(env);
  const found = findSnapshot(cacheDir, DEFAULT_REPO, DEFAULT_REVISION);
  if (!found) {
    throw new SentimentBatchError(
      'model_file',
      `no local model in the Hub cache ${cacheDir} (${DEFAULT_REPO}@${DEFAULT_REVISION}): run \`sentiment-batch model pull\` once (it needs the internet), or point --model-dir at a copy`,
    );
  }
  return { modelDir: found, origin: 'cache' };
}
