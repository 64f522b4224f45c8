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
 * `billed`: the job's backend is Workers AI, which bills what is sent. `jsonl`: a JSONL field's texts, and the records
 * read for them (a record whose field is left out, or not text, has no text among them). `languageCheck` false (--language-check off): no
 * language warning, for an export scored mixed-language on purpose, nor one of font-generator letters (a script the
 * models do not read, as another language); `turnOff`: the warnings' way to that. Those two are also returned on their
 * own: the summary ends with one (`warning`), as the run's labels are the ones they are about, and a scheduler reads the
 * summary (the font generator's was said at start-up only, and not turned off with the language's). So are a formula's
 * errors and Qualtrics' header rows (`formulaErrors`, `qualtricsRows`): rows scored as reviews that no one wrote.
 */
export function textLookWarnings(
  texts: readonly string[],
  subject: string,
  names: readonly string[],
  { billed, languageCheck, turnOff, jsonl }: { billed: boolean; languageCheck: boolean; turnOff?: string; jsonl?: { records: number } },
): TextLooks {
  const formulaErrors = formulaErrorWarning(texts, subject, billed);
  const qualtricsRows = qualtricsRowsWarning(texts, subject, billed);
  const otherLanguage = languageCheck ? otherLanguageWarning(texts, subject, turnOff) : undefined;
  const styledLetters = languageCheck ? styledLettersWarning(texts, subject, turnOff) : undefined;
  const lines = [htmlTextWarning(texts, subject, billed), nullWordWarning(texts, subject, billed, names.length === 1 ? names[0] : undefined, jsonl), formulaErrors, qualtricsRows, otherLanguage, styledLetters];
  const said = { formulaErrors, qualtricsRows, otherLanguage, styledLetters };
  return {
    lines: lines.filter((line): line is string => line !== undefined),
    ...Object.fromEntries(Object.entries(said).filter(([, line]) => line !== undefined)),
  };
}

/** The start-up warning lines, and apart those the summary says again (each absent when it does not apply). */
export interface TextLooks {
  lines: string[];
  formulaErrors?: string;
  qualtricsRows?: string;
  otherLanguage?: string;
  styledLetters?: string;
}
