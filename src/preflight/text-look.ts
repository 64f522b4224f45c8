import { htmlTextWarning } from './html-text.js';
import { nullWordWarning } from './null-words.js';

/**
 * What the first texts look like that the job would score as written though the export meant something else: HTML
 * (html-text.ts), a missing value written as a word (null-words.ts). One warn line each; CSV and JSONL alike. `billed`:
 * the job's backend is Workers AI, which bills what is sent.
 */
export function textLookWarnings(texts: readonly string[], subject: string, names: readonly string[], billed: boolean): string[] {
  const lines = [htmlTextWarning(texts, subject, billed), nullWordWarning(texts, subject, billed, names.length === 1 ? names[0] : undefined)];
  return lines.filter((line): line is string => line !== undefined);
}
