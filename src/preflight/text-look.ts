import { htmlTextWarning } from './html-text.js';
import { nullWordWarning } from './null-words.js';
import { otherLanguageWarning } from './other-language.js';

/**
 * What the first texts look like that the job would score as written though the export meant something else: HTML
 * (html-text.ts), a missing value written as a word (null-words.ts), reviews in another language than the models read
 * (other-language.ts). One warn line each; CSV and JSONL alike.
 */
export function textLookWarnings(texts: readonly string[], subject: string, names: readonly string[]): string[] {
  const lines = [
    htmlTextWarning(texts, subject),
    nullWordWarning(texts, subject, names.length === 1 ? names[0] : undefined),
    otherLanguageWarning(texts, subject),
  ];
  return lines.filter((line): line is string => line !== undefined);
}
