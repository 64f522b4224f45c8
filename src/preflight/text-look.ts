import { formulaErrorWarning } from './formula-errors.js';
import { htmlTextWarning } from './html-text.js';
import { nullWordWarning } from './null-words.js';
import { otherLanguageWarning } from './other-language.js';
import { qualtricsRowsWarning } from './qualtrics-rows.js';
import { styledLettersWarning } from './styled-letters.js';

/**
 * What the first texts look like that the job would score as written though the export meant something else: HTML
 * (html-text.ts), a missing value written as a word (null-words.ts), a spreadsheet formula's error (formula-errors.ts), Qualtrics' extra header rows (qualtrics-rows.ts), reviews in another language than the models read
 * (other-language.ts), letters from a font generator (styled-letters.ts). One warn line each; CSV and JSONL alike.
 * `billed`: the job's backend is Workers AI, which bills what is sent. `languageCheck` false (--language-check off): no
 * language warning, for an export scored mixed-language on purpose, nor one of font-generator letters (a script the
 * models do not read, as another language); `turnOff`: the warnings' way to that. Those two are also returned on their
 * own: the summary ends with one (`warning`), as the run's labels are the ones they are about, and a scheduler reads the
 * summary (the font generator's was said at start-up only, and not turned off with the language's).
 */
export function textLookWarnings(
  texts: readonly string[],
  subject: string,
  names: readonly string[],
  { billed, languageCheck, turnOff }: { billed: boolean; languageCheck: boolean; turnOff?: string },
): { lines: string[]; otherLanguage?: string; styledLetters?: string } {
  const otherLanguage = languageCheck ? otherLanguageWarning(texts, subject, turnOff) : undefined;
  const styledLetters = languageCheck ? styledLettersWarning(texts, subject, turnOff) : undefined;
  const lines = [htmlTextWarning(texts, subject, billed), nullWordWarning(texts, subject, billed, names.length === 1 ? names[0] : undefined), formulaErrorWarning(texts, subject, billed), qualtricsRowsWarning(texts, subject, billed), otherLanguage, styledLetters];
  return { lines: lines.filter((line): line is string => line !== undefined), ...(otherLanguage !== undefined ? { otherLanguage } : {}), ...(styledLetters !== undefined ? { styledLetters } : {}) };
}
