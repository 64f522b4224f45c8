/**
 * NBSVM's interpolation (Wang and Manning 2012) and the variants of its naive-Bayes part studied after
 * version 5 (model/MODEL.md, "After version 5: why the interpolation leans NEGATIVE"). None is in
 * DEFAULT_MEMBERS: the shipped model uses the plain NB-weighted fit.
 *
 * The fitted weights are w_j * r_j (w fitted by L-BFGS in the NB-scaled space, r the NB log-count ratios).
 * The interpolation makes them (1 - beta) * mean|w| * r~_j + beta * w_j * r_j: the first term is the
 * naive-Bayes part. NBSVM takes r~ = r. SST-2's lines are every phrase of a parse tree, so one film
 * sentence's n-grams are counted once per enclosing phrase (about 5 times on average), and an n-gram of a
 * single negative sentence gets a ratio as confident as a real sentiment word's; the variants form r~ from
 * evidence that is not repeated that way.
 */
import { lexiconFeatureIds, type FeatureConfig } from './features.js';
import type { Valences } from './lexicon.js';
import type { SparseRows } from './logreg.js';
import type { Sst2Example } from './sst2.js';
import { tokenize } from './tokenize.js';

/** How the naive-Bayes part's ratios r~ are formed; all absent = NBSVM's own (r~ = r). */
export interface NbPartSpec {
  /** r~_j = r_j only for features found in at least this many training full sentences, else 0. */
  minSentences?: number;
  /** r~ counted on the training full sentences alone, each once with its own label (features in none: 0). */
  sentenceCounts?: boolean;
  /** r~ counted on the lines as r is, with this smoothing instead of the member's nbAlpha. */
  alpha?: number;
  /**
   * r~_j = 0 unless feature j contains a lexicon word (features.ts, lexiconFeatureIds): first-person narrative
   * ("i", "were", "you were"), one-sided in SST-2's counts, then carries no naive-Bayes part. Applied after the others.
   */
  lexiconOnly?: boolean;
}

/**
 * NBSVM's smoothed log-count ratio of each feature between positive and negative rows, counting only the
 * rows where `include` is true (all when absent).
 */
export function naiveBayesRatios(rows: SparseRows, labels: Uint8Array, alpha: number, include?: Uint8Array): Float64Array {
  const positive = new Float64Array(rows.dims).fill(alpha);
  const negative = new Float64Array(rows.dims).fill(alpha);
  for (let i = 0; i < labels.length; i++) {
    if (include && include[i] !== 1) continue;
    const counts = labels[i] === 1 ? positive : negative;
    for (let k = rows.offsets[i] as number; k < (rows.offsets[i + 1] as number); k++) counts[rows.indices[k] as number]! += 1;
  }
  const positiveTotal = positive.reduce((a, b) => a + b, 0);
  const negativeTotal = negative.reduce((a, b) => a + b, 0);
  return positive.map((p, j) => Math.log(p / positiveTotal) - Math.log((negative[j] as number) / negativeTotal));
}

/** In how many rows with `include` set each feature occurs. */
function rowCounts(rows: SparseRows, include: Uint8Array): Uint32Array {
  const counts = new Uint32Array(rows.dims);
  for (let i = 0; i < include.length; i++) {
    if (include[i] !== 1) continue;
    for (let k = rows.offsets[i] as number; k < (rows.offsets[i + 1] as number); k++) counts[rows.indices[k] as number]! += 1;
  }
  return counts;
}

/**
 * Which features (dense indices of `buckets`) contain a lexicon word in some of `examples`: 1, else 0. A bucket that
 * two features share (a hash collision) is marked when either does.
 */
export function lexiconFeatureMask(examples: readonly Sst2Example[], buckets: Int32Array, features: FeatureConfig, valences: Valences): Uint8Array {
  const index = new Map<number, number>();
  buckets.forEach((bucket, i) => index.set(bucket, i));
  const mask = new Uint8Array(buckets.length);
  for (const example of examples) {
    for (const id of lexiconFeatureIds(tokenize(example.text), features, valences)) {
      const i = index.get(id);
      if (i !== undefined) mask[i] = 1;
    }
  }
  return mask;
}

/**
 * The naive-Bayes part's ratios r~ for `spec`; `isSentence` marks the rows that are full sentences, `lexiconFeatures`
 * (needed with spec.lexiconOnly) the features that contain a lexicon word.
 */
export function naiveBayesPartRatios(
  rows: SparseRows,
  labels: Uint8Array,
  ratios: Float64Array,
  isSentence: Uint8Array,
  spec: NbPartSpec,
  lexiconFeatures?: Uint8Array,
): Float64Array {
  let out = ratios;
  if (spec.alpha !== undefined) out = naiveBayesRatios(rows, labels, spec.alpha);
  if (spec.sentenceCounts) {
    const inSentences = rowCounts(rows, isSentence);
    const sentenceRatios = naiveBayesRatios(rows, labels, spec.alpha ?? 1, isSentence);
    out = sentenceRatios.map((r, j) => ((inSentences[j] as number) > 0 ? r : 0));
  }
  if (spec.minSentences !== undefined) {
    const inSentences = rowCounts(rows, isSentence);
    const min = spec.minSentences;
    out = out.map((r, j) => ((inSentences[j] as number) >= min ? r : 0));
  }
  if (spec.lexiconOnly) {
    if (!lexiconFeatures) throw new Error('nbPart.lexiconOnly needs the lexicon feature mask');
    out = out.map((r, j) => (lexiconFeatures[j] === 1 ? r : 0));
  }
  return out;
}

/**
 * In place: `weights` are w * r (r = the NB ratios); they become (1 - beta) * mean|w| * r~ + beta * w * r,
 * r~ = `partRatios` (NBSVM: r itself). A feature with r = 0 gets no gradient, so its w stayed 0.
 */
export function interpolateTowardsNaiveBayes(weights: Float64Array, ratios: Float64Array, beta: number, partRatios?: Float64Array): void {
  const raw = weights.map((v, j) => ((ratios[j] as number) === 0 ? 0 : v / (ratios[j] as number)));
  const meanMagnitude = raw.reduce((s, v) => s + Math.abs(v), 0) / Math.max(1, raw.length);
  for (let j = 0; j < weights.length; j++) {
    const r = ratios[j] as number;
    weights[j] = partRatios ? (1 - beta) * meanMagnitude * (partRatios[j] as number) + beta * (raw[j] as number) * r : ((1 - beta) * meanMagnitude + beta * (raw[j] as number)) * r;
  }
}
