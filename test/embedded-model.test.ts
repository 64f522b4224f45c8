import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitCombiner, logLoss, reliability } from '../src/model/calibrate.js';
import { featureIds } from '../src/model/features.js';
import { decodeModel, encodeModel, MODEL_FORMAT_VERSION } from '../src/model/format.js';
import { findPackageRoot } from '../src/model/locate.js';
import { createRng } from '../src/model/rng.js';
import { findFullSentences, splitSst2 } from '../src/model/split.js';
import { parseSst2, type Sst2Example } from '../src/model/sst2.js';
import { boundText, tokenize, tokenizeSentences } from '../src/model/tokenize.js';
import { trainEmbeddedModel, type MemberSpec } from '../src/model/train.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'embedded-model-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('tokenize', () => {
  it('cuts raw text the way SST-2 is tokenised', () => {
    expect(tokenize("It doesn't work, and I can't stand it's noise!!!!!")).toEqual([
      'it', 'does', "n't", 'work', ',', 'and', 'i', 'ca', "n't", 'stand', 'it', "'s", 'noise', '!!!',
    ]);
    expect(tokenize('A well-made, “feel-good” film… we’re sold')).toEqual([
      'a', 'well-made', ',', '``', 'feel-good', "''", 'film', '...', 'we', "'re", 'sold',
    ]);
  });

  it("gives back SST-2's own tokens", () => {
    const sst = "the film 's ending does n't work -- it 's `` fun '' ( mostly ) ... ."
    expect(tokenize(sst).join(' ')).toBe(sst);
  });

  it('puts back the apostrophe of negative contractions written without it', () => {
    expect(tokenize('The staff didn t help, I cant say I liked it and dont go')).toEqual([
      'the', 'staff', 'did', "n't", 'help', ',', 'i', 'ca', "n't", 'say', 'i', 'liked', 'it', 'and', 'do', "n't", 'go',
    ]);
    expect(tokenize('won t wait, isnt bad')).toEqual(['wo', "n't", 'wait', ',', 'is', "n't", 'bad']);
    // A lone "t" after anything else, or at the start, stays as it is.
    expect(tokenize('t cell, plan t')).toEqual(['t', 'cell', ',', 'plan', 't']);
  });

  it('keeps emoji and lone surrogates as tokens and never throws', () => {
    expect(tokenize('great😀\ud800x')).toEqual(['great', '😀', '\ud800', 'x']);
    expect(tokenize('')).toEqual([]);
    expect(tokenize('\u0000\u0000')).toEqual([]);
  });

  it('cuts sentences at line breaks and final punctuation, folding punctuation-only pieces in', () => {
    expect(tokenizeSentences('Loved it. Would buy again!\nFive stars')).toEqual([
      ['loved', 'it', '.'],
      ['would', 'buy', 'again', '!'],
      ['five', 'stars'],
    ]);
    expect(tokenizeSentences('... and yet ?! ok')).toEqual([['...', 'and', 'yet', '?', '!'], ['ok']]);
    expect(tokenizeSentences('!!!')).toEqual([['!!!']]);
    expect(tokenizeSentences('')).toEqual([[]]);
  });

  it('bounds long texts to their head and tail', () => {
    const text = 'a'.repeat(100) + 'b'.repeat(100);
    expect(boundText(text, 1000)).toBe(text);
    expect(boundText(text, 20)).toBe('a'.repeat(10) + ' ' + 'b'.repeat(10));
  });
});

describe('featureIds', () => {
  const config = { hashBits: 12, maxNgram: 2, negation: false };
  it('gives sorted, distinct ids inside the hash space', () => {
    const ids = featureIds(tokenize('good good good movie'), config);
    expect([...ids]).toEqual([...new Set(ids)].sort((a, b) => a - b));
    for (const id of ids) expect(id).toBeLessThan(4096);
    // good, movie, <s>good, good good, good movie, movie</s> (barring a hash collision)
    expect(ids.length).toBe(6);
  });

  it('tells word order apart with pairs, and negated words apart with negation marking', () => {
    expect(featureIds(['not', 'good'], config)).not.toEqual(featureIds(['good', 'not'], config));
    const negated = { ...config, maxNgram: 1, negation: true };
    expect(featureIds(['not', 'good'], negated)).not.toEqual(featureIds(['not', 'good'], { ...negated, negation: false }));
  });
});

describe('the held-out split', () => {
  const lines = [
    'a fine film with real heart 1',
    'fine film 1',
    'real heart 1',
    'with real heart 1',
    'fine film with real heart 1', // a sub-phrase of 5 words: not a full sentence
    'a dull film with no heart at all 0',
    'dull film 0',
    'no heart 0',
    'a dull 0',
    'heart 1',
  ];
  const examples: Sst2Example[] = lines.map((l) => ({ text: l.slice(0, -2), label: l.endsWith('1') ? 1 : 0 }));

  it('finds full sentences only', () => {
    expect(findFullSentences(examples, 5).map((e) => e.text)).toEqual(['a fine film with real heart', 'a dull film with no heart at all']);
  });

  it('removes from training every line inside a held-out sentence', () => {
    for (const seed of [1, 2, 3, 4]) {
      const split = splitSst2(examples, { seed, heldOut: 1, calibration: 0, minWords: 5 });
      const held = (split.heldOut[0] as Sst2Example).text;
      for (const e of split.train) expect(held.includes(e.text)).toBe(false);
      // "heart" occurs in both sentences: it goes, whichever is held out.
      expect(split.train.map((e) => e.text)).not.toContain('heart');
      const other = split.sentences.find((e) => e.text !== held) as Sst2Example;
      expect(split.train.map((e) => e.text)).toContain(other.text);
    }
  });

  it('keeps calibration lines out of the first fit but in the final one', () => {
    const split = splitSst2(examples, { seed: 1, heldOut: 1, calibration: 1, minWords: 5 });
    const calibration = (split.calibration[0] as Sst2Example).text;
    expect(split.train.some((e) => calibration.includes(e.text))).toBe(false);
    expect(split.trainWithCalibration.map((e) => e.text)).toContain(calibration);
  });

  it('is the same for the same seed and differs across seeds', () => {
    const pick = (seed: number) => splitSst2(examples, { seed, heldOut: 1, calibration: 0, minWords: 5 }).heldOut[0]?.text;
    expect(pick(7)).toBe(pick(7));
    expect(new Set([1, 2, 3, 4, 5, 6, 7, 8].map(pick)).size).toBe(2);
  });

  it('parses train.tsv and rejects anything else', () => {
    expect(parseSst2('sentence\tlabel\nnice one \t1\n\nbad \t0\n', 'x')).toEqual([
      { text: 'nice one', label: 1 },
      { text: 'bad', label: 0 },
    ]);
    expect(() => parseSst2('text,label\n', 'x.tsv')).toThrow(/x.tsv: expected the GLUE SST-2 header/);
    expect(() => parseSst2('sentence\tlabel\nnice\t2\n', 'x.tsv')).toThrow(/x.tsv:2: expected/);
  });
});

describe('calibration', () => {
  it('recovers a known Platt scaling', () => {
    const rng = createRng(1);
    const margins: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const z = rng() * 8 - 4;
      margins.push([z]);
      labels.push(rng() < 1 / (1 + Math.exp(-(0.5 * z - 0.3))) ? 1 : 0);
    }
    const fitted = fitCombiner(margins, labels);
    expect(fitted.weights[0]).toBeCloseTo(0.5, 1);
    expect(fitted.bias).toBeCloseTo(-0.3, 1);
    const calibrated = margins.map(([z]) => 1 / (1 + Math.exp(-(fitted.bias + (fitted.weights[0] as number) * (z as number)))));
    const overconfident = margins.map(([z]) => 1 / (1 + Math.exp(-3 * (z as number))));
    expect(logLoss(calibrated, labels)).toBeLessThan(logLoss(overconfident, labels));
    expect(reliability(calibrated, labels).ece).toBeLessThan(reliability(overconfident, labels).ece);
  });
});

describe('the model file format', () => {
  const features = { hashBits: 8, maxNgram: 2, negation: true };
  const weights = Float32Array.from({ length: 256 }, (_, i) => Math.sin(i) * 3);
  const header = {
    format: 'sentiment-batch-embedded' as const,
    formatVersion: MODEL_FORMAT_VERSION,
    name: 'tiny',
    modelVersion: 3,
    maxChars: 1000,
    combiner: { weights: [1.5, 0.5, -0.5], bias: -0.25 },
    lexicon: { source: 'test', licence: 'test', valences: { good: 1.9, bad: -2.5 } },
    aggregation: { lengthBoost: 0.5 },
    training: { note: 'test' },
  };

  it('round-trips, with int16 precision', () => {
    const decoded = decodeModel(encodeModel(header, [{ features, bias: 0.125, weights }]));
    expect(decoded.header.members).toEqual([{ features, bias: 0.125, weightScale: expect.any(Number) }]);
    const scale = decoded.header.members[0]?.weightScale as number;
    expect(scale).toBeCloseTo(Math.max(...weights.map(Math.abs)) / 32767, 9);
    decoded.weights[0]?.forEach((w, i) => expect(Math.abs(w - (weights[i] as number))).toBeLessThanOrEqual(scale / 2 + 1e-7));
    expect(decoded.header.combiner).toEqual(header.combiner);
    expect([...decoded.valences]).toEqual([
      ['good', 1.9],
      ['bad', -2.5],
    ]);
  });

  it('rejects a header without a valid combiner or features', () => {
    expect(() => decodeModel(encodeModel({ ...header, combiner: { weights: [], bias: 0 } }, [{ features, bias: 0, weights }]))).toThrow(
      /combiner/,
    );
    expect(() => decodeModel(encodeModel(header, [{ features: { ...features, hashBits: 40 }, bias: 0, weights }]))).toThrow(/member/);
    const noLexicon = { ...header, lexicon: { source: 'x', licence: 'x', valences: { good: 'yes' } } } as unknown as typeof header;
    expect(() => decodeModel(encodeModel(noLexicon, [{ features, bias: 0, weights }]))).toThrow(/lexicon/);
    expect(() => decodeModel(encodeModel({ ...header, aggregation: { lengthBoost: -1 } }, [{ features, bias: 0, weights }]))).toThrow(/aggregation/);
  });

  it('refuses a file of the previous format version, naming both versions', () => {
    const file = encodeModel(header, [{ features, bias: 0, weights }]);
    file.writeUInt32LE(1, 8);
    expect(() => decodeModel(file)).toThrow(/format version is 1, this sentiment-batch reads version 2/);
  });
});

describe('findPackageRoot', () => {
  it('walks up to the directory whose package.json is named sentiment-batch', () => {
    const root = path.join(scratch, 'app');
    const nested = path.join(root, 'node_modules', 'other', 'dist', 'src');
    mkdirSync(nested, { recursive: true });
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'sentiment-batch' }));
    writeFileSync(path.join(root, 'node_modules', 'other', 'package.json'), JSON.stringify({ name: 'other' }));
    expect(findPackageRoot(nested)).toBe(root);
    expect(findPackageRoot(scratch)).toBeUndefined();
  });
});

describe('training', () => {
  // A synthetic treebank: sentences with their sub-phrases, as in SST-2.
  function synthetic(): Sst2Example[] {
    const rng = createRng(42);
    const good = ['great', 'lovely', 'moving', 'funny', 'sharp', 'warm'];
    const bad = ['dull', 'awful', 'flat', 'tedious', 'lazy', 'cold'];
    const nouns = ['film', 'plot', 'cast', 'score', 'script', 'ending'];
    const pick = (list: string[]) => list[Math.floor(rng() * list.length)] as string;
    const out: Sst2Example[] = [];
    for (let i = 0; i < 400; i++) {
      const label = rng() < 0.5 ? 1 : 0;
      const words = label ? good : bad;
      const a = pick(words);
      const b = pick(words);
      const sentence = `the ${pick(nouns)} number ${i} is ${a} and ${b} overall`;
      out.push({ text: sentence, label });
      out.push({ text: `${a} and ${b}`, label });
      out.push({ text: a, label });
    }
    return out;
  }
  const members: MemberSpec[] = [
    { features: { hashBits: 12, maxNgram: 2, negation: false, charNgramMin: 3, charNgramMax: 4 }, l2: 1e-3, sentenceWeight: 2 },
    { features: { hashBits: 12, maxNgram: 1, negation: true, lexiconClasses: true }, l2: 1e-3, sentenceWeight: 1, nbAlpha: 1 },
  ];

  it('is deterministic, learns, and records what it measured', () => {
    const lexicon = { source: 'test', licence: 'test', valences: { great: 3.1, awful: -3.1 } };
    const options = { split: { seed: 9, heldOut: 60, calibration: 60, minWords: 5 }, members, dataSource: 'synthetic', lexicon };
    const first = trainEmbeddedModel(synthetic(), options);
    const second = trainEmbeddedModel(synthetic(), options);
    expect(first.file.equals(second.file)).toBe(true);
    expect(first.heldOut.count).toBe(60);
    expect(first.heldOut.accuracy).toBeGreaterThan(0.95);
    expect(first.model.header.training['heldOut']).toMatchObject({ accuracy: first.heldOut.accuracy, count: 60 });
    const other = trainEmbeddedModel(synthetic(), { ...options, split: { ...options.split, seed: 10 } });
    expect(other.file.equals(first.file)).toBe(false);
  });
});
