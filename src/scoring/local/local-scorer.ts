/**
 * `--backend local`: DistilBERT SST-2 (the model behind Workers AI's
 * distilbert-sst-2-int8) run on this machine by ONNX Runtime. Texts arrive
 * already fitted to the 512-token window (the pipeline applies --long-text as
 * for Workers AI); they are tokenized with the project's WordPiece tokenizer,
 * batched by length and scored in worker threads.
 */
import path from 'node:path';
import { SentimentBatchError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { loadTokenizer, MODEL_WINDOW_TOKENS, SEP_ID, type DistilbertTokenizer } from '../../tokenizer/index.js';
import { toScores, type Scorer, type Scores } from '../scorer.js';
import { Batcher } from './batcher.js';
import { checkDevice, type DeviceWords } from './device.js';
import { openModelFolder, type ModelFolder } from './model-folder.js';
import { checkVocabularyReach, checkWindowFits } from './reach-probe.js';
import type { ThreadPlan } from './threads.js';
import { WorkerPool } from './worker-pool.js';

export interface LocalScorerOptions {
  modelDir: string;
  /** Where the folder came from, for the message when it is missing. */
  origin: 'flag' | 'cache';
  /** How the advice for a missing cached model names the folder setting: `--model-dir` (default), or `"modelDir" in the job file`. */
  modelDirSetting?: string;
  device: 'cpu' | 'cuda';
  /** How a refused --device cuda names the setting (default: the flag). */
  deviceWords?: DeviceWords;
  threads: ThreadPlan;
  /** Texts per batch; undefined: batches only if the model's answers do not depend on them. */
  batch: number | undefined;
  log: Logger;
  tokenizer?: DistilbertTokenizer;
}

export interface LocalScorer extends Scorer {
  /** Texts per inference call in use, and whether the model's answers were found independent of batching. */
  readonly batching: { texts: number; independent: boolean };
  /** Scores one text's token ids (the [CLS] … [SEP] ids the model sees). */
  scoreIds(ids: number[]): Promise<Scores>;
}

const DEFAULT_BATCH = 32;
// 32 texts of 256 tokens: long texts go 16 at a time, keeping a batch's activations a few tens of MB.
const MAX_BATCH_TOKENS = 8192;

export async function createLocalScorer(options: LocalScorerOptions): Promise<LocalScorer> {
  checkDevice(options.device, options.deviceWords);
  const folder = await openModelFolder(options.modelDir, options.origin, options.modelDirSetting);
  checkWindowFits(folder);
  const tokenizer = options.tokenizer ?? loadTokenizer();
  const pool = await WorkerPool.start(
    options.threads.workers,
    { onnxPath: folder.onnxPath, intraOpThreads: options.threads.intraOpThreads, device: options.device },
    damagedModelRemedy(options.origin),
  );
  let independent: boolean;
  try {
    // First: the batching probe's own texts fail on a model of a smaller vocabulary too, said as a bug.
    await checkVocabularyReach(pool, folder.onnxPath);
    const probe = await answersIndependentOfBatch(pool);
    checkLabelsFit(folder, probe.labels);
    independent = probe.independent;
  } catch (error) {
    await pool.close();
    throw error;
  }
  const texts = options.batch ?? (independent ? DEFAULT_BATCH : 1);
  if (!independent && texts > 1) {
    options.log.warn({ batch: texts }, "this model's answers depend on which texts share a batch (dynamic int8 quantization): a resumed run may differ from an uninterrupted one in the last digits");
  } else if (!independent) {
    options.log.info("this model's answers depend on which texts share a batch (dynamic int8 quantization): scoring one text per call so every answer is reproducible");
  }
  const batcher = new Batcher(pool, { maxTexts: texts, maxTokens: Math.max(MAX_BATCH_TOKENS, MODEL_WINDOW_TOKENS) });
  const scoreIds = async (ids: number[]): Promise<Scores> => toLabelled(await batcher.submit(ids), folder);
  options.log.info({ model: folder.modelId, dir: folder.dir, ...options.threads, batch: texts }, 'local model loaded');
  if (folder.untrained !== undefined) {
    // Once, at start-up, when the model has loaded (a runtime that cannot start says only that): a test model's random
    // weights give every row a label, and nothing else says they are noise.
    options.log.warn(
      { dir: folder.dir },
      `the model in ${folder.dir} is not a trained model, its config.json says ('${folder.untrained}'): its labels are noise; ` +
        `for real scores, point ${options.modelDirSetting ?? '--model-dir'} at a trained model (\`sentiment-batch model pull\` fetches one)`,
    );
  }
  return {
    modelId: folder.modelId,
    remote: false,
    usesTokenWindow: true,
    batching: { texts, independent },
    scoreIds,
    score: (text: string) => scoreIds(fitIds(tokenizer.encode(text))),
    close: () => pool.close(),
  };
}

/**
 * A model file ONNX Runtime refuses (damaged since its pull, cut short, edited) says how to get a good one: a pull
 * checks the files already there against the Hub's hashes and fetches a damaged one again.
 */
function damagedModelRemedy(origin: 'flag' | 'cache'): string {
  return origin === 'cache'
    ? 'if the file is damaged, run `sentiment-batch model pull` again: it checks each file against the Hub and fetches a damaged one afresh'
    : 'if the file is damaged, copy a good model folder there again (`sentiment-batch model pull --model-dir DIR` fetches one)';
}

// The pipeline hands over texts fitted to the window; a direct caller may not.
function fitIds(ids: number[]): number[] {
  return ids.length <= MODEL_WINDOW_TOKENS ? ids : [...ids.slice(0, MODEL_WINDOW_TOKENS - 1), SEP_ID];
}

function toLabelled(logits: Float32Array, folder: ModelFolder): Scores {
  const positive = logits[folder.positiveIndex] as number;
  const negative = logits[folder.negativeIndex] as number;
  // Softmax over the two logits, in double precision.
  const top = Math.max(positive, negative);
  const p = Math.exp(positive - top);
  const n = Math.exp(negative - top);
  return toScores(p / (p + n), n / (p + n));
}

/**
 * Scores a probe text alone and padded beside a longer one: equal bits mean
 * each text's answer depends on nothing else in its batch (true of float
 * models; dynamic int8 quantization computes one scale per batch, so not there).
 */
async function answersIndependentOfBatch(pool: WorkerPool): Promise<{ independent: boolean; labels: number }> {
  const probe = [101, 2023, 3185, 2001, 2200, 2204, 102];
  const other = [101, 1045, 2134, 1005, 1056, 2066, 2009, 2012, 2035, 1010, 2025, 2130, 1996, 4569, 102];
  const alone = await pool.run(1, probe.length, BigInt64Array.from(probe, BigInt), BigInt64Array.from(probe, () => 1n));
  const sequence = other.length;
  const ids = new BigInt64Array(2 * sequence);
  const mask = new BigInt64Array(2 * sequence);
  probe.forEach((id, i) => ((ids[i] = BigInt(id)), (mask[i] = 1n)));
  other.forEach((id, i) => ((ids[sequence + i] = BigInt(id)), (mask[sequence + i] = 1n)));
  const batched = await pool.run(2, sequence, ids, mask);
  return { independent: alone.data.every((value, i) => Object.is(value, batched.data[i])), labels: alone.labels };
}

/**
 * config.json's id2label must name the model's two outputs. One naming an index the model has not (labels numbered
 * from 1, a third label) read a missing logit: every row scored 0.5 / 0.5, labelled POSITIVE, exit 0.
 */
function checkLabelsFit(folder: ModelFolder, labels: number): void {
  if (labels === 2 && Math.max(folder.positiveIndex, folder.negativeIndex) < 2) return;
  throw new SentimentBatchError(
    'model_file',
    `${path.join(folder.dir, 'config.json')} names POSITIVE at index ${folder.positiveIndex} and NEGATIVE at index ${folder.negativeIndex} of the model's output, ` +
      `which has ${labels} ${labels === 1 ? 'value' : 'values'} per text: --backend local runs a two-label SST-2 classifier, whose id2label names indices 0 and 1; ` +
      'restore the config.json that came with the model (`sentiment-batch model pull` fetches it), or fix id2label',
  );
}
