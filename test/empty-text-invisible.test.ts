import { describe, expect, it } from 'vitest';
import { planRow } from '../src/job/row-plan.js';

// A review of only a zero-width space (pasted from a web form, a chat app) was "non-empty": sent to Workers AI (a
// request, 2 tokens: [CLS] [SEP], as the tokenizer drops the character) or scored by the embedded model at its prior,
// POSITIVE 0.557, where a review of spaces is skipped as empty_text. Invisible format characters now count as white space.
describe('a text of only invisible characters', () => {
  it('is empty, as one of only white space is', () => {
    for (const text of ['\u200b', '\u200b\u200b ', '\u200c\u200d', '\u2060', '\u00ad', '\u200e\u200f', '\ufeff', ' \u0085 ']) {
      expect(planRow(text, undefined, 'truncate').kind, JSON.stringify(text)).toBe('empty');
    }
  });

  it('a text with anything visible is sent', () => {
    for (const text of ['ok\u200b', '\u200bgreat', '👨\u200d👩\u200d👧', '👎', '.']) {
      expect(planRow(text, undefined, 'truncate').kind, JSON.stringify(text)).toBe('send');
    }
  });
});
