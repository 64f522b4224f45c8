import { htmlTextWarning } from './html-text.js';
import { nullWordWarning } from './null-words.js';
import { otherLanguageWarning } from './other-language.js';
import { styledLettersWarning } from './styled-letters.js';

/**
 * What the first texts look like that the job would score as written though the export meant something else: HTML
 * (html-text.ts), a missing value written as a word (null-words.ts), reviews in another language than the models read
 * (other-language.ts), letters from a font generator (styled-letters.ts). One warn line each; CSV and JSONL alike.
 * `billed`: the job's backend is Workers AI, which bills what is sent. `languageCheck` false (--language-check off): no
 * language warning, for an export scored mixed-language on purpose; `turnOff`: the warning's way to that. The language's is also returned on its own: the
 * summary ends with it (`warning`), as the run's labels are the ones it is about, and a scheduler reads the summary.
 */
export function textLookWarnings(
  texts: readonly string[],
  subject: string,
  names: readonly string[],
  { billed, languageCheck, turnOff }: { billed: boolean; languageCheck: boolean; turnOff?: string },
): { lines: string[]; otherLanguage?: string } {
  const otherLanguage = languageCheck ? otherLanguageWarning(texts, subject, turnOff) : undefined;
  const lines = [htmlTextWarning(texts, subject, billed), nullWordWarning(texts, subject, billed, names.length === 1 ? names[0] : undefined), otherLanguage, styledLettersWarning(texts, subject)];
  return { lines: lines.filter((line): line is string => line !== undefined), ...(otherLanguage !== undefined ? { otherLanguage } : {}) };
}
