// The embedded model's weights are decoded at its first text, not when it is loaded (lowfix86): a run that scores
// nothing (every row done, an empty export) spent ~20-40 ms of CPU on them. A damaged file is still refused
// when the model is loaded, before any row is written.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SentimentBatchError } from '../src/errors.js';
import { defaultModelPath } from '../src/model/locate.js';
import { embeddedModelId } from '../src/scoring/embedded-file.js';
import { loadEmbeddedModel } from '../src/scoring/embedded.js';

const decoded = vi.hoisted(() => ({ members: 0 }));
vi.mock('../src/model/sparse-weights.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/model/sparse-weights.js')>();
  return {
    ...original,
    decodeSparseWeights: (...args: Parameters<typeof original.decodeSparseWeights>) => {
      decoded.members += 1;
      return original.decodeSparseWeights(...args);
    },
  };
});

const scratch = mkdtempSync(path.join(tmpdir(), 'embedded-lazy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeEach(() => {
  decoded.members = 0;
});

describe('the embedded model decodes its weights at its first text', () => {
  it('loading it names the model and decodes no weights; the first text decodes each member once, later texts none', () => {
    const model = loadEmbeddedModel();
    expect(model.modelId).toBe(embeddedModelId());
    expect(decoded.members).toBe(0);
    const first = model.scoreText('a lovely, moving film');
    const members = decoded.members;
    expect(members).toBeGreaterThan(0);
    expect(model.scoreText('a dull, tedious mess').label).toBe('NEGATIVE');
    expect(model.scoreText('a lovely, moving film')).toEqual(first);
    expect(first.label).toBe('POSITIVE');
    expect(decoded.members).toBe(members);
  });

  it('still refuses, when loaded, a file whose bucket ids do not fit its header under a valid checksum', () => {
    const good = readFileSync(defaultModelPath());
    const headerLength = good.readUInt32LE(12);
    const header = good.toString('utf8', 20, 20 + headerLength);
    expect(header).toContain('"hashBits":22');
    // Fewer buckets than the stored ids reach: only decoding the ids finds it, the checksum being made valid.
    const edited = Buffer.concat([good.subarray(0, 20), Buffer.from(header.replaceAll('"hashBits":22', '"hashBits":21')), good.subarray(20 + headerLength)]);
    edited.writeUInt32LE(crc32(edited.subarray(20)), 16);
    const file = path.join(scratch, 'ids-out-of-range.bin');
    writeFileSync(file, edited);
    let caught: unknown;
    try {
      loadEmbeddedModel(file);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SentimentBatchError);
    expect((caught as SentimentBatchError).code).toBe('model_file');
    expect((caught as Error).message).toMatch(new RegExp(`^the embedded model file ${file} is not usable: its bucket id \\d+ is out of range \\(the member has 2097152 buckets\\)`));
    expect(decoded.members).toBe(0);
  });
});
