import { existsSync } from 'node:fs';
import { shellWord } from '../wording/shell-word.js';

/** The extensions of what score and estimate read (with --format for .json and .txt). */
const EXPORT_NAME = /\.(csv|tsv|jsonl|ndjson|json|txt)(\.gz)?$/i;

/**
 * A file name with spaces typed unquoted (Google Sheets downloads `Reviews - Sheet1.csv`): its words arrive as several
 * inputs, the '-' among them standard input, and "takes one input, got 3" said nothing of the quotes. Said for certain
 * when the words joined name a file, as likely when only the last word has an export's extension; else empty.
 */
export function spacedInputAdvice(command: string, positionals: readonly string[]): string {
  if (positionals.length < 2) return '';
  const joined = positionals.join(' ');
  const quoted = `sentiment-batch ${command} ${shellWord(joined)} ...`;
  if (existsSync(joined)) return `; it is one file name with spaces, which needs quotes: ${quoted}`;
  const last = positionals.length - 1;
  if (positionals.every((word, i) => EXPORT_NAME.test(word) === (i === last))) return `; if it is one file name with spaces, it needs quotes: ${quoted}`;
  return '';
}

/** Whether every word names an export, as a glob of exports does (exports/*.csv). */
export function allExports(positionals: readonly string[]): boolean {
  return positionals.every((name) => EXPORT_NAME.test(name));
}
