import { describe, expect, it } from 'vitest';
import { looksStyledLetters, styledLettersWarning } from '../src/preflight/styled-letters.js';
import { textLookWarnings } from '../src/preflight/text-look.js';

// Bold or italic text pasted from a font generator (Unicode's mathematical alphabets) is English in another font. It
// was counted as another language and told to translate; neither model reads those letters as the letters they look
// like (the embedded model called '𝐓𝐞𝐫𝐫𝐢𝐛𝐥𝐞 𝐚𝐩𝐩' POSITIVE, 0.58), so the warning says that, and how to read them.
describe('reviews written in mathematical (font-generator) letters', () => {
  it('tells such texts from plain ones, whatever language they spell', () => {
    for (const text of ['𝐆𝐫𝐞𝐚𝐭 𝐚𝐩𝐩', '𝘓𝘰𝘷𝘦 𝘪𝘵, 𝘵𝘩𝘦 𝘣𝘦𝘴𝘵 𝘢𝘱𝘱 🔥', '𝙏𝙚𝙧𝙧𝙞𝙗𝙡𝙚 app']) expect(looksStyledLetters(text), text).toBe(true);
    for (const text of ['Great app', 'The 𝐛𝐞𝐬𝐭 app I have used this year', '𝑥² + 1', '', '5/5']) expect(looksStyledLetters(text), text).toBe(false);
  });

  it('counts letters only, and a word of two such letters at least: digits and a formula\'s variables are no styled words', () => {
    // Mathematical digits (U+1D7CE–1D7FF) were counted as letters, and three one-letter variables made a formula styled.
    for (const text of ['𝟏𝟐𝟑', '𝟏𝟎/𝟏𝟎 stars', '𝑥² + 𝑦² = 𝑧²', '𝑎 + 𝑏 = 𝑐']) expect(looksStyledLetters(text), text).toBe(false);
    for (const text of ['𝟏𝟎/𝟏𝟎 𝐆𝐫𝐞𝐚𝐭', '𝐎𝐊 𝐚𝐩𝐩']) expect(looksStyledLetters(text), text).toBe(true);
  });

  it('says so at one text in ten, with the way to read them; the language warning does not take them for another language', () => {
    const english = Array.from({ length: 9 }, (_, i) => `Review ${i}: the sound is great and the battery lasts.`);
    const line = styledLettersWarning(['𝐆𝐫𝐞𝐚𝐭 𝐚𝐩𝐩', ...english], "--text-column 'review'");
    expect(line).toBe(
      "--text-column 'review' is written in Unicode's mathematical letters (bold or italic text from a font generator) in 1 of the first 10 texts ('𝐆𝐫𝐞𝐚𝐭 𝐚𝐩𝐩'): " +
        'neither model reads them as the letters they look like, so such a text gets a label from almost nothing; normalise the texts to NFKC ' +
        "before scoring (Python: unicodedata.normalize('NFKC', text)), which turns them into plain letters (docs/input-formats.md#letters-from-a-font-generator); " +
        'to score such texts as they are without this warning, run with --language-check off',
    );
    expect(styledLettersWarning(['𝐆𝐫𝐞𝐚𝐭 𝐚𝐩𝐩', ...english, 'One more English review here.'], 'x')).toBeUndefined();
    const looks = textLookWarnings(['𝐆𝐫𝐞𝐚𝐭 𝐚𝐩𝐩', ...english], "--text-column 'review'", ['review'], { billed: false, languageCheck: true });
    expect(looks.lines).toEqual([line]);
    expect(looks.styledLetters).toBe(line);
    expect(looks.otherLanguage).toBeUndefined();
    // Turned off with the language check (--language-check off).
    expect(textLookWarnings(['𝐆𝐫𝐞𝐚𝐭 𝐚𝐩𝐩', ...english], 'x', ['review'], { billed: false, languageCheck: false })).toEqual({ lines: [] });
  });
});
