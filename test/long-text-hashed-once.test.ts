import { describe, expect, it, vi } from 'vitest';
import type { InputRecord } from '../src/io/record.js';
import { LONG_TEXT_KEY } from '../src/job/dedupe.js';

// Counts the SHA-256 feeds of texts (every long text's key goes through it: dedupe.ts dedupeKey).
const feeds = vi.hoisted(() => ({ count: 0 }));
vi.mock('../src/state/text-digest.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/state/text-digest.js')>();
  return { ...real, updateWithText: (...args: Parameters<typeof real.updateWithText>) => ((feeds.count += 1), real.updateWithText(...args)) };
});

const { textsToScore } = await import('../src/job/old-output-answers.js');

/**
 * textsToScore (the texts an old output's answers are looked for by) hashes a text over LONG_TEXT_KEY characters once
 * for its row: review68 found three SHA-256s of each new long text (has, heldLength, add), 80 MB hashed 240 MB's worth.
 */
describe('textsToScore hashes each long text once', () => {
  it('three distinct long texts, one repeated: one hash a row', async () => {
    const long = (i: number): string => `${i} ${'x'.repeat(LONG_TEXT_KEY + 100)}`;
    const values = [long(0), long(1), long(2), long(1), 'short'];
    const records = async function* (): AsyncGenerator<InputRecord> {
      for (const [index, value] of values.entries()) yield { index, byteEnd: 0, raw: '', text: { ok: true, value } };
    };
    feeds.count = 0;
    const read = await textsToScore({ quietRecords: records }, 0, 0, () => false);
    expect(read?.texts.size).toBe(4);
    expect(read?.texts.has(long(2))).toBe(true);
    // 4 rows with a long text, and the look-up just above.
    expect(feeds.count).toBe(5);
  });
});
