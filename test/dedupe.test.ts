import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Dedupe, dedupeKey, LONG_TEXT_KEY, LongTextKey, type RowResult } from '../src/job/dedupe.js';
import type { Outcome } from '../src/io/record.js';

describe('Dedupe', () => {
  it('a tracked answer that rejects is forgotten, not left as an unhandled rejection', async () => {
    const dedupe = new Dedupe();
    const rejected = Promise.reject(new Error('a bug'));
    // The pipeline handles the row's own promise; the dedupe's wait on it must not be a second, unhandled one.
    rejected.catch(() => {});
    dedupe.track('same', rejected as Promise<RowResult>);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(dedupe.lookup('same')).toBeUndefined();
  });

  // A text over LONG_TEXT_KEY characters is kept by its digest: still a duplicate of the same text, never of another.
  it('long texts: the same one is a duplicate, another of the same length is not', async () => {
    const dedupe = new Dedupe();
    const long = (letter: string) => `${letter}${'x'.repeat(LONG_TEXT_KEY)}`;
    const answer = { kind: 'scored', scores: [] } as unknown as Outcome;
    dedupe.remember(long('a'), answer);
    expect(dedupe.lookup(long('a'))).toMatchObject({ kind: 'scored', duplicate: true });
    expect(dedupe.lookup(long('b'))).toBeUndefined();
    dedupe.track(long('c'), Promise.resolve(answer));
    expect(await dedupe.lookup(long('c'))).toMatchObject({ kind: 'scored', duplicate: true });
    expect(dedupe.settled(long('c'))).toMatchObject({ kind: 'scored' });
  });

  // A long text holding a lone surrogate and its U+FFFD twin (same length too) are two texts: never one's duplicate.
  it('long texts: a lone surrogate and U+FFFD in its place are not duplicates', () => {
    const dedupe = new Dedupe();
    const answer = { kind: 'scored', scores: [] } as unknown as Outcome;
    dedupe.remember(`bad \udfff\ud800${'x'.repeat(LONG_TEXT_KEY)}`, answer);
    expect(dedupe.lookup(`bad \ufffd\ufffd${'x'.repeat(LONG_TEXT_KEY)}`)).toBeUndefined();
    expect(dedupe.lookup(`bad \udfff\ud800${'x'.repeat(LONG_TEXT_KEY)}`)).toMatchObject({ kind: 'scored', duplicate: true });
  });

  // A short text can spell out what a long text's digest key would be; it must still be a text of its own.
  it("a short text written as a long text's digest key is not that text's duplicate, nor the other way", async () => {
    const dedupe = new Dedupe();
    const long = `a${'x'.repeat(LONG_TEXT_KEY)}`;
    const forged = `\u0000${long.length}:${createHash('sha256').update(long).digest('base64')}`;
    expect(forged.length).toBeLessThanOrEqual(LONG_TEXT_KEY);
    const answer = { kind: 'scored', scores: [] } as unknown as Outcome;
    dedupe.remember(long, answer);
    expect(dedupe.lookup(forged)).toBeUndefined();
    expect(dedupe.settled(forged)).toBeUndefined();
    const other = new Dedupe();
    other.track(forged, Promise.resolve(answer));
    expect(other.lookup(long)).toBeUndefined();
    await Promise.resolve();
    expect(other.settled(long)).toBeUndefined();
    expect(other.settled(forged)).toMatchObject({ kind: 'scored' });
  });

  // A row hashes its long text once (row-scorer.ts): the key dedupeKey makes stands for the text in every call.
  it('dedupeKey: a short text is its own key; a long one\'s key answers for the text, and the text for the key', async () => {
    expect(dedupeKey('short text')).toBe('short text');
    const long = `k${'x'.repeat(LONG_TEXT_KEY)}`;
    const key = dedupeKey(long);
    expect(key).toBeInstanceOf(LongTextKey);
    expect(key).toEqual(dedupeKey(long));
    const answer = { kind: 'scored', scores: [] } as unknown as Outcome;
    const dedupe = new Dedupe();
    dedupe.track(key, Promise.resolve(answer));
    expect(await dedupe.lookup(long)).toMatchObject({ kind: 'scored', duplicate: true });
    expect(dedupe.settled(key)).toMatchObject({ kind: 'scored', duplicate: true });
    dedupe.remember(`m${'x'.repeat(LONG_TEXT_KEY)}`, answer);
    expect(dedupe.lookup(dedupeKey(`m${'x'.repeat(LONG_TEXT_KEY)}`))).toMatchObject({ kind: 'scored', duplicate: true });
    expect(dedupe.lookup(dedupeKey(`n${'x'.repeat(LONG_TEXT_KEY)}`))).toBeUndefined();
  });
});
