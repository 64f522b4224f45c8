import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { open } from 'lmdb';
import { afterEach, describe, expect, it } from 'vitest';

import type { Scores } from '../src/scoring/scorer.js';
import { toScores } from '../src/scoring/scorer.js';
import { CacheError, ResultCache } from '../src/state/cache.js';
import { cacheKey, decodeEntry, encodeEntry } from '../src/state/cache-codec.js';
import { removeExpired } from '../src/state/cache-evict.js';

const MODEL = 'workers-ai:@cf/huggingface/distilbert-sst-2-int8';
const DAY_MS = 86_400_000;
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-cache-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The bit pattern of a double: equal bits is what byte-identical output needs. */
const bits = (x: number): string => Buffer.from(new Float64Array([x]).buffer).toString('hex');
function expectSameBits(actual: Scores | undefined, expected: Scores): void {
  expect(actual).toBeDefined();
  expect(actual?.label).toBe(expected.label);
  expect(bits(actual?.positive ?? NaN)).toBe(bits(expected.positive));
  expect(bits(actual?.negative ?? NaN)).toBe(bits(expected.negative));
}

// Awkward doubles: negative exactly 1 - positive or not, tiny, subnormal, extremes.
const SAMPLES: Scores[] = [
  toScores(0.9561, 0.0437),
  toScores(1e-300, 1),
  toScores(0.1 + 0.2, 0.7),
  { label: 'POSITIVE', positive: 0.999_999_999_999_999_9, negative: 1.1e-16 },
  { label: 'NEGATIVE', positive: 5e-324, negative: 1 },
  { label: 'NEGATIVE', positive: 0, negative: 1 },
  { label: 'POSITIVE', positive: 1, negative: 0 },
  { label: 'POSITIVE', positive: 0.5, negative: 0.5 },
];

describe('cache value format', () => {
  it.each(SAMPLES.map((s, i) => [i, s] as const))('round-trips sample %i bit for bit', (_, scores) => {
    const entry = decodeEntry(encodeEntry(scores, 20_000, 20_123));
    expectSameBits(entry?.scores, scores);
    expect(entry).toMatchObject({ writtenDay: 20_000, usedDay: 20_123 });
  });

  it('stores 18 bytes when negative is exactly 1 - positive, 26 otherwise (the check in the days\' high halves)', () => {
    expect(encodeEntry({ label: 'POSITIVE', positive: 0.75, negative: 0.25 }, 1).length).toBe(18);
    expect(encodeEntry({ label: 'POSITIVE', positive: 0.7, negative: 0.3 }, 1).length).toBe(26); // 1 - 0.7 != 0.3
  });

  // A check appended instead (22 or 30 bytes) an earlier version takes for an unreadable value: one sharing the cache
  // (an older image on the same volume, a rollback) deleted every such value at its open's expiry scan, without a word,
  // and sent their texts again (measured with a build that wrote so: 60 of 60 entries gone, 30 rows paid again, then the
  // newer build paid for the other 30 again). This is the decoder of that earlier version (2059fda), verbatim but for names.
  it('writes values an earlier version reads: the same scores, days it neither expires nor touches', () => {
    const earlier = (value: Buffer) => {
      if (value[0] !== 1 || (value.length !== 18 && value.length !== 26)) return undefined;
      const flags = value.readUInt8(1);
      if ((flags & ~0b11) !== 0) return undefined;
      const explicitNegative = (flags & 0b10) !== 0;
      if (explicitNegative !== (value.length === 26)) return undefined;
      const positive = value.readDoubleLE(10);
      const negative = explicitNegative ? value.readDoubleLE(18) : 1 - positive;
      return { label: (flags & 0b01) !== 0 ? 'POSITIVE' : 'NEGATIVE', positive, negative, writtenDay: value.readUInt32LE(2), usedDay: value.readUInt32LE(6) };
    };
    for (const scores of SAMPLES) {
      const read = earlier(encodeEntry(scores, 20_427));
      expect(read).toBeDefined();
      expectSameBits({ label: read!.label as Scores['label'], positive: read!.positive, negative: read!.negative }, scores);
      // Its expiry is `today - writtenDay > maxAgeDays`, its touch `today - usedDay >= 7`: neither for a day in the future.
      expect(read!.writtenDay).toBeGreaterThanOrEqual(20_427);
      expect(read!.usedDay).toBeGreaterThanOrEqual(20_427);
    }
  });

  it('rejects bytes of another format or length', () => {
    const good = encodeEntry(SAMPLES[0] as Scores, 1);
    expect(decodeEntry(Buffer.concat([Buffer.from([3]), good.subarray(1)]))).toBeUndefined();
    expect(decodeEntry(Buffer.concat([Buffer.from([2]), good.subarray(1)]))).toBeUndefined();
    expect(decodeEntry(good.subarray(0, 17))).toBeUndefined();
    expect(decodeEntry(Buffer.concat([good, Buffer.alloc(4)]))).toBeUndefined();
  });

  it('rejects values that are not an answer a model gives (bytes changed in place): a miss, not scores served', () => {
    const changed = (change: (value: Buffer) => void, scores: Scores = SAMPLES[0] as Scores) => {
      const value = encodeEntry(scores, 1);
      change(value);
      return decodeEntry(value);
    };
    expect(changed(() => undefined)).toBeDefined();
    expect(changed((value) => value.writeDoubleLE(5, 10))).toBeUndefined();
    expect(changed((value) => value.writeDoubleLE(NaN, 10))).toBeUndefined();
    expect(changed((value) => value.writeDoubleLE(-0.25, 10))).toBeUndefined();
    expect(changed((value) => value.writeDoubleLE(0.5, 18))).toBeUndefined(); // 0.9561 + 0.5: not a sum of 1
    expect(changed((value) => value.writeUInt8(value.readUInt8(1) ^ 0b01, 1))).toBeUndefined(); // the label the smaller score's
    expect(changed((value) => value.writeUInt8(value.readUInt8(1) | 0b100, 1))).toBeUndefined(); // a flag this format has not
    expect(changed((value) => value.writeDoubleLE(0.75, 10), { label: 'POSITIVE', positive: 0.75, negative: 0.25 })).toBeDefined();
  });

  // A value changed in place into another answer a model could give (positive 0.9 → 0.6, the label still the larger
  // score's) passed every check above and was served: a wrong score written with exit 0. A check of the value's bytes
  // makes it a miss, and its text is sent again.
  it('rejects a value changed in place into another answer a model could give', () => {
    for (const scores of [toScores(0.9, 0.1), toScores(0.9561, 0.0437)]) {
      const value = encodeEntry(scores, 20_000);
      expect(decodeEntry(value)).toBeDefined();
      const changed = Buffer.from(value);
      changed.writeDoubleLE(0.6, 10);
      if (scores.negative !== 1 - scores.positive) changed.writeDoubleLE(0.4, 18); // stored too: the two still sum to 1
      expect(decodeEntry(changed)).toBeUndefined();
      const day = Buffer.from(value);
      day.writeUInt16LE(20_500, 2); // written later than it was: kept past its age
      expect(decodeEntry(day)).toBeUndefined();
    }
  });

  it('still reads an entry an earlier version wrote (format 1, no check of its bytes)', () => {
    const old = Buffer.alloc(18);
    old.writeUInt8(1, 0);
    old.writeUInt8(0b01, 1);
    old.writeUInt32LE(20_000, 2);
    old.writeUInt32LE(20_001, 6);
    old.writeDoubleLE(0.75, 10);
    expect(decodeEntry(old)).toEqual({ scores: { label: 'POSITIVE', positive: 0.75, negative: 0.25 }, writtenDay: 20_000, usedDay: 20_001 });
  });

  it('uses a 32-byte key whatever the text, and the model id is part of it', () => {
    expect(cacheKey(MODEL, 'x'.repeat(1_000_000)).length).toBe(32);
    expect(cacheKey(MODEL, '').length).toBe(32);
    expect(cacheKey('a', 'b\0c').equals(cacheKey('a\0b', 'c'))).toBe(true); // the documented separator
    expect(cacheKey('m1', 'text').equals(cacheKey('m2', 'text'))).toBe(false);
  });

  // A JSONL "\udfff\ud800" (a pair cut apart, or written in the wrong order) is a text of its own, scored otherwise
  // than U+FFFD twice; hashed as UTF-8 the two had one key, and a cache hit served one's answer for the other.
  it('keys a text holding a lone surrogate apart from its U+FFFD twin, and a well-formed text as before', () => {
    expect(cacheKey(MODEL, 'bad \udfff\ud800').equals(cacheKey(MODEL, 'bad \ufffd\ufffd'))).toBe(false);
    expect(cacheKey(MODEL, 'bad \ud83d').equals(cacheKey(MODEL, 'bad \ufffd'))).toBe(false);
    expect(cacheKey(MODEL, 'bad \ud83d').equals(cacheKey(MODEL, 'bad \udc00'))).toBe(false);
    expect(cacheKey(MODEL, 'a \ud83d b').equals(cacheKey(MODEL, 'a \ud83d b'))).toBe(true);
    // Unchanged for every well-formed text (an astral pair included): a cache written earlier is still hit.
    for (const text of ['great', '😀 Café 日本語', '\ufffd', '']) {
      expect(cacheKey(MODEL, text).equals(createHash('sha256').update(`${MODEL}\0${text}`, 'utf8').digest())).toBe(true);
    }
  });
});

describe('ResultCache', () => {
  it('returns exactly what was put, before and after a reopen', async () => {
    const dir = tempDir();
    const cache = ResultCache.open(dir);
    SAMPLES.forEach((scores, i) => cache.put(MODEL, `review ${i}`, scores));
    // Visible at once, before any commit.
    SAMPLES.forEach((scores, i) => expectSameBits(cache.get(MODEL, `review ${i}`), scores));
    await cache.close();

    const again = ResultCache.open(dir);
    SAMPLES.forEach((scores, i) => expectSameBits(again.get(MODEL, `review ${i}`), scores));
    expect(again.get(MODEL, 'never stored')).toBeUndefined();
    expect(again.get('embedded:other-model', 'review 0')).toBeUndefined();
    expect(again.stats()).toMatchObject({ hits: SAMPLES.length, misses: 2, entries: SAMPLES.length });
    await again.close();
  });

  it('opens a directory whose name has a dot', async () => {
    const dir = path.join(tempDir(), 'reviews.cache');
    const cache = ResultCache.open(dir);
    cache.put(MODEL, 'x', SAMPLES[0] as Scores);
    await cache.close();
    const again = ResultCache.open(dir);
    expectSameBits(again.get(MODEL, 'x'), SAMPLES[0] as Scores);
    await again.close();
  });

  it('keeps a note beside the results across a reopen, apart from them (the model <output>.answers holds answers of)', async () => {
    const dir = tempDir();
    const cache = ResultCache.open(dir);
    expect(cache.note('model')).toBeUndefined();
    cache.setNote('model', MODEL);
    cache.put(MODEL, 'x', SAMPLES[0] as Scores);
    await cache.close();
    const again = ResultCache.open(dir);
    expect(again.note('model')).toBe(MODEL);
    expect(again.stats().entries).toBe(1);
    await again.close();
  });

  it('stores huge and odd texts under fixed-size keys', async () => {
    const cache = ResultCache.open(tempDir());
    const texts = ['', '\0', 'x'.repeat(2_000_000), '😀 Café 日本語', 'line\r\nbreak'];
    texts.forEach((text, i) => cache.put(MODEL, text, SAMPLES[i] ?? toScores(1, 1)));
    await cache.flush();
    texts.forEach((text, i) => expectSameBits(cache.get(MODEL, text), SAMPLES[i] ?? toScores(1, 1)));
    await cache.close();
  });

  it('ignores entries past the maximum age and deletes them at open', async () => {
    const dir = tempDir();
    let now = 20_000 * DAY_MS;
    const cache = ResultCache.open(dir, { now: () => now });
    cache.put(MODEL, 'old', SAMPLES[0] as Scores);
    now += 10 * DAY_MS;
    cache.put(MODEL, 'recent', SAMPLES[1] as Scores);
    await cache.close();

    now += 30 * DAY_MS; // 'old' is 40 days old, 'recent' 30
    const reader = ResultCache.open(dir, { maxAgeDays: 30, now: () => now });
    expect(reader.get(MODEL, 'old')).toBeUndefined();
    expectSameBits(reader.get(MODEL, 'recent'), SAMPLES[1] as Scores);
    expect(reader.stats()).toMatchObject({ evicted: 1, entries: 1, hits: 1, misses: 1 });
    now += DAY_MS; // 'recent' turns 31 days old while the cache is open
    expect(reader.get(MODEL, 'recent')).toBeUndefined();
    expect(reader.stats().expired).toBe(1);
    expect(await reader.prune()).toEqual({ removed: 1 });
    expect(reader.stats().entries).toBe(0);
    await reader.close();
  });

  it('scans for expired entries in bounded steps that resume and cover the store', async () => {
    const dir = tempDir();
    let now = 20_000 * DAY_MS;
    const cache = ResultCache.open(dir, { now: () => now });
    for (let i = 0; i < 35; i++) cache.put(MODEL, `t${i}`, SAMPLES[0] as Scores);
    await cache.close();
    now += 100 * DAY_MS;

    const root = open({ path: dir, maxDbs: 4 });
    const db = root.openDB<Buffer, Buffer>({ name: 'results', encoding: 'binary', keyEncoding: 'binary' });
    let after: Buffer | undefined;
    const removedPerStep: number[] = [];
    do {
      const step = removeExpired(db, { today: now / DAY_MS, maxAgeDays: 30, after, limit: 10 });
      removedPerStep.push(step.removed);
      after = step.resumeAfter;
    } while (after !== undefined && removedPerStep.length < 10);
    expect(removedPerStep).toEqual([10, 10, 10, 5]);
    expect((db.getStats() as { entryCount: number }).entryCount).toBe(0);
    await root.close();
  });

  it('evicts the least recently written entries down to 90 % of maxEntries', async () => {
    const dir = tempDir();
    let now = 20_000 * DAY_MS;
    const cache = ResultCache.open(dir, { now: () => now });
    for (let i = 0; i < 200; i++) {
      if (i % 20 === 0) now += DAY_MS; // 10 days, 20 entries each
      cache.put(MODEL, `t${i}`, SAMPLES[i % SAMPLES.length] as Scores);
    }
    await cache.close();

    const bounded = ResultCache.open(dir, { maxEntries: 100, now: () => now });
    expect(bounded.stats()).toMatchObject({ entries: 90, evicted: 110 });
    // All of the 5 newest days survive, and none of the 5 oldest.
    for (let i = 0; i < 100; i++) expect(bounded.get(MODEL, `t${i}`)).toBeUndefined();
    for (let i = 120; i < 200; i++) expect(bounded.get(MODEL, `t${i}`)).toBeDefined();
    await bounded.close();
  });

  it('evicts by last use: an old entry still being hit survives, the untouched go', async () => {
    const dir = tempDir();
    let now = 20_000 * DAY_MS;
    const writer = ResultCache.open(dir, { now: () => now });
    for (let i = 0; i < 100; i++) writer.put(MODEL, `old ${i}`, SAMPLES[0] as Scores);
    now += 10 * DAY_MS;
    // Ten days later: the first 20 old entries are hit (a week or more since last use: touched).
    for (let i = 0; i < 20; i++) expect(writer.get(MODEL, `old ${i}`)).toBeDefined();
    for (let i = 0; i < 60; i++) writer.put(MODEL, `new ${i}`, SAMPLES[1] as Scores);
    expect(writer.stats()).toMatchObject({ touched: 20, hits: 20 });
    // A second hit the same day does not rewrite again.
    expect(writer.get(MODEL, 'old 0')).toBeDefined();
    expect(writer.stats().touched).toBe(20);
    await writer.close();

    const bounded = ResultCache.open(dir, { maxEntries: 100, now: () => now }); // 160 → 90 kept
    expect(bounded.stats()).toMatchObject({ entries: 90, evicted: 70 });
    for (let i = 0; i < 20; i++) expect(bounded.get(MODEL, `old ${i}`)).toBeDefined();
    for (let i = 0; i < 60; i++) expect(bounded.get(MODEL, `new ${i}`)).toBeDefined();
    await bounded.close();
  });

  it('treats an entry it cannot read as a miss', async () => {
    const dir = tempDir();
    const cache = ResultCache.open(dir);
    await cache.close();
    const root = open({ path: dir, maxDbs: 4 });
    const db = root.openDB<Buffer, Buffer>({ name: 'results', encoding: 'binary', keyEncoding: 'binary' });
    db.putSync(cacheKey(MODEL, 'garbled'), Buffer.from([9, 9, 9]));
    await root.close();
    const reader = ResultCache.open(dir);
    expect(reader.get(MODEL, 'garbled')).toBeUndefined();
    await reader.close();
  });

  it('refuses a cache written in another format', async () => {
    const dir = tempDir();
    await ResultCache.open(dir).close();
    const root = open({ path: dir, maxDbs: 4 });
    root.openDB<Buffer, Buffer>({ name: 'meta', encoding: 'binary', keyEncoding: 'binary' }).putSync(Buffer.from('format'), Buffer.from([2]));
    await root.close();
    expect(() => ResultCache.open(dir)).toThrow(/has format 2, this version reads format 1/);
  });

  it('explains a bad path or bad options', () => {
    const file = path.join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    expect(() => ResultCache.open(file)).toThrow(CacheError);
    const junk = tempDir();
    writeFileSync(path.join(junk, 'data.mdb'), Buffer.alloc(8192)); // zeroed, as after a disk failure
    expect(() => ResultCache.open(junk)).toThrow(/data.mdb is not an LMDB file .* delete this one/);
    expect(() => ResultCache.open(tempDir(), { maxAgeDays: -1 })).toThrow(/whole number of days .* got -1/);
    expect(() => ResultCache.open(tempDir(), { maxEntries: 0 })).toThrow(/positive integer, got 0/);
  });

  it('refuses non-finite scores and use after close', async () => {
    const cache = ResultCache.open(tempDir());
    expect(() => cache.put(MODEL, 'x', { label: 'POSITIVE', positive: NaN, negative: 0 })).toThrow(CacheError);
    await cache.close();
    await cache.close(); // idempotent
    expect(() => cache.get(MODEL, 'x')).toThrow(/closed/);
  });
});
