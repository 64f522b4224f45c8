/**
 * The start-up warnings on the texts a job would score as written (HTML, NULL words, another language…), said alike for
 * a CSV column and a JSONL field (source.ts, jsonl-source.ts), and the way past the refusal of a column of numbers.
 */
import type { JobSettings } from '../config/options.js';
import { jobFileChange, switchOnAdvice, textNamed } from '../config/setting-names.js';
import { textLookWarnings, type TextLooks } from '../preflight/text-look.js';
import { textSubject } from '../wording/text-subject.js';
import { chooseBackend } from './backend.js';
import type { SummaryLooks } from './source.js';

/** The way past the refusal of a text column of numbers or codes, for one that really is the reviews ('gr8', 'v2.1'). */
export function allowNumericTextAdvice(settings: JobSettings): string {
  return switchOnAdvice(settings, 'allowNumericText', '--allow-numeric-text');
}

/** How the start-up warnings on the texts are said: the language check on unless turned off, and how to turn it off. */
function textLookSettings(settings: JobSettings): { billed: boolean; languageCheck: boolean; turnOff: string } {
  const turnOff = jobFileChange(settings, 'languageCheck')?.('off') ?? 'run with --language-check off';
  return { billed: billedBackend(settings), languageCheck: settings.languageCheck !== 'off', turnOff };
}

/**
 * Whether the job's backend bills what it sends (Workers AI), for the start-up warnings on texts scored as written: the
 * embedded and local models bill nothing. The choice a run makes (backend.ts; estimate prices the same one).
 */
function billedBackend(settings: JobSettings): boolean {
  return chooseBackend(settings, { sendsNothing: true }).backend === 'workers-ai';
}

/**
 * Says what the first texts look like that the job would score as written (text-look.ts: HTML, NULL words, another
 * language), one warn line each, for a CSV column and a JSONL field alike. Returns the subject the lines name the text by
 * (the CSV's \N warning names it too) and the language warning, which the summary says again. `jsonl`: a JSONL field's
 * texts, with the records read for them (those without text included), which its missing-value warning counts.
 */
export function warnTextLooks(settings: JobSettings, texts: readonly string[], text: readonly string[], jsonl: { records: number } | undefined, warn: (line: string) => void): TextLooks & { subject: string } {
  const subject = textSubject(text, textNamed(settings, jsonl !== undefined), jsonl !== undefined, { at: 'head' });
  const looks = textLookWarnings(texts, subject, text, { ...textLookSettings(settings), ...(jsonl !== undefined ? { jsonl } : {}) });
  looks.lines.forEach((line) => warn(line));
  return { ...looks, subject };
}

/** The warnings on what the texts look like that the summary says again (completed-pass-summary.ts), as Source holds them. */
export function textLookSummary(looks: TextLooks | undefined): SummaryLooks {
  return {
    ...(looks?.formulaErrors !== undefined ? { formulaErrorWarning: looks.formulaErrors } : {}),
    ...(looks?.qualtricsRows !== undefined ? { qualtricsRowsWarning: looks.qualtricsRows } : {}),
    ...(looks?.otherLanguage !== undefined ? { otherLanguageWarning: looks.otherLanguage } : {}),
    ...(looks?.styledLetters !== undefined ? { styledLettersWarning: looks.styledLetters } : {}),
  };
}
