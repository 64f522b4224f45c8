/**
 * Scoring with a decoded model: every member (a linear model over its own
 * hashed features) gives a margin, and the calibrated combiner turns the
 * margins into the log-odds of POSITIVE. The model is trained and calibrated
 * on single sentences, so a multi-sentence review is scored sentence by
 * sentence and the log-odds averaged: a bag of all its n-grams would let
 * many mildly-weighted narrative words outvote the verdict.
 */
import { featureIds, type FeatureConfig } from './features.js';
import type { DecodedModel } from './format.js';
import { boundText, tokenizeSentences } from './tokenize.js';

/** Margin of one linear member: bias + (sum of the weights of the text's features) / sqrt(feature count). */
export function memberMargin(tokens: readonly string[], features: FeatureConfig, weights: Float32Array, bias: number): number {
  const ids = featureIds(tokens, features);
  if (ids.length === 0) return bias;
  let sum = 0;
  for (let k = 0; k < ids.length; k++) sum += weights[ids[k] as number] as number;
  return bias + sum / Math.sqrt(ids.length);
}

/** A member's features, weights and bias, wherever they come from (a decoded file or a fit in progress). */
export interface LinearMember {
  features: FeatureConfig;
  weights: Float32Array;
  bias: number;
}

/** Each member's margin averaged over the sentences of `text` (what the combiner weighs). */
export function meanMemberMargins(members: readonly LinearMember[], text: string, maxChars: number): number[] {
  const sentences = tokenizeSentences(boundText(text, maxChars));
  return members.map((member) => {
    let sum = 0;
    for (const tokens of sentences) sum += memberMargin(tokens, member.features, member.weights, member.bias);
    return sum / sentences.length;
  });
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Calibrated log-odds of one sentence's tokens. */
export function sentenceLogOdds(model: DecodedModel, tokens: readonly string[]): number {
  const { combiner, members } = model.header;
  let z = combiner.bias;
  for (let m = 0; m < members.length; m++) {
    const member = members[m] as (typeof members)[number];
    z += (combiner.weights[m] as number) * memberMargin(tokens, member.features, model.weights[m] as Float32Array, member.bias);
  }
  return z;
}

/** Calibrated log-odds that `text` is positive: the mean over its sentences. Any string is accepted. */
export function positiveLogOdds(model: DecodedModel, text: string): number {
  const sentences = tokenizeSentences(boundText(text, model.header.maxChars));
  let sum = 0;
  for (const tokens of sentences) sum += sentenceLogOdds(model, tokens);
  return sum / sentences.length;
}
