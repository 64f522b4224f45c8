/**
 * The embedded offline sentiment model: NB-weighted logistic regressions
 * over hashed word and character n-grams plus a word lexicon, trained on
 * GLUE SST-2 by `npm run train-model` and committed as
 * model/sst2-embedded.bin (see model/MODEL.md). No network, no account.
 */
import { readFileSync } from 'node:fs';
import { SentimentBatchError } from '../errors.js';
import { decodeModel, type DecodedModel } from '../model/format.js';
import { defaultModelPath } from '../model/locate.js';
import { decodedMembers, positiveLogOdds, sigmoid } from '../model/predict.js';
import { toScores, type Scorer, type Scores } from './scorer.js';

export interface EmbeddedModel {
  /** e.g. `embedded:sst2-nblr-lex-v5`; changes whenever the model's answers may change. */
  readonly modelId: string;
  /** Absolute path of the file it was loaded from. */
  readonly path: string;
  /** Scores any string (empty, huge, binary, any script) without throwing; texts beyond the model's maxChars are scored on their head and tail. */
  scoreText(text: string): Scores;
}

const REMEDY = 'Run `npm run train-model` to rebuild it, or reinstall sentiment-batch to restore the shipped file.';

/**
 * Reads and validates a model file (default: model/sst2-embedded.bin in the
 * package). A missing or damaged file throws a `model_file` error naming it.
 */
export function loadEmbeddedModel(path: string = defaultModelPath()): EmbeddedModel {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
    throw new SentimentBatchError('model_file', `cannot read the embedded model file ${path}: ${reason}. ${REMEDY}`, { cause: error });
  }
  let model: DecodedModel;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    throw new SentimentBatchError('model_file', `the embedded model file ${path} is not usable: ${(error as Error).message}. ${REMEDY}`, {
      cause: error,
    });
  }
  const modelId = `embedded:sst2-${model.header.name}-v${model.header.modelVersion}`;
  // Once per model, not per text (positiveLogOdds' default made a new array of them for every text scored).
  const members = decodedMembers(model);
  return {
    modelId,
    path,
    scoreText(text: string): Scores {
      // Callers from plain JavaScript may hand over anything; a non-string is scored as its string form.
      const p = sigmoid(positiveLogOdds(model, typeof text === 'string' ? text : String(text), members));
      return toScores(p, 1 - p);
    },
  };
}

/**
 * The embedded model behind the Scorer interface (`remote: false`). It
 * answers at once, so `score`'s abort signal has nothing to interrupt.
 */
export function createEmbeddedScorer(path?: string): Scorer {
  const model = loadEmbeddedModel(path);
  return {
    modelId: model.modelId,
    remote: false,
    score: (text: string) => Promise.resolve(model.scoreText(text)),
    scoreSync: (text: string) => model.scoreText(text),
    close: () => Promise.resolve(),
  };
}
