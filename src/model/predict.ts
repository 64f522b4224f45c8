/**
 * Scoring with a decoded model. Each sentence gets calibrated log-odds from
 * the combiner over its inputs: every member's margin (a linear model over
 * its own hashed features) and the lexicon's valence sums. A review is
 * scored sentence by sentence and the log-odds averaged over the sentences
 * that carry sentiment evidence (a lexicon word): "We arrived on Tuesday." says nothing and
 * must not pull a clear verdict towards 0.5 (or towards the film critics'
 * slightly negative view of narrative text).
 */
import { FeatureIdBuffer } from './feature-id-buffer.js';
import { collectUnsortedIds, prepareTokens, type FeatureConfig } from './features.js';
import type { DecodedModel } from './format.js';
import { lexiconEvidenceOf, lexiconInputs, type Valences } from './lexicon.js';
import { MemberSum } from './member-sum.js';
import { boundText, tokenizeSentences } from './tokenize.js';
import type { WeightTable } from './weight-table.js';

/** The sentence's tokens as prepared once for every member, then each member's ids (scoring is synchronous): no array allocated per sentence. */
const scratch = new FeatureIdBuffer();
/** Each member's sum over its distinct ids (synchronous too). */
const summer = new MemberSum();

/**
 * Margin of one linear member over the tokens prepared in `scratch`: bias + (sum of the weights of the text's
 * distinct features) / sqrt(their count). The sum is the one in ascending id order, to the bit, as ever: another
 * order could round it differently; member-sum.ts gets it without sorting the ids, where no addition rounds.
 */
function memberMargin(tokens: readonly string[], member: LinearMember): number {
  collectUnsortedIds(tokens, member.features, scratch);
  if (scratch.length === 0) return member.bias;
  const sum = summer.sum(scratch, member.weights);
  return member.bias + sum / Math.sqrt(summer.distinct);
}

/** A member's features, weights and bias, wherever they come from (a decoded file or a fit in progress). */
export interface LinearMember {
  features: FeatureConfig;
  weights: WeightTable;
  bias: number;
}

/**
 * The combiner's inputs for one sentence, and how many lexicon words it has. The tokens are hashed and looked up in
 * the lexicon once (prepareTokens), for every member and the lexicon's sums alike.
 */
function sentenceInputs(members: readonly LinearMember[], valences: Valences, tokens: readonly string[]): { inputs: number[]; lexiconHits: number } {
  prepareTokens(tokens, valences, scratch);
  const evidence = lexiconEvidenceOf(tokens, scratch.valence, valences);
  const inputs = members.map((member) => memberMargin(tokens, member));
  inputs.push(...lexiconInputs(evidence));
  return { inputs, lexiconHits: evidence.hits };
}

/** The combiner's inputs averaged over the sentences of `text` (what the combiner is fitted on). */
export function meanInputs(members: readonly LinearMember[], valences: Valences, text: string, maxChars: number): number[] {
  const sentences = tokenizeSentences(boundText(text, maxChars));
  let sum: number[] = [];
  for (const tokens of sentences) {
    const { inputs } = sentenceInputs(members, valences, tokens);
    sum = sum.length === 0 ? inputs : sum.map((s, k) => s + (inputs[k] as number));
  }
  return sum.map((s) => s / sentences.length);
}

/** The logistic function, without overflow for any z: the one training (logreg.ts, calibrate.ts) and scoring use. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Members of a decoded model with their weights. */
export function decodedMembers(model: DecodedModel): LinearMember[] {
  return model.header.members.map((m, k) => ({ features: m.features, bias: m.bias, weights: model.weights[k] as WeightTable }));
}

/** What sentenceLogOdds found in its sentence: one object, refilled per sentence (scoring is synchronous). */
const sentence = { logOdds: 0, evidence: false };

/**
 * Calibrated log-odds of one sentence's tokens, and whether the sentence carries sentiment evidence (a lexicon word),
 * into `sentence`. The combiner's inputs (sentenceInputs) weighted and summed as they come, in the same order, with no
 * array of them nor object per sentence: the sum, and so the score, is the same to the bit.
 */
function sentenceLogOdds(model: DecodedModel, members: readonly LinearMember[], tokens: readonly string[]): void {
  const { combiner } = model.header;
  const weights = combiner.weights;
  prepareTokens(tokens, model.valences, scratch);
  const evidence = lexiconEvidenceOf(tokens, scratch.valence, model.valences);
  let z = combiner.bias;
  const count = members.length;
  for (let k = 0; k < count; k++) z += (weights[k] as number) * memberMargin(tokens, members[k] as LinearMember);
  z += (weights[count] as number) * Math.log1p(evidence.positive);
  z += (weights[count + 1] as number) * Math.log1p(evidence.negative);
  sentence.logOdds = z;
  sentence.evidence = evidence.hits > 0;
}

/**
 * Calibrated log-odds that `text` is positive: the mean over its sentences
 * with sentiment evidence (or over all of them when none has any), made
 * more confident the more such sentences agree: a review of twelve glowing
 * sentences is surer than one sentence is. Any string is accepted. `members`: decodedMembers(model), which a caller
 * scoring many texts makes once (embedded.ts), not once per text.
 */
export function positiveLogOdds(model: DecodedModel, text: string, members: readonly LinearMember[] = decodedMembers(model)): number {
  const sentences = tokenizeSentences(boundText(text, model.header.maxChars));
  let all = 0;
  let withEvidence = 0;
  let evidenceCount = 0;
  for (const tokens of sentences) {
    sentenceLogOdds(model, members, tokens);
    const logOdds = sentence.logOdds;
    all += logOdds;
    if (sentence.evidence) {
      withEvidence += logOdds;
      evidenceCount++;
    }
  }
  if (evidenceCount === 0) return all / sentences.length;
  return (withEvidence / evidenceCount) * (1 + model.header.aggregation.lengthBoost * Math.log(evidenceCount));
}
