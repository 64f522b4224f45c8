/**
 * Several text columns or fields (an app-store export's `title` and `review`,
 * Booking's `Positive_Review` and `Negative_Review`) become the one text sent to
 * the model: the non-blank values, in the order named, joined by a line break.
 * A line break is white space to DistilBERT's tokenizer (no token added) and ends
 * a sentence for the embedded model, which is what a title is.
 */
import type { SettingWords } from '../config/setting-names.js';

const TEXT_PART_SEPARATOR = '\n';

/** The text to score from the values of the named columns/fields. One value is used exactly as it is. */
export function joinTextParts(parts: readonly string[]): string {
  if (parts.length === 1) return parts[0]!;
  return parts.filter((part) => part.trim() !== '').join(TEXT_PART_SEPARATOR);
}

/**
 * How the text is chosen, as the checkpoint records it: the name itself for one
 * (as before several were possible, so older checkpoints still match), else the
 * names and the separator, so another choice or order starts over.
 */
export function describeTextChoice(names: readonly string[]): string {
  return names.length === 1 ? names[0]! : JSON.stringify({ join: names, separator: TEXT_PART_SEPARATOR });
}

/** One name or several, as readers are given them. */
export function asNames(names: string | readonly string[]): readonly string[] {
  return typeof names === 'string' ? [names] : names;
}

/** The two flags that name the text. They set one setting: either names a CSV column or a JSONL field. */
export type TextFlag = '--text-column' | '--text-field';

/**
 * The text setting as a job file gave it, worded by config/setting-names.ts: its messages name the key written
 * there ("textColumn", "textField"), not a flag nobody typed.
 */
export interface TextInJobFile {
  /**
   * Whether the file gave the text: false in a job-file run that left it to its default `text` (the messages say "the
   * default", and the advice adds the key: `add --text-column 'review'` mended one run, not the file run every night).
   */
  given: boolean;
  /** The setting with a name it gave (`'body'`), as settingWords words it: `job file jobs/n.json: "textColumn" 'body'` at the head of a line. */
  words(name: string): SettingWords;
  /**
   * `set "textColumn" in the job file to "review"`, or `add "textColumn": "review" to the job file` (jobFileChange);
   * `replacing`: the one of several names `value` takes the place of, `set "textField" in the job file to
   * ["title","review.body"]`; several names, the array of them; no value: `set "textColumn" in the job file to its name`.
   */
  change(value?: string | readonly string[], replacing?: string): string;
}

/**
 * Whether the text was named, as the messages about it say it: false for the default `text`, which nobody typed;
 * the flag that named it (`--text-field review` on a CSV names its column, and the message names the flag typed);
 * the job file's key that named it; true when it was named otherwise (the run's checkpoint), said with the format's flag.
 */
export type TextNamed = boolean | TextFlag | TextInJobFile;

/** Whether the text is the default `text`, which nobody named (a job-file run's too: its advice adds the key). */
export function isDefaultText(named: TextNamed): boolean {
  return named === false || (typeof named === 'object' && !named.given);
}

/** How a message names the text setting and says to change it. */
export interface TextSettingWords {
  /** `--text-column`, or `"textColumn" in the job file`: what takes a name (or cannot take one). */
  setting: string;
  /** `--text-column 'body'`, or `job file jobs/n.json: "textColumn" 'body'`: the setting with a name it gave, at the head of a line. */
  given(name: string): string;
  /** `--text-column 'body'`, or `"textColumn" 'body'`: the same within a line, after what it is about. */
  inline(name: string): string;
  /**
   * `run again with --text-column 'review'`, or `set "textColumn" in the job file to "review"`; without a name, `… NAME`,
   * `… to its name`. `replacing`: the one of several names the new one takes the place of (a job file's array keeps the others).
   */
  use(name?: string, replacing?: string): string;
}

/** The words for the text setting: the flag that named it, the job file's key, else the format's flag. */
export function textSetting(named: TextNamed, jsonl: boolean): TextSettingWords {
  if (typeof named === 'object') {
    const setting = named.words('').setting;
    return {
      setting,
      given: (name) => named.words(`'${name}'`).head,
      inline: (name) => named.words(`'${name}'`).inline,
      use: (name, replacing) => named.change(name, replacing),
    };
  }
  const flag = typeof named === 'string' ? named : jsonl ? '--text-field' : '--text-column';
  const given = (name: string): string => `${flag} '${name}'`;
  return { setting: flag, given, inline: given, use: (name) => `run again with ${flag} ${name === undefined ? 'NAME' : `'${name}'`}` };
}

/**
 * The way on when one of several text names is missing and the others are there: `to score 'text' without it, drop
 * --text-field 'title'`; for a job file, its setting changed to the names kept.
 */
export function dropNameAdvice(name: string, kept: readonly string[], named: TextNamed, jsonl: boolean): string {
  const score = `to score ${kept.map((one) => `'${one}'`).join(' and ')} without it`;
  if (typeof named === 'object') return `${score}, ${named.change(kept.length === 1 ? kept[0] : kept)}`;
  return `${score}, drop ${textSetting(named, jsonl).given(name)}`;
}

/**
 * The way to score several names joined, one review split across them (Booking.com's Negative_Review and
 * Positive_Review): `to score both, joined, give --text-column 'a' --text-column 'b'`; for a job file, its setting
 * changed to them.
 */
export function joinNamesAdvice(names: readonly string[], named: TextNamed, jsonl: boolean): string {
  const score = `to score ${names.length === 2 ? 'both' : 'them'}, joined`;
  if (typeof named === 'object') return `${score}, ${named.change(names)}`;
  const given = textSetting(named, jsonl).given;
  return `${score}, give ${names.map((name) => given(name)).join(' ')}`;
}

/** The checkpoint records one name as itself and several as `{"join": [...]}` (io/text-parts.ts). */
export function textChoiceOf(recorded: string | undefined): string | readonly string[] | undefined {
  if (recorded === undefined || !recorded.startsWith('{')) return recorded;
  try {
    const join = (JSON.parse(recorded) as { join?: unknown }).join;
    return Array.isArray(join) && join.every((name) => typeof name === 'string') ? (join as string[]) : undefined;
  } catch {
    return recorded;
  }
}
