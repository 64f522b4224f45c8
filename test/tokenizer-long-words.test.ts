/**
 * Long words: a word the library reads as one [UNK] for its length is replaced
 * by a short one before the library sees the text (src/tokenizer/long-words.ts).
 * Checked here against the library itself, reading every word whole: counts,
 * ids and cuts identical on generated hostile texts, and the splitters of
 * boundaries.ts exactly the code points the normalizer + pre-tokenizer split at.
 */
import { describe, it } from 'vitest';

import { createRng } from '../src/model/rng.js';
import { expectSameAsWhole, hostileText } from './support/hostile-words.js';

describe('long words: the same tokens as the library reading them whole', () => {
  it.each([
    ['a letter and 1,000 combining accents: one character, not an [UNK]', `a${'\u0301'.repeat(1000)} great`],
    ['only combining accents: no token at all', `${'\u0301'.repeat(5000)} great`],
    ['99 letters among 500 dropped format characters', `${'x\u200B'.repeat(99)}${'\u200B'.repeat(400)}`],
    ['101 letters among them: an [UNK]', `${'x\u200B'.repeat(101)}${'\u200B'.repeat(400)}`],
    ['accents around the class-0 mark U+034F, which is kept: NFD sorts each run on its side', `a\u{1D16D}${'\u0301'.repeat(300)}\u034F\u{1D165}${'\u0301'.repeat(300)}\u{1D165}\u034F\u{1D16D}`],
    ['many U+034F between accents: the run cut to one', `x${'\u0301\u034F'.repeat(400)}`],
    ['U+034F runs between spacing marks of classes 226 and 216, which NFD sorts within each stretch', `a${'\u{1D16D}\u034F\u034F\u{1D165}\u0301'.repeat(30)}${'\u034F'.repeat(300)}\u{1D165}\u{1D16D}`],
    ['halves of a surrogate pair apart, a control character between them: no pair forms', `x${'\uD83D\u0007\uDE00'.repeat(300)}`],
    ['U+0345 and ᾼ among accents', `a${'\u0345\u0301'.repeat(200)}ᾼ${'\u0301'.repeat(200)}`],
    ['class-1 overlays (U+0334) among accents and letters', `a${'\u0334\u0301'.repeat(300)}b${'\u0334'.repeat(300)}`],
    ['300 Hangul syllables', '한'.repeat(300)],
    ['300 İ, lower-cased to i and a dropped mark', 'İ'.repeat(300)],
    ['300 capital sigmas', 'Σ'.repeat(300)],
    ['lone surrogates only: dropped', `${'\uD800'.repeat(600)} good`],
    ['a surrogate pair across the 1,024-unit slice', `${'\u0301'.repeat(1023)}${'😀'.repeat(60)}`],
    ['long runs split by symbols NFD makes punctuation', `${'x'.repeat(300)}≠${'y'.repeat(50)}\u1FEF${'z'.repeat(400)}≮ok≯`],
    ['added tokens between long runs', `[UNK]${'x'.repeat(300)}[CLS]${'y'.repeat(300)}[SEP]`],
    ['a long run with punctuation every few letters: many words', 'good.bad,'.repeat(2000)],
    ['the mem1 repro, shortened', `great day number 3 ${'x'.repeat(200_000)}`],
  ])('%s', (_what, text) => {
    expectSameAsWhole(text);
  });

  it('generated hostile texts: counts, ids and cuts identical (40 texts; 400 more in the slow tier)', () => {
    const next = createRng(20261206);
    for (let i = 0; i < 40; i += 1) {
      const text = hostileText(next);
      try {
        expectSameAsWhole(text);
      } catch (error) {
        throw new Error(`text ${i} (${text.length} units, ${JSON.stringify(text.slice(0, 80))}…) differs`, { cause: error });
      }
    }
  });
});
