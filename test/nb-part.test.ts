import { describe, expect, it } from 'vitest';
import { featureIds, lexiconFeatureIds } from '../src/model/features.js';
import type { Valences } from '../src/model/lexicon.js';
import type { NbPartSpec } from '../src/model/nb-interpolation.js';
import type { Sst2Example } from '../src/model/sst2.js';
import { tokenize } from '../src/model/tokenize.js';
import { fitMember, type MemberSpec } from '../src/model/train.js';

// Six lines; the first three are "full sentences" (the rest stand for phrases of them): "good" is in two
// positive sentences, "bad" in one negative sentence and two negative phrases, "dull" only in phrases.
const examples: Sst2Example[] = [
  { text: 'a good film', label: 1 },
  { text: 'good and great', label: 1 },
  { text: 'a bad film', label: 0 },
  { text: 'bad', label: 0 },
  { text: 'bad and dull', label: 0 },
  { text: 'dull', label: 0 },
];
const sentences = new Set(examples.slice(0, 3).map((e) => e.text));
const spec = (nbInterpolation?: number, nbPart?: NbPartSpec): MemberSpec => ({
  features: { hashBits: 16, maxNgram: 1, negation: false },
  l2: 1e-3,
  sentenceWeight: 1,
  nbAlpha: 1,
  ...(nbInterpolation === undefined ? {} : { nbInterpolation }),
  ...(nbPart ? { nbPart } : {}),
});
const weightsOf = (nbInterpolation?: number, nbPart?: NbPartSpec, valences: Valences = new Map()) => {
  const { buckets, weights } = fitMember(examples, spec(nbInterpolation, nbPart), sentences, valences, () => {}).weights.entries();
  return new Map(Array.from(buckets, (b, i) => [b, weights[i] as number]));
};
const word = (w: string) => featureIds(tokenize(w), spec().features)[0] as number;

describe("the interpolation's naive-Bayes part (MemberSpec.nbPart)", () => {
  it('minSentences: a feature in fewer training full sentences keeps only beta times its fitted weight', () => {
    const fit = weightsOf();
    const plain = weightsOf(0.25);
    const min2 = weightsOf(0.25, { minSentences: 2 });
    // "good" and "a" are in 2 full sentences: NBSVM's interpolation unchanged.
    for (const w of ['good', 'a']) expect(min2.get(word(w))).toBeCloseTo(plain.get(word(w))!, 6);
    // "bad" (1 sentence), "dull" (none): the naive-Bayes part is gone.
    for (const w of ['bad', 'dull']) {
      expect(min2.get(word(w))).toBeCloseTo(0.25 * fit.get(word(w))!, 5);
      expect(Math.abs(min2.get(word(w))! - plain.get(word(w))!)).toBeGreaterThan(1e-3);
    }
  });

  it('sentenceCounts: the ratios come from the full sentences alone, each once (phrases not counted)', () => {
    const fit = weightsOf();
    const plain = weightsOf(0.25);
    const bySentence = weightsOf(0.25, { sentenceCounts: true });
    // "dull" is in no full sentence: no naive-Bayes part.
    expect(bySentence.get(word('dull'))).toBeCloseTo(0.25 * fit.get(word('dull'))!, 5);
    // "bad" is in 3 negative lines but 1 negative sentence: a smaller naive-Bayes part than NBSVM's.
    const nbPart = (m: Map<number, number>) => m.get(word('bad'))! - 0.25 * fit.get(word('bad'))!;
    expect(nbPart(bySentence)).toBeLessThan(0);
    expect(Math.abs(nbPart(bySentence))).toBeLessThan(Math.abs(nbPart(plain)) - 1e-3);
  });

  it('lexiconOnly: only features that contain a lexicon word keep a naive-Bayes part', () => {
    const lexicon: Valences = new Map([
      ['good', 1.9],
      ['great', 3.1],
      ['bad', -2.5],
    ]);
    const fit = weightsOf(undefined, undefined, lexicon);
    const plain = weightsOf(0.25, undefined, lexicon);
    const limited = weightsOf(0.25, { lexiconOnly: true }, lexicon);
    for (const w of ['good', 'bad']) expect(limited.get(word(w))).toBeCloseTo(plain.get(word(w))!, 6);
    // "a", "film", "dull": no lexicon word, so beta times the fitted weight alone.
    for (const w of ['a', 'film', 'dull']) {
      expect(limited.get(word(w))).toBeCloseTo(0.25 * fit.get(word(w))!, 5);
      expect(Math.abs(limited.get(word(w))! - plain.get(word(w))!)).toBeGreaterThan(1e-3);
    }
  });

  it('lexiconFeatureIds: the n-grams around a lexicon word (negated too) and its class feature, no character n-grams', () => {
    const lexicon: Valences = new Map([['good', 1.9]]);
    const words = { hashBits: 20, maxNgram: 3, negation: true, lexiconClasses: true };
    const tokens = tokenize('the room was not good');
    const all = new Set(featureIds(tokens, words, lexicon));
    const kept = new Set(lexiconFeatureIds(tokens, words, lexicon));
    for (const id of kept) expect(all.has(id)).toBe(true);
    // "good" (negated), "not good", "was not good", "good" + end, its class feature: 5 of 16; the other 11 n-grams are not kept.
    expect(kept.size).toBe(5);
    expect(all.size).toBe(16);
    const chars = { hashBits: 20, maxNgram: 1, negation: true, charNgramMin: 3, charNgramMax: 5 };
    expect(lexiconFeatureIds(tokenize('good'), chars, lexicon)).toEqual(featureIds(tokenize('good'), { ...chars, charNgramMax: 0 }, lexicon));
  });

  it("alpha: the member's own smoothing gives NBSVM's weights; more smoothing a smaller naive-Bayes part", () => {
    const fit = weightsOf();
    const plain = weightsOf(0.25);
    for (const [bucket, w] of weightsOf(0.25, { alpha: 1 })) expect(w).toBeCloseTo(plain.get(bucket)!, 6);
    const smoothed = weightsOf(0.25, { alpha: 5 });
    const nbPart = (m: Map<number, number>, w: string) => m.get(word(w))! - 0.25 * fit.get(word(w))!;
    for (const w of ['good', 'bad']) expect(Math.abs(nbPart(smoothed, w))).toBeLessThan(Math.abs(nbPart(plain, w)) - 1e-3);
  });
});
