/**
 * The model `estimate` names: the one the same command's run would score with, as `score` names it in its log and
 * summary, and the key its answers have in the result cache (which texts count as already cached depends on it).
 */
import type { JobSettings } from '../config/options.js';
import { settingToChange } from '../config/setting-names.js';
import { SentimentBatchError } from '../errors.js';
import { answerKeyOf } from '../scoring/scorer.js';
import { customEndpoint } from '../scoring/workers-ai-defaults.js';
import type { BackendChoice } from './backend.js';

export interface EstimatedModel {
  /** As the run's summary names it: `@cf/…` for Workers AI, `embedded:…`, `local:…`. */
  model: string;
  /** The result cache's key for the run's answers (answerKeyOf); none for the embedded model, whose run ignores --cache. */
  cacheKey?: string;
  /** Why a local run would not start (no model folder found): said, and the estimate goes on, as for half the credentials. */
  wouldStop?: string;
}

export async function estimatedModel(settings: JobSettings, choice: Pick<BackendChoice, 'backend'>): Promise<EstimatedModel> {
  if (choice.backend === 'workers-ai') {
    return { model: settings.model, cacheKey: workersAiCacheKey(settings) };
  }
  if (choice.backend === 'embedded') {
    // Loaded only here: a Workers AI estimate never reads the model file (about 1 MB). Its header names it: the
    // weights are not decoded (~30 ms of CPU), nor the scoring code loaded.
    const { embeddedModelId } = await import('../scoring/embedded-file.js');
    return { model: embeddedModelId() };
  }
  // The folder's files are read, not run: no ONNX Runtime is loaded.
  const { locateModel } = await import('../scoring/local/backend-settings.js');
  const { openModelFolder } = await import('../scoring/local/model-folder.js');
  try {
    const { modelDir, origin } = locateModel(settings, process.env);
    const { modelId } = await openModelFolder(modelDir, origin, settingToChange(settings, 'modelDir', '--model-dir'));
    return { model: modelId, cacheKey: modelId };
  } catch (error) {
    if (!(error instanceof SentimentBatchError && error.code === 'model_file')) throw error;
    return { model: 'local (no usable model folder)', wouldStop: error.message };
  }
}

/** The cache's key for Workers AI's answers: the run's with that backend, and the comparison's with the others. */
export function workersAiCacheKey(settings: Pick<JobSettings, 'model' | 'baseUrl'>): string {
  return answerKeyOf({ modelId: `workers-ai:${settings.model}`, endpoint: customEndpoint(settings.baseUrl) });
}
