import { describe, expect, it } from 'vitest';
import { featureIds, type FeatureConfig } from '../src/model/features.js';
import { lexiconEvidence } from '../src/model/lexicon.js';
import { isIntensifyingNegation } from '../src/model/negation.js';
import { tokenize } from '../src/model/tokenize.js';
import { loadEmbeddedModel } from '../src/scoring/embedded.js';

const valences = new Map([
  ['happier', 2.4],
  ['better', 1.9],
  ['worse', -2.1],
  ['easier', 1.8],
  ['saved', 1.5],
  ['pleased', 1.9],
]);

/** Whether the first negator of `text` intensifies rather than negates. */
function intensifies(text: string): boolean {
  const tokens = tokenize(text);
  const k = tokens.findIndex((t) => t === "n't" || t === 'not' || t === 'cannot');
  return isIntensifyingNegation(tokens, k, valences);
}

describe('negated comparatives ("could n\'t be happier")', () => {
  it('are intensifiers after "could", "can" and in "cannot"', () => {
    expect(intensifies("I couldn't be happier")).toBe(true);
    expect(intensifies("We can't ask for more")).toBe(true);
    expect(intensifies("Couldn't have asked for a better host")).toBe(true);
    expect(intensifies('It could not possibly be easier')).toBe(true);
    expect(intensifies('It cannot get any better')).toBe(true);
    expect(intensifies("Service couldn't be worse")).toBe(true);
  });

  it('stay negations everywhere else', () => {
    expect(intensifies("I didn't like it")).toBe(false);
    expect(intensifies("It couldn't be saved")).toBe(false); // "saved" is no comparative
    expect(intensifies("We didn't get more of the show")).toBe(false); // "did", not a modal of ability
    expect(intensifies('Not better than the first one')).toBe(false);
    expect(intensifies("It couldn't be")).toBe(false);
    expect(intensifies("Couldn't be bothered to find a better one")).toBe(false); // too far from "better"
  });

  it('keep the lexicon word\'s own polarity: praise stays praise, "worse" stays bad', () => {
    expect(lexiconEvidence(tokenize("I couldn't be happier"), valences)).toEqual({ positive: 2.4, negative: 0, hits: 1 });
    expect(lexiconEvidence(tokenize("It couldn't be worse"), valences)).toEqual({ positive: 0, negative: 2.1, hits: 1 });
    // An ordinary negation still flips and damps.
    expect(lexiconEvidence(tokenize("I wasn't pleased"), valences).negative).toBeCloseTo(1.9 * 0.74, 9);
  });

  it('leave the comparative\'s own feature in place and give the negator a token of its own', () => {
    const words: FeatureConfig = { hashBits: 20, maxNgram: 1, negation: true };
    const happier = featureIds(['happier'], words, valences)[0];
    expect(featureIds(tokenize("couldn't be happier"), words, valences)).toContain(happier);
    expect(featureIds(tokenize("wasn't happier"), words, valences)).not.toContain(happier);
    // "n't" of "could n't be happier" is not the "n't" of "was n't": their unigram features differ.
    const plainNot = featureIds(["n't"], words, valences)[0];
    expect(featureIds(tokenize("couldn't be happier"), words, valences)).not.toContain(plainNot);
    expect(featureIds(tokenize("wasn't happier"), words, valences)).toContain(plainNot);
  });
});

describe('the shipped embedded model on negated comparatives', () => {
  const model = loadEmbeddedModel();
  it.each([
    ["I couldn't be happier with this purchase.", 'POSITIVE'],
    ["The staff couldn't have been more helpful.", 'POSITIVE'],
    ['We could not ask for a better location.', 'POSITIVE'],
    ["It can't get any better than this.", 'POSITIVE'],
    ["The service couldn't be worse.", 'NEGATIVE'],
  ])('%s -> %s', (text, label) => {
    expect(model.scoreText(text).label).toBe(label);
  });
});
