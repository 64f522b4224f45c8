import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { fitCombiner, logLoss, reliability } from '../src/model/calibrate.js';
import { featureIds } from '../src/model/features.js';
import { decodeModel, encodeModel, MODEL_FORMAT_VERSION } from '../src/model/format.js';
import { decodeLexicon, encodeLexicon } from '../src/model/lexicon-table.js';
import { decodeSparseWeights, encodeSparseWeights } from '../src/model/sparse-weights.js';
import { WeightTable } from '../src/model/weight-table.js';
import { findPackageRoot } from '../src/model/locate.js';
import { createRng } from '../src/model/rng.js';
import { findFullSentences, reservedSentences, splitSst2 } from '../src/model/split.js';
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
    // A line without a word joins the sentence before it; before any sentence it is left out.
    expect(tokenizeSentences('Great.\n:)')).toEqual([['great', '.', ':', ')']]);
    expect(tokenizeSentences(':)\nGreat')).toEqual([['great']]);
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

  it('reserves the same held-out, calibration and full sentences as the whole split', () => {
    for (const seed of [1, 2, 3, 4]) {
      const options = { seed, heldOut: 1, calibration: 1, minWords: 5 };
      const split = splitSst2(examples, options);
      expect(reservedSentences(examples, options)).toEqual({ heldOut: split.heldOut, calibration: split.calibration, sentences: split.sentences });
    }
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

/** A weight table read back bucket by bucket, as the dense arrays of format 2 held it. */
function denseOf(table: WeightTable, size: number): Float32Array {
  return Float32Array.from({ length: size }, (_, bucket) => table.get(bucket));
}

describe('the model file format', () => {
  const features = { hashBits: 8, maxNgram: 2, negation: true };
  const denseWeights = Float32Array.from({ length: 256 }, (_, i) => Math.sin(i) * 3);
  const weights = WeightTable.fromDense(denseWeights);
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
  /** Mostly zero, as the real members are: non-zero weights at these buckets only. */
  function sparseDense(buckets: number[], size = 256): Float32Array {
    const w = new Float32Array(size);
    for (const b of buckets) w[b] = b % 2 === 0 ? 1 + b / 100 : -1 - b / 50;
    return w;
  }
  function sparse(buckets: number[], size = 256): WeightTable {
    return WeightTable.fromDense(sparseDense(buckets, size));
  }
  /** Rewrites part of the JSON header (same length) and recomputes the checksum, so that the decoder's own checks are reached. */
  function editHeader(file: Buffer, from: string, to: string): Buffer {
    const headerLength = file.readUInt32LE(12);
    const text = file.toString('utf8', 20, 20 + headerLength);
    expect(text).toContain(from);
    expect(to.length).toBe(from.length);
    return reseal(Buffer.concat([file.subarray(0, 20), Buffer.from(text.replace(from, to)), file.subarray(20 + headerLength)]));
  }
  function reseal(file: Buffer): Buffer {
    file.writeUInt32LE(crc32(file.subarray(20)), 16);
    return file;
  }

  it('round-trips, with int16 precision', () => {
    const decoded = decodeModel(encodeModel(header, [{ features, bias: 0.125, weights }]));
    expect(decoded.header.members).toEqual([{ features, bias: 0.125, weightScale: expect.any(Number) }]);
    const scale = decoded.header.members[0]?.weightScale as number;
    expect(scale).toBeCloseTo(Math.max(...denseWeights.map(Math.abs)) / 32767, 9);
    denseOf(decoded.weights[0]!, 256).forEach((w, i) => expect(Math.abs(w - (denseWeights[i] as number))).toBeLessThanOrEqual(scale / 2 + 1e-7));
    expect(decoded.header.combiner).toEqual(header.combiner);
    expect(decoded.header.lexicon).toEqual({ source: 'test', licence: 'test' });
    expect([...decoded.valences]).toEqual([
      ['good', 1.9],
      ['bad', -2.5],
    ]);
  });

  it('stores only the non-zero weights, and decodes each bucket to exactly int16 * scale (format 2\'s values)', () => {
    const w = sparseDense([0, 1, 7, 128, 129, 200, 255]);
    w[50] = 1e-9; // quantises to 0: not stored, decoded as 0
    const file = encodeModel(header, [{ features, bias: 0, weights: WeightTable.fromDense(w) }]);
    const dense = encodeModel(header, [{ features, bias: 0, weights }]);
    // Three bytes (int16 value, one-byte gap) per non-zero weight; sin(0) = 0 is not stored either.
    expect(dense.length - file.length).toBe((denseWeights.filter((x) => x !== 0).length - 7) * 3);
    const decoded = decodeModel(file);
    const scale = decoded.header.members[0]?.weightScale as number;
    const expected = Float32Array.from(w, (x) => Math.round(x / scale) * scale);
    expect(Buffer.from(denseOf(decoded.weights[0]!, 256).buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    expect(Object.is(decoded.weights[0]!.get(50), 0)).toBe(true);
  });

  it('reads a file that is not 8-aligned in memory', () => {
    const file = encodeModel(header, [{ features, bias: 0, weights }]);
    const unaligned = Buffer.concat([Buffer.alloc(1), file]).subarray(1);
    expect(decodeModel(unaligned).weights).toEqual(decodeModel(file).weights);
  });

  it('rejects a header without a valid combiner, features or layout', () => {
    expect(() => decodeModel(encodeModel({ ...header, combiner: { weights: [], bias: 0 } }, [{ features, bias: 0, weights }]))).toThrow(
      /combiner/,
    );
    expect(() => decodeModel(encodeModel(header, [{ features: { ...features, hashBits: 40 }, bias: 0, weights }]))).toThrow(/member/);
    expect(() => decodeModel(encodeModel({ ...header, aggregation: { lengthBoost: -1 } }, [{ features, bias: 0, weights }]))).toThrow(/aggregation/);
    const file = encodeModel(header, [{ features, bias: 0, weights: sparse([3, 4, 5]) }]);
    expect(() => decodeModel(editHeader(file, '"licence":"test"', '"licence":123456'))).toThrow(/no valid lexicon/);
    expect(() => decodeModel(editHeader(file, '"layout":{', '"layoux":{'))).toThrow(/no valid section layout/);
    expect(() => decodeModel(editHeader(file, '"idBytes":3', '"idBytes":2'))).toThrow(/layout of member 0 is invalid/);
  });

  it('refuses a file of the previous format version (2: dense gzip), naming both versions', () => {
    const file = encodeModel(header, [{ features, bias: 0, weights }]);
    file.writeUInt32LE(2, 8);
    expect(() => decodeModel(file)).toThrow(/format version is 2, this sentiment-batch reads version 3/);
  });

  it('refuses a damaged or truncated payload by its checksum', () => {
    const file = encodeModel(header, [{ features, bias: 0, weights: sparse([3, 4, 5, 100]) }]);
    expect(() => decodeModel(file.subarray(0, file.length - 1))).toThrow(/damaged or truncated \(its CRC-32/);
    for (const at of [24, file.length - 3, file.length - 1]) {
      const flipped = Buffer.from(file);
      flipped[at] = (flipped[at] as number) ^ 0x01;
      expect(() => decodeModel(flipped)).toThrow(/damaged or truncated/);
    }
  });

  it('refuses sections that disagree with the header\'s counts, even under a valid checksum', () => {
    const file = encodeModel(header, [{ features, bias: 0, weights: sparse([3, 4, 5, 100]) }]);
    expect(() => decodeModel(reseal(Buffer.from(file.subarray(0, file.length - 1))))).toThrow(/announces 4 bytes of member 0's bucket ids, but only 3 remain/);
    expect(() => decodeModel(reseal(Buffer.concat([file, Buffer.from([0])])))).toThrow(/holds 1 bytes after the sections/);
    const fiveWeights = editHeader(editHeader(file, '"weights":4', '"weights":5'), '"idBytes":4', '"idBytes":5');
    expect(() => decodeModel(fiveWeights)).toThrow(/announces 5 bytes of member 0's bucket ids, but only 2 remain/);
    expect(() => decodeModel(editHeader(file, '"lexiconWords":2', '"lexiconWords":1'))).toThrow(/holds 8 bytes after the sections/);
  });

  it('refuses a bucket id beyond the member\'s buckets', () => {
    const file = encodeModel(header, [{ features: { ...features, hashBits: 9 }, bias: 0, weights: sparse([10, 300], 512) }]);
    expect(decodeModel(file).weights[0]?.get(300)).not.toBe(0);
    expect(() => decodeModel(editHeader(file, '"hashBits":9', '"hashBits":8'))).toThrow(/bucket id 300 is out of range \(the member has 256 buckets\)/);
  });
});

describe('sparse weights', () => {
  const values = Int16Array.from([5, -7, 9]);
  it('decodes gaps into increasing buckets: an unsorted or repeated id cannot be written', () => {
    const w = decodeSparseWeights(300, 0.5, values, Uint8Array.from([0, 0, 0x80 | 0x2c, 0x01]));
    const dense = denseOf(w, 300);
    expect([...dense.keys()].filter((i) => dense[i] !== 0)).toEqual([0, 1, 1 + 1 + 0xac]);
    expect([w.get(0), w.get(1), w.get(174)]).toEqual([2.5, -3.5, 4.5]);
    const encoded = encodeSparseWeights(w);
    expect([...encoded.gaps]).toEqual([0, 0, 0x80 | 0x2c, 0x01]);
  });

  it('refuses gaps that run out, are left over, overrun the buckets or are too long', () => {
    expect(() => decodeSparseWeights(300, 1, values, Uint8Array.from([0, 0]))).toThrow(/end after 2 of the 3 weights/);
    expect(() => decodeSparseWeights(300, 1, values, Uint8Array.from([0, 0, 0, 7]))).toThrow(/1 bytes of bucket ids beyond the 3 weights/);
    expect(() => decodeSparseWeights(300, 1, values, Uint8Array.from([0, 0, 0x80 | 0x7f, 0x02]))).toThrow(/bucket id 385 is out of range/);
    expect(() => decodeSparseWeights(300, 1, values, Uint8Array.from([0, 0, 0x80]))).toThrow(/bucket id 2 is not a valid varint/);
    expect(() => decodeSparseWeights(2 ** 24, 1, values, Uint8Array.from([0, 0, 0x80, 0x80, 0x80, 0x80, 0x00]))).toThrow(/not a valid varint/);
  });
});

describe('the lexicon sections', () => {
  it('round-trips words and exact valences in order', () => {
    const encoded = encodeLexicon({ good: 1.9, 'well-made': 0.1 + 0.2, bad: -2.5 });
    const valences = new Float64Array(encoded.valences.buffer, encoded.valences.byteOffset, encoded.count);
    expect([...decodeLexicon(encoded.count, encoded.words, valences)]).toEqual([
      ['good', 1.9],
      ['well-made', 0.1 + 0.2],
      ['bad', -2.5],
    ]);
  });

  it('refuses counts that disagree, repeated or empty words and valences that are not numbers', () => {
    const words = Buffer.from('good\nbad');
    expect(() => decodeLexicon(3, words, Float64Array.from([1, 2, 3]))).toThrow(/holds 2 words where its header announces 3/);
    expect(() => decodeLexicon(2, Buffer.from('good\ngood'), Float64Array.from([1, 2]))).toThrow(/a word twice/);
    expect(() => decodeLexicon(2, Buffer.from('good\n'), Float64Array.from([1, 2]))).toThrow(/entry 1 has an empty word/);
    expect(() => decodeLexicon(2, words, Float64Array.from([1, Number.NaN]))).toThrow(/not a number/);
    expect(decodeLexicon(0, Buffer.alloc(0), new Float64Array(0)).size).toBe(0);
    expect(() => encodeLexicon({ 'two\nlines': 1 })).toThrow(/cannot be stored/);
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
