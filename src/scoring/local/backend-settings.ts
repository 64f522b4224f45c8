/** From the job's settings to a running local scorer: which folder, which device, how many threads. */
import type { JobSettings } from '../../config/options.js';
import { givenNames, jobFileChange, settingName, settingToChange } from '../../config/setting-names.js';
import { DEFAULT_REPO, DEFAULT_REVISION, readHubEnv } from '../../hub/hub-env.js';
import { SentimentBatchError } from '../../errors.js';
import { findSnapshot } from '../../hub/cache-layout.js';
import { listCachedModels } from '../../hub/list.js';
import { resumeAdvice, unfinishedPull } from '../../hub/resume-advice.js';
import type { Logger } from '../../log.js';
import { createLocalScorer, type LocalScorer } from './local-scorer.js';
import { planThreads, usableCores } from './threads.js';

/** A model folder for --backend local when neither --model-dir nor the job file names one. */
const MODEL_DIR_ENV = 'SENTIMENT_BATCH_MODEL_DIR';

export async function createLocalBackend(settings: JobSettings, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<LocalScorer> {
  const { modelDir, origin } = locateModel(settings, env);
  const { cores, warning } = threadsFor(settings);
  if (warning) log.warn(warning);
  const scorer = await createLocalScorer({
    modelDir,
    origin,
    modelDirSetting: settingToChange(settings, 'modelDir', '--model-dir'),
    device: settings.device ?? 'cpu',
    // A job file's "device": its key, and the advice sets it (a flag would mend one run).
    deviceWords: { given: settingName(settings, 'device', '--device', 'cuda'), useCpu: jobFileChange(settings, 'device')?.('cpu') ?? 'use --device cpu' },
    threads: planThreads(cores),
    batch: settings.localBatch,
    log,
  });
  log.info({ backend: 'local', model: scorer.modelId }, 'scoring with the local model (--backend local)');
  return scorer;
}

/** The cores --threads (or "threads" in the job file) may use here, and the warning line when it asked for more than this machine has. */
export function threadsFor(settings: Pick<JobSettings, 'threads' | 'jobFile'>, available?: number): { cores: number; warning?: string } {
  const { cores, capped } = usableCores(settings.threads, available);
  if (!capped) return { cores };
  const named = givenNames(settings, ['threads']) ?? '--threads';
  const warning =
    `${named} asks for ${settings.threads} threads, more than the ${cores} ${cores === 1 ? 'core' : 'cores'} this machine has: using ${cores} ` +
    `(each thread loads its own copy of the model, 115–229 MB more per thread as measured; give at most ${cores} to silence this)`;
  return { cores, warning };
}

/** The folder --backend local scores with, and where it was found; `estimate` names its model from it too. */
export function locateModel(settings: JobSettings, env: NodeJS.ProcessEnv): { modelDir: string; origin: 'flag' | 'cache' } {
  // The environment variable is read here, not as a setting: it names the machine's model (an image's), and
  // is no job setting the other backends should warn about (job/ignored-settings.ts).
  const given = settings.modelDir ?? (env[MODEL_DIR_ENV] || undefined);
  if (given) return { modelDir: given, origin: 'flag' };
  const { cacheDir } = readHubEnv(env);
  const found = findSnapshot(cacheDir, DEFAULT_REPO, DEFAULT_REVISION);
  if (!found) {
    const models = cachedModels(cacheDir);
    // A model pulled with --repo or a pinned --revision is in the cache, but not where this looks: say where it is.
    const other = models.find((model) => model.complete);
    // In a job-file run, the file's key: a flag would find the model for one run, and the file's next run not.
    const use = other && (jobFileChange(settings, 'modelDir')?.(other.folder) ?? `pass --model-dir ${other.folder}`);
    const elsewhere = other ? ` (the cache holds ${other.repo} at commit ${other.commit}: ${use} to use it)` : '';
    const pointAt = `point ${settingToChange(settings, 'modelDir', '--model-dir')} at a copy`;
    const unfinished = unfinishedPull(models, DEFAULT_REPO);
    // 'run model pull once' said nothing of the pull made, nor that running it again resumes it rather than starting over.
    const pull = unfinished
      ? `a model pull into it was left unfinished (${unfinished.folder} holds ${(unfinished.bytes / 1e6).toFixed(1)} MB of it, missing ${unfinished.missing.join(', ')}): ` +
        `${resumeAdvice(unfinished, 'resumes it from there', '; it needs the internet')}, or ${pointAt}`
      : `run \`sentiment-batch model pull\` once (it needs the internet), or ${pointAt}`;
    throw new SentimentBatchError('model_file', `no local model in the Hub cache ${cacheDir} (${DEFAULT_REPO}@${DEFAULT_REVISION})${elsewhere}: ${pull}`);
  }
  return { modelDir: found, origin: 'cache' };
}

/** The models the cache holds, if it can be read at all (a cache path that is a file is no place to look). */
function cachedModels(cacheDir: string): ReturnType<typeof listCachedModels> {
  try {
    return listCachedModels(cacheDir);
  } catch {
    return [];
  }
}
