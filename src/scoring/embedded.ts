/**
 * The embedded offline sentiment model: NB-weighted logistic regressions
 * over hashed word and character n-grams plus a word lexicon, trained on
 * GLUE SST-2 by `npm run train-model` and committed as
 * model/sst2-embedded.bin (see model/MODEL.md). No network, no account.
 */
import { checkModel, type DecodedModel } from '../model/format.js';
import { defaultModelPath } from '../model/locate.js';
import { decodedMembers, positiveLogOdds, sigmoid, type LinearMember } from '../model/predict.js';
import { embeddedModelIdOf, readModelFile } from './embedded-file.js';
import { toScores, type Scorer, type Scores } from './scorer.js';

export interface EmbeddedModel {
  /** e.g. `embedded:sst2-nblr-lex-v5`; changes whenever the model's answers may change. */
  readonly modelId: string;
  /** Absolute path of the file it was loaded from. */
  readonly path: string;
  /** Scores any string (empty, huge, binary, any script) without throwing; texts beyond the model's maxChars are scored on their head and tail. */
  scoreText(text: string): Scores;
}

/**
 * Reads and validates a model file (default: model/sst2-embedded.bin in the
 * package). A missing or damaged file throws a `model_file` error naming it.
 */
export function loadEmbeddedModel(path: string = defaultModelPath()): EmbeddedModel {
  // Checked whole now (a damaged file refused before any row is written); its weights decoded at the first text, so a
  // run that scores none (every row done, an empty export, a refusal after the backend is made) spends no CPU on them.
  const checked = readModelFile(path, checkModel);
  const modelId = embeddedModelIdOf(checked.header);
  let decoded: { model: DecodedModel; members: LinearMember[] } | undefined;
  const decode = () => {
    const model = checked.decode();
    // Once per model, not per text (positiveLogOdds' default made a new array of them for every text scored).
    return { model, members: decodedMembers(model) };
  };
  return {
    modelId,
    path,
    scoreText(text: string): Scores {
      decoded ??= decode();
      // Callers from plain JavaScript may hand over anything; a non-string is scored as its string form.
      const p = sigmoid(positiveLogOdds(decoded.model, typeof text === 'string' ? text : String(text), decoded.members));
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
