import { describe, expect, it } from 'vitest';
import { featureIds } from '../src/model/features.js';
import { tokenize } from '../src/model/tokenize.js';
import { fitMember, type MemberSpec } from '../src/model/train.js';
import type { Sst2Example } from '../src/model/sst2.js';

// A tiny corpus: "good"/"great" only in positive lines, "bad"/"dull" only in negative ones, "film" in both.
const examples: Sst2Example[] = [
  { text: 'a good film', label: 1 },
  { text: 'great', label: 1 },
  { text: 'good and great', label: 1 },
  { text: 'a bad film', label: 0 },
  { text: 'dull', label: 0 },
  { text: 'bad and dull film', label: 0 },
];
const spec = (nbInterpolation?: number): MemberSpec => ({
  features: { hashBits: 16, maxNgram: 1, negation: false },
  l2: 1e-3,
  sentenceWeight: 1,
  nbAlpha: 1,
  ...(nbInterpolation === undefined ? {} : { nbInterpolation }),
});
const weightsOf = (nbInterpolation?: number) => {
  const { buckets, weights } = fitMember(examples, spec(nbInterpolation), new Set(), new Map(), () => {}).weights.entries();
  return new Map(Array.from(buckets, (b, i) => [b, weights[i] as number]));
};

describe("NBSVM's interpolation towards naive Bayes (MemberSpec.nbInterpolation)", () => {
  it('changes nothing at beta = 1, and is linear in beta between naive Bayes (0) and the fit (1)', () => {
    const off = weightsOf();
    const one = weightsOf(1);
    const zero = weightsOf(0);
    const half = weightsOf(0.5);
    expect([...one.keys()]).toEqual([...off.keys()]);
    for (const [bucket, w] of off) {
      expect(one.get(bucket)).toBeCloseTo(w, 6);
      // Stored as Float32: compare at float precision.
      expect(half.get(bucket)!).toBeCloseTo(((zero.get(bucket) ?? 0) + w) / 2, 5);
    }
    // At beta = 0 every weight is mean|w| times its NB ratio: words with the same counts get the same
    // weight ("good" and "great": 2 positive lines each; "bad" and "dull": 2 negative lines each),
    // which the discriminative fit alone does not give them ("great" stands alone in a line).
    const word = (w: string) => featureIds(tokenize(w), spec().features)[0] as number;
    const [good, great, bad, dull] = ['good', 'great', 'bad', 'dull'].map((w) => zero.get(word(w))!);
    expect(good).toBeGreaterThan(0);
    expect(great).toBeCloseTo(good!, 6);
    expect(bad).toBeLessThan(0);
    expect(dull).toBeCloseTo(bad!, 6);
    expect(Math.abs(off.get(word('great'))! - off.get(word('good'))!)).toBeGreaterThan(1e-3);
  });
});
