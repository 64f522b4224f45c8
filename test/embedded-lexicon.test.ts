import { describe, expect, it } from 'vitest';
import { featureIds } from '../src/model/features.js';
import { lexiconEvidence, parseVaderLexicon } from '../src/model/lexicon.js';
import { tokenize } from '../src/model/tokenize.js';
import { loadVaderLexicon } from '../src/model/vader-lexicon.js';

const valences = new Map([
  ['good', 1.9],
  ['bad', -2.5],
  ['complaints', -1.7],
  ['slow', -1.1],
  ['lovely', 2.8],
]);

describe('lexicon evidence', () => {
  it('sums positive and negative valences of a sentence', () => {
    expect(lexiconEvidence(tokenize('good and bad'), valences)).toEqual({ positive: 1.9, negative: 2.5, hits: 2 });
    expect(lexiconEvidence(tokenize('it arrived on tuesday'), valences)).toEqual({ positive: 0, negative: 0, hits: 0 });
  });

  it('flips and damps negated words: "no complaints", "not bad", "wasn\'t good"', () => {
    expect(lexiconEvidence(tokenize('No complaints at all'), valences).positive).toBeCloseTo(1.7 * 0.74, 9);
    expect(lexiconEvidence(tokenize('Not bad at all'), valences)).toMatchObject({ negative: 0, hits: 1 });
    expect(lexiconEvidence(tokenize("It wasn't good"), valences)).toMatchObject({ positive: 0, hits: 1 });
    // A clause break ends the negation: "no, it was good".
    expect(lexiconEvidence(tokenize('no, it was good'), valences)).toMatchObject({ positive: 1.9, negative: 0 });
  });

  it('weighs the clause after "but" / "however" more than the one before', () => {
    const e = lexiconEvidence(tokenize('Slow at first but lovely'), valences);
    expect(e.negative).toBeCloseTo(1.1 * 0.5, 9);
    expect(e.positive).toBeCloseTo(2.8 * 1.5, 9);
    expect(lexiconEvidence(tokenize('Lovely. However, slow'), valences).negative).toBeCloseTo(1.1 * 1.5, 9);
  });

  it('parses VADER lines, keeping single words and leaving negators and emoticons out', () => {
    const parsed = parseVaderLexicon('good\t1.9\t0.9\t[2, 2]\n:)\t2.0\t1\t[]\nno\t-1.2\t0.7\t[]\nkind of\t0.5\t1\t[]\n');
    expect([...parsed]).toEqual([['good', 1.9]]);
  });

  it('reads the lexicon from the vader-sentiment package, sorted, with its licences', () => {
    const lexicon = loadVaderLexicon();
    expect(Object.keys(lexicon.valences).length).toBeGreaterThan(6000);
    expect(lexicon.valences['delicious']).toBeGreaterThan(2);
    expect(lexicon.valences['rude']).toBeLessThan(-1);
    expect(lexicon.valences['no']).toBeUndefined();
    const words = Object.keys(lexicon.valences);
    expect(words).toEqual([...words].sort());
    expect(lexicon.licence).toMatch(/MIT/);
    expect(lexicon.source).toMatch(/^vader-sentiment@/);
  });
});

describe('lexicon class features', () => {
  const config = { hashBits: 16, maxNgram: 1, negation: true, lexiconClasses: true };
  it('give two texts that share no word a shared feature when their lexicon words agree', () => {
    const shared = (a: string, b: string) => {
      const other = new Set(featureIds(tokenize(b), config, valences));
      return [...featureIds(tokenize(a), config, valences)].filter((id) => other.has(id)).length;
    };
    expect(shared('good', 'lovely')).toBe(0); // different strengths
    expect(shared('lovely', 'not bad')).toBe(1); // both a strong positive
    expect(shared('bad', 'lovely')).toBe(0);
    expect(featureIds(tokenize('good'), { ...config, lexiconClasses: false }, valences).length).toBe(1);
  });
});
