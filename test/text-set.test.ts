import { describe, expect, it } from 'vitest';
import type { InputRecord } from '../src/io/record.js';
import { LONG_TEXT_KEY } from '../src/job/dedupe.js';
import { textsToScore } from '../src/job/old-output-answers.js';
import { TextSet } from '../src/job/text-set.js';

/**
 * The texts an old output's answers are looked for by (old-output-answers.ts): a text over LONG_TEXT_KEY characters is
 * held by its digest, found by the same text and counted by its digest's length toward the 16 MiB bound, so a long
 * export's texts are all looked for, not left to be sent again.
 */
describe('a set of texts held as the in-run dedupe holds them', () => {
  it('finds and deletes each text at, past and under LONG_TEXT_KEY characters by the same text', () => {
    const texts = ['short', 'a'.repeat(LONG_TEXT_KEY), 'b'.repeat(LONG_TEXT_KEY + 1)];
    const set = new TextSet();
    for (const text of texts) set.add(text);
    expect(set.size).toBe(3);
    for (const text of texts) expect(set.has(text)).toBe(true);
    expect(set.has('c'.repeat(LONG_TEXT_KEY + 1))).toBe(false);
    for (const text of texts) expect(set.delete(text)).toBe(true);
    expect(set.size).toBe(0);
  });

  it('textsToScore: 20 MiB of long texts are all held, each counted by its digest, not its own length', async () => {
    const long = (i: number): string => `${i} ${'x'.repeat(4 * 1024 * 1024)}`;
    const records = async function* (): AsyncGenerator<InputRecord> {
      for (let index = 0; index < 5; index++) yield { index, byteEnd: 0, raw: '', text: { ok: true, value: long(index) } };
    };
    const read = await textsToScore({ quietRecords: records }, 0, 0, () => false);
    expect(read?.whole).toBe(true);
    expect(read?.texts.size).toBe(5);
    expect(read?.texts.has(long(4))).toBe(true);
  });

  // Counted by its digest, not for nothing: at the 16 MiB bound, a long text's ~50 characters are what tips it.
  it('textsToScore: a long text counts its digest toward the 16 MiB bound', async () => {
    // 4,095 distinct texts of 4,096 characters: 4,096 characters short of 16 MiB.
    const short = (i: number): string => `${i}`.padStart(LONG_TEXT_KEY, 'x');
    const values = [...Array.from({ length: 4_095 }, (_, i) => short(i)), 'y'.repeat(LONG_TEXT_KEY + 1), short(4_095)];
    const records = async function* (): AsyncGenerator<InputRecord> {
      for (const [index, value] of values.entries()) yield { index, byteEnd: 0, raw: '', text: { ok: true, value } };
    };
    const read = await textsToScore({ quietRecords: records }, 0, 0, () => false);
    expect(read?.whole).toBe(false);
    expect(read?.texts.size).toBe(4_096);
    expect(read?.texts.has(short(4_095))).toBe(false);
  });
});
