import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SentimentBatchError } from '../src/errors.js';
import { decodeModel } from '../src/model/format.js';
import { defaultModelPath, findPackageRoot } from '../src/model/locate.js';
import { reservedSentences, type SplitOptions } from '../src/model/split.js';
import { readSst2 } from '../src/model/sst2.js';
import { createEmbeddedScorer, loadEmbeddedModel } from '../src/scoring/embedded.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sst2Train = path.join(path.resolve(repoRoot, '../shared'), 'data', 'sst2', 'train.tsv');
const hasSst2 = existsSync(sst2Train);

/** Measured by `npm run train-model` (seed 1): 83.1 % on 1,000 held-out sentences (see model/MODEL.md). */
const HELD_OUT_ACCURACY_FLOOR = 0.82;

const model = loadEmbeddedModel();
const scratch = mkdtempSync(path.join(tmpdir(), 'embedded-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function expectModelFileError(fn: () => unknown, pathShown: string, reason: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SentimentBatchError);
  const error = caught as SentimentBatchError;
  expect(error.code).toBe('model_file');
  expect(error.message).toContain(pathShown);
  expect(error.message).toMatch(reason);
  expect(error.message).toContain('npm run train-model');
}

describe('the default model file', () => {
  it('is found from the package root, whichever directory the code runs from', () => {
    expect(findPackageRoot()).toBe(repoRoot);
    expect(defaultModelPath()).toBe(path.join(repoRoot, 'model', 'sst2-embedded.bin'));
    expect(model.path).toBe(defaultModelPath());
  });

  it('names the model and its version', () => {
    expect(model.modelId).toMatch(/^embedded:sst2-[a-z0-9-]+-v\d+$/);
  });

  it('is small', () => {
    expect(readFileSync(defaultModelPath()).length).toBeLessThan(10 * 1024 * 1024);
  });
});

describe('scores', () => {
  const texts = [
    'An absolutely wonderful film, beautifully acted and deeply moving.',
    'Dull, predictable and far too long.',
    'It arrived on Tuesday.',
    'The plot is thin but the performances are great.\nWould watch again!',
  ];

  it('are probabilities that sum to 1, with the label of the larger one', () => {
    for (const text of texts) {
      const s = model.scoreText(text);
      expect(s.positive).toBeGreaterThanOrEqual(0);
      expect(s.positive).toBeLessThanOrEqual(1);
      expect(s.negative).toBeGreaterThanOrEqual(0);
      expect(s.positive + s.negative).toBeCloseTo(1, 12);
      expect(s.label).toBe(s.positive >= s.negative ? 'POSITIVE' : 'NEGATIVE');
    }
  });

  // Written for this test, checked absent from SST-2's train.tsv; not movie-only.
  const clearlyPositive = [
    'An absolutely wonderful film, beautifully acted and deeply moving.',
    'Great value, works perfectly, highly recommended!',
    'A delightful, funny and charming story that the whole family will enjoy.',
    'The best concert I have been to in years, simply brilliant.',
  ];
  const clearlyNegative = [
    'A boring, pointless mess with terrible acting and a stupid plot.',
    'The worst meal I have ever had; the food was cold and tasteless.',
    'Complete waste of money, it broke after two days.',
    "I hated it and I won't ever go back.",
  ];

  it.each(clearlyPositive)('calls %j POSITIVE', (text) => {
    expect(model.scoreText(text).label).toBe('POSITIVE');
  });

  it.each(clearlyNegative)('calls %j NEGATIVE', (text) => {
    expect(model.scoreText(text).label).toBe('NEGATIVE');
  });

  it('handle any string without throwing', () => {
    const tenMegabytes = 'the service was slow but the food was lovely. '.repeat(230_000);
    const edgeCases = [
      '',
      ' ',
      '\n\r\t\u00a0\u2028',
      '\u0000'.repeat(1000),
      '\ud800',
      'abc \udfff def \ud83d',
      '😀🎉👍🏽 great 🙄',
      '!!!???...',
      'これは素晴らしい映画です',
      'Отличный фильм, очень понравился',
      'هذا المنتج سيء جدا',
      '\u202eevil bidi text\u202c',
      'a'.repeat(1_000_000),
      "''''``''--",
      tenMegabytes,
    ];
    expect(tenMegabytes.length).toBeGreaterThan(10_000_000);
    for (const text of edgeCases) {
      const s = model.scoreText(text);
      expect(Number.isFinite(s.positive)).toBe(true);
      expect(s.positive + s.negative).toBeCloseTo(1, 12);
    }
  });

  it('are the same for the same text, and for a second load of the file', () => {
    const again = loadEmbeddedModel();
    for (const text of texts) {
      expect(model.scoreText(text)).toEqual(model.scoreText(text));
      expect(again.scoreText(text)).toEqual(model.scoreText(text));
    }
  });
});

describe('createEmbeddedScorer', () => {
  it('implements Scorer: local, same answers sync and async', async () => {
    const scorer = createEmbeddedScorer();
    expect(scorer.remote).toBe(false);
    expect(scorer.modelId).toBe(model.modelId);
    const text = 'Great value, works perfectly, highly recommended!';
    await expect(scorer.score(text)).resolves.toEqual(model.scoreText(text));
    expect(scorer.scoreSync?.(text)).toEqual(model.scoreText(text));
    await expect(scorer.close()).resolves.toBeUndefined();
  });

  it('fails to build with a model_file error when the file is missing', () => {
    const missing = path.join(scratch, 'nope', 'model.bin');
    expectModelFileError(() => createEmbeddedScorer(missing), missing, /does not exist/);
  });
});

describe('a missing or damaged model file', () => {
  const good = readFileSync(defaultModelPath());
  function variant(name: string, bytes: Buffer): string {
    const file = path.join(scratch, name);
    writeFileSync(file, bytes);
    return file;
  }

  it('missing', () => {
    const file = path.join(scratch, 'missing.bin');
    expectModelFileError(() => loadEmbeddedModel(file), file, /does not exist/);
  });

  it('a directory', () => {
    expectModelFileError(() => loadEmbeddedModel(scratch), scratch, /cannot read/);
  });

  it('empty', () => {
    const file = variant('empty.bin', Buffer.alloc(0));
    expectModelFileError(() => loadEmbeddedModel(file), file, /signature/);
    // The head of the line as the operator reads it: the file is there, but unusable (a rewording of it passed every
    // case here, which match only the reason and the remedy: testgap11).
    expect(() => loadEmbeddedModel(file)).toThrow(`the embedded model file ${file} is not usable: `);
  });

  it('truncated in the weights', () => {
    const file = variant('truncated.bin', good.subarray(0, Math.floor(good.length * 0.6)));
    expectModelFileError(() => loadEmbeddedModel(file), file, /damaged or truncated/);
  });

  it('truncated in the header', () => {
    const file = variant('short-header.bin', good.subarray(0, 40));
    expectModelFileError(() => loadEmbeddedModel(file), file, /truncated inside its header/);
  });

  it('one flipped byte in the weights', () => {
    const bytes = Buffer.from(good);
    const at = bytes.length - 5000;
    bytes[at] = (bytes[at] as number) ^ 0xff;
    const file = variant('flipped.bin', bytes);
    expectModelFileError(() => loadEmbeddedModel(file), file, /damaged or truncated/);
  });

  it('a file of the previous format (2: dense gzip weights) or a later one', () => {
    for (const version of [2, 4]) {
      const bytes = Buffer.from(good);
      bytes.writeUInt32LE(version, 8);
      const file = variant(`version${version}.bin`, bytes);
      expectModelFileError(() => loadEmbeddedModel(file), file, new RegExp(`format version is ${version}, this sentiment-batch reads version 3`));
    }
  });

  it('a header announcing another format version', () => {
    const bytes = Buffer.from(good);
    const headerLength = bytes.readUInt32LE(12);
    const header = bytes.toString('utf8', 20, 20 + headerLength).replace('"formatVersion":3', '"formatVersion":7');
    const edited = Buffer.concat([bytes.subarray(0, 20), Buffer.from(header), bytes.subarray(20 + headerLength)]);
    // A valid checksum over the edited file, so that the header check itself is reached.
    edited.writeUInt32LE(crc32(edited.subarray(20)), 16);
    const file = variant('header-version.bin', edited);
    expectModelFileError(() => loadEmbeddedModel(file), file, /header format version 7/);
  });

  it('not a model at all', () => {
    const file = variant('text.bin', Buffer.from('sentence\tlabel\nhello\t1\n'));
    expectModelFileError(() => loadEmbeddedModel(file), file, /signature/);
  });

  it('a copy of the good file still loads (the checks are not too strict)', () => {
    const file = path.join(scratch, 'copy.bin');
    copyFileSync(defaultModelPath(), file);
    expect(loadEmbeddedModel(file).scoreText('lovely')).toEqual(model.scoreText('lovely'));
  });
});

describe.skipIf(!hasSst2)('accuracy on held-out SST-2 sentences (needs ../shared/data/sst2; skipped in a clone without it)', () => {
  it(`is at least ${HELD_OUT_ACCURACY_FLOOR * 100} % on the split recorded in the model file`, () => {
    const recorded = decodeModel(readFileSync(defaultModelPath())).header.training['split'] as SplitOptions;
    // The held-out sentences of the recorded split (embedded-model.test.ts: the same as splitSst2's).
    const split = reservedSentences(readSst2(sst2Train), recorded);
    expect(split.heldOut.length).toBe(recorded.heldOut);
    let correct = 0;
    for (const example of split.heldOut) {
      const predicted = model.scoreText(example.text).label === 'POSITIVE' ? 1 : 0;
      if (predicted === example.label) correct++;
    }
    const accuracy = correct / split.heldOut.length;
    expect(accuracy).toBeGreaterThanOrEqual(HELD_OUT_ACCURACY_FLOOR);
    // Finding the full sentences among 67,349 lines takes ~6 s alone, much longer on a loaded machine.
  }, 240_000);
});
