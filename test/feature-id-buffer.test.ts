import { describe, expect, it } from 'vitest';
import { FeatureIdBuffer } from '../src/model/feature-id-buffer.js';
import { collectFeatureIds, collectPreparedIds, featureIds, prepareTokens, type FeatureConfig } from '../src/model/features.js';
import { tokenize } from '../src/model/tokenize.js';
import { loadEmbeddedModel } from '../src/scoring/embedded.js';

const valences = new Map([
  ['good', 1.9],
  ['bad', -2.5],
]);
const negation: FeatureConfig = { hashBits: 22, maxNgram: 3, negation: true, charNgramMin: 3, charNgramMax: 5, lexiconClasses: true };
const plain: FeatureConfig = { hashBits: 22, maxNgram: 1, negation: false, lexiconClasses: true };

/** The ids of `tokens` from a buffer no other text has used. */
function fresh(tokens: string[], config: FeatureConfig): number[] {
  const buffer = new FeatureIdBuffer();
  collectFeatureIds(tokens, config, valences, buffer);
  return [...buffer.ids.subarray(0, buffer.length)];
}

describe('feature ids collected in a reused buffer', () => {
  // Thousands of tokens, every word after the first inside a negation's scope: more ids and tokens than the buffer
  // first holds, and negation marks where the next, shorter text's tokens go.
  const long = tokenize('not ' + Array.from({ length: 3000 }, (_, i) => `good word${i}`).join(' '));

  it('do not depend on the texts collected before', () => {
    const short = tokenize('good bad');
    const before = fresh(short, plain);
    const buffer = new FeatureIdBuffer();
    collectFeatureIds(long, negation, valences, buffer);
    expect(buffer.length).toBeGreaterThan(1024);
    expect([...buffer.ids.subarray(0, buffer.length)]).toEqual(fresh(long, negation));
    // Without negation marking no word is negated, whatever the longer text left marked: "good" stays positive.
    collectFeatureIds(short, plain, valences, buffer);
    expect([...buffer.ids.subarray(0, buffer.length)]).toEqual(before);
    collectFeatureIds([], plain, valences, buffer);
    expect(buffer.length).toBe(0);
  });

  it('are what featureIds returns, in a new array of their own', () => {
    const ids = featureIds(long, negation, valences);
    expect([...ids]).toEqual(fresh(long, negation));
    featureIds(tokenize('good'), plain, valences);
    expect([...ids]).toEqual(fresh(long, negation));
  });

  it('are each member\'s own from one preparation of the tokens, whichever member collects first', () => {
    // A model's members share one prepareTokens per sentence (predict.ts): a member without negation marking must not
    // read the marked hashes, nor one with them the plain ones.
    const tokens = tokenize("I couldn't be happier, not bad at all but never good");
    const buffer = new FeatureIdBuffer();
    prepareTokens(tokens, valences, buffer);
    for (const config of [negation, plain, negation]) {
      collectPreparedIds(tokens, config, buffer);
      expect([...buffer.ids.subarray(0, buffer.length)]).toEqual(fresh(tokens, config));
    }
  });

  it('give a text the same scores before and after a long one', () => {
    const model = loadEmbeddedModel();
    const text = "The room wasn't good, but the staff were lovely 😀";
    const first = model.scoreText(text);
    model.scoreText('Not worth it, never again. '.repeat(2000));
    expect(model.scoreText(text)).toEqual(first);
  });
});
