import { describe, expect, it } from 'vitest';
import { htmlTextWarning } from '../src/preflight/html-text.js';
import { otherLanguageWarning } from '../src/preflight/other-language.js';

// The start-up lines show the first text they are about, cut at 80 UTF-16 units. An emoji (two units) across that cut
// was split: the line held a lone surrogate, written to the terminal as U+FFFD and to --summary-json as "\ud83d", which
// Python's json.loads reads and print() then refuses (UnicodeEncodeError: surrogates not allowed). An App Store review
// of Chinese text and 👍s (chatgpt-app-reviews.csv) is such a text.
/** No lone surrogate (String.prototype.isWellFormed is ES2024, past this project's lib). */
const wellFormed = (text: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('the text a start-up line shows is cut between characters', () => {
  const chinese = `${'这个产品很好'.repeat(13)}好👍👍👍`; // 79 units, then an emoji across the 80th

  it('the language warning', () => {
    const line = otherLanguageWarning([chinese], "--text-column 'review'")!;
    expect(wellFormed(line)).toBe(true);
    expect(line).toContain(`('${'这个产品很好'.repeat(13)}好…')`);
  });

  it('the HTML warning', () => {
    const html = `${'&amp;'.repeat(15)}abcd👍 more text here`; // 79 units, then an emoji
    const line = htmlTextWarning([html], "--text-column 'review'", false)!;
    expect(wellFormed(line)).toBe(true);
    expect(line).toContain(`('${'&amp;'.repeat(15)}abcd…')`);
  });

  it('a text of 80 units or fewer is shown whole, a longer one cut at 80', () => {
    const short = `${'这个产品很好'.repeat(13)}👍`; // 80 units
    expect(otherLanguageWarning([short], 'x')).toContain(`('${short}')`);
    expect(otherLanguageWarning([`${'这'.repeat(81)}`], 'x')).toContain(`('${'这'.repeat(80)}…')`);
  });
});
