// The start-up checks on the first texts (another language, a font generator's letters) look at each text's first
// LOOKED_AT_CHARACTERS only: run on whole texts of up to 16 MiB, they held about 160 MB per text and took seconds each.
import { describe, expect, it } from 'vitest';
import { looksOtherLanguage, otherLanguageWarning } from '../src/preflight/other-language.js';

// sampled-share.ts's LOOKED_AT_CHARACTERS, written out: a test of the bound it sets.
const LOOKED_AT_CHARACTERS = 10_000;

describe('the language check on a long text', () => {
  // English for the first LOOKED_AT_CHARACTERS, German for 40 times as long after it.
  const english = 'The phone is great and the battery lasts all day. '.repeat(Math.ceil(LOOKED_AT_CHARACTERS / 50)).slice(0, LOOKED_AT_CHARACTERS);
  const long = `${english}${'Das Handy ist sehr gut und der Akku hält den ganzen Tag. '.repeat(LOOKED_AT_CHARACTERS / 50 * 40)}`;

  it('judges it by its first characters: an English start is English, whatever follows', () => {
    expect(looksOtherLanguage(long)).toBe(true); // as a whole, it is mostly German
    expect(otherLanguageWarning([long], "the column 'review'")).toBeUndefined();
  });

  it('a German start is still told, and quoted from its start', () => {
    const german = `${'Das Handy ist sehr gut und der Akku hält den ganzen Tag. '.repeat(400)}${english.repeat(40)}`;
    expect(otherLanguageWarning([german], "the column 'review'")).toContain("in 1 of the first 1 texts ('Das Handy ist sehr gut");
  });
});
