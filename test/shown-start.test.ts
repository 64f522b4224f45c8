import { describe, expect, it } from 'vitest';
import { htmlTextWarning } from '../src/preflight/html-text.js';
import { otherLanguageWarning } from '../src/preflight/other-language.js';
import { delimiterHint } from '../src/report/columns.js';
import { shownShort } from '../src/config/export-as-job-file.js';
import { parseAnswer } from '../src/scoring/answer.js';
import { classifyTransportError, parseErrorEnvelope } from '../src/scoring/classify.js';

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

// The same cut in the other places that show the start of a text a person or a server wrote: a message on stderr, a
// failed row's error column (CSV and JSON Lines) and the summary. Each is given a text whose cut point falls inside
// an emoji, and must keep its whole first half out.
describe('other messages cut a text between characters', () => {
  const emojiAt = (units: number): string => `${'a'.repeat(units - 1)}👍👍 and more after it, well past any limit`;

  it("delimiterHint's column name", () => {
    const holder = `${'x'.repeat(59)};sentiment_label;${'y'.repeat(3)}👍👍 and more`; // the emoji across the 80th unit
    const line = delimiterHint([holder], 'sentiment_label');
    expect(wellFormed(line)).toBe(true);
    expect(line).toContain(`'${holder.slice(0, 79)}…'`);
  });

  it("a job file's value (shownShort)", () => {
    const shown = shownShort(emojiAt(80));
    expect(wellFormed(shown)).toBe(true);
    expect(shown).toBe(`${'a'.repeat(79)}…`);
  });

  it("a 2xx answer that is not JSON (parseAnswer's excerpt)", () => {
    let message = '';
    try {
      parseAnswer(emojiAt(80));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`"${'a'.repeat(79)}…"`);
    expect(message).not.toContain('\\ud83d');
  });

  it("a failure envelope's message and a non-JSON error body (classify.ts shorten)", () => {
    const envelope = parseErrorEnvelope(JSON.stringify({ success: false, errors: [{ code: 5006, message: emojiAt(299) }] }));
    expect(wellFormed(envelope.message!)).toBe(true);
    expect(envelope.message).toBe(`${'a'.repeat(298)}…`);
    const page = parseErrorEnvelope(emojiAt(159)).message!;
    expect(wellFormed(page)).toBe(true);
    expect(page).toBe(`${'a'.repeat(158)}…`);
  });

  it("a transport error's cause (classify.ts describeCause)", () => {
    const context = { timedOut: false, timeoutMs: 1000, aborted: false, phase: 'request' as const, origin: 'http://x' };
    const error = classifyTransportError(new Error(emojiAt(199)), context);
    expect(wellFormed(error.message)).toBe(true);
  });
});
