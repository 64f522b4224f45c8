import type { Figures } from './figures.js';
import { copyOfSentence } from './copy-words.js';
import { blankRowsSentence } from './blank-rows.js';
import { baseName, count } from './html-text.js';
import { REPORT_ROW_CODES } from './row-outcome.js';
import { numberOnlySentence } from '../scoring/number-only-text.js';
import { otherLanguageSentence } from './other-language.js';

/** What each code the report gives a row means: the file holds cells score does not write. */
const MEANING: Record<string, { one: string; many: string }> = {
  [REPORT_ROW_CODES.badScore]: {
    one: 'has a label other than POSITIVE or NEGATIVE or a positive score that is not a number from 0 to 1',
    many: 'have a label other than POSITIVE or NEGATIVE or a positive score that is not a number from 0 to 1',
  },
  [REPORT_ROW_CODES.notScored]: { one: 'has neither a label nor an error code', many: 'have neither a label nor an error code' },
};

/**
 * One sentence per code the report gave rows whose answer is not as score writes it (a label edited to MAYBE, a score
 * made text, a row added by hand): counted as failed, though no run failed them, so the user is told which rows and why.
 */
export function unreadAnswerSentences(figures: Figures): string[] {
  return (figures.unreadAnswers ?? []).map(({ code, rows, firstRow }) => {
    const meaning = MEANING[code] ?? { one: 'has an answer', many: 'have answers' };
    const where = rows === 1 ? `1 row (row ${count(firstRow)}) ${meaning.one}` : `${count(rows)} rows (the first: row ${count(firstRow)}) ${meaning.many}`;
    return `${code}: ${where}, not as score writes ${rows === 1 ? 'it' : 'them'}: counted as failed; the file was edited after the run, or not written by score`;
  });
}

/**
 * A file with another number of rows than its run wrote (rows removed, added or repeated by hand, or another file put
 * in its place): the page's run figures are of the file as written, not of this one.
 */
export function changedSinceRunSentence(figures: Figures): string | undefined {
  const changed = figures.changedSinceRun;
  if (changed === undefined || figures.run === null) return undefined;
  const source = baseName(figures.run.source);
  return `This file has ${count(changed.fileRows)} row${changed.fileRows === 1 ? '' : 's'}, and the run that wrote it wrote ${count(changed.runRows)} (${source}): it was changed after the run (rows removed, added or repeated), and the run's figures are of the file as written`;
}

/**
 * Scored rows whose text is only a number (scoring/number-only-text.ts), said as the run's summary says them; `examples`:
 * the page lists examples, and says they leave such rows out.
 */
export function numberOnlyReportSentence(figures: Figures, examples: boolean): string | undefined {
  if (figures.numberOnly === undefined) return undefined;
  const sentence = numberOnlySentence(figures.numberOnly);
  return examples ? `${sentence}, and the examples below leave ${figures.numberOnly.rows === 1 ? 'it' : 'them'} out` : sentence;
}

/** The same, as lines under the report command's headline, after what the file stands for when it is no job's output itself. */
export function unreadAnswerLines(figures: Figures): string {
  return [copyOfSentence(figures), changedSinceRunSentence(figures), ...unreadAnswerSentences(figures), blankRowsSentence(figures), numberOnlyReportSentence(figures, false), otherLanguageSentence(figures.otherLanguage)]
    .filter((sentence) => sentence !== undefined)
    .map((sentence) => `  ${sentence}\n`)
    .join('');
}
