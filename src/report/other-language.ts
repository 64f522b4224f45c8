import { looksOtherLanguage } from '../preflight/other-language.js';
import { LOOKED_AT_CHARACTERS, sampledShare } from '../preflight/sampled-share.js';
import { SAMPLE_RECORDS } from '../preflight/jsonl-sample.js';
import type { RunInfo } from './run-info.js';

/**
 * Reviews in another language than English, told on the page. score warns of them at start-up and on its summary's last
 * line, and the page repeats that line from a summary beside the file (run-info.ts), but the README's way, `score` then
 * `report`, leaves no summary (`--summary-json` is off by default) and a checkpoint keeps no warning: a Japanese and
 * Arabic app-store export's page said `positive 100.0 %` with no word of it. So, without a summary, the report checks the
 * first texts as score does (preflight/other-language.ts); with one, the run's own check (or its --language-check off) decides;
 * `report --language-check off` for a run scored so on purpose that kept no summary.
 */
export interface OtherLanguage {
  /** Texts among the first non-blank ones that look written in another language. */
  count: number;
  /** Non-blank texts looked at: those of the first SAMPLE_RECORDS rows. */
  of: number;
  /** The first of them, on one line, cut short. */
  first: string;
}

/** The texts of the first rows, as score samples them: only their first characters, which tell a language. */
export class FirstTexts {
  readonly texts: string[] = [];
  #rows = 0;

  add(text: string | undefined): void {
    if (this.#rows >= SAMPLE_RECORDS) return;
    this.#rows += 1;
    if (text !== undefined) this.texts.push(text.slice(0, LOOKED_AT_CHARACTERS));
  }
}

/** The figure, or undefined: below score's threshold (one in ten), or a run summary beside the file has the run's word. */
export function otherLanguageOf(first: FirstTexts, run: RunInfo | null, check: 'on' | 'off' = 'on'): OtherLanguage | undefined {
  if (check === 'off') return undefined;
  // A checkpoint's figures (`<output>.checkpoint.json`, no exit code) keep no warning; a summary's are the run's word.
  if (run !== null && !(run.exitCode === null && run.source.endsWith('.checkpoint.json'))) return undefined;
  return sampledShare(first.texts, looksOtherLanguage, 10);
}

/** One sentence for the page and the report command's standard error. */
export function otherLanguageSentence(found: OtherLanguage | undefined): string | undefined {
  if (found === undefined) return undefined;
  return (
    `${found.count} of the first ${found.of} texts ${found.count === 1 ? 'looks' : 'look'} written in another language than English ('${found.first}'): both models read ` +
    'English only and label such a text from the few words it shares with English, often wrongly, so the figures count labels ' +
    'that may be wrong (docs/input-formats.md#reviews-in-other-languages)'
  );
}
