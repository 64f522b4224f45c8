import { OPTION_SPECS, type JobSettings } from './options.js';
import type { TextNamed } from '../io/text-parts.js';

/** A flag's job-file spelling: `--max-attempts` → `maxAttempts`, `--text-column` → `textColumn`. */
export function jobFileKey(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * Whether the job file gave `key` (and no flag overrode it): messages then name its key in
 * that file, not a flag nobody typed.
 */
export function fromJobFile(settings: Pick<JobSettings, 'jobFile'>, key: keyof JobSettings): boolean {
  return settings.jobFile?.keys.has(key) === true;
}

/** Each setting's flag, without its dashes (`timeoutMs` → `timeout`); the first of two (`text`: --text-column, then --text-field). */
const FLAGS = new Map<keyof JobSettings, string>(OPTION_SPECS.map((spec) => [spec.key, spec.flag] as const).reverse());

function flagOf(key: keyof JobSettings): string {
  const flag = FLAGS.get(key);
  if (flag === undefined) throw new Error(`unreachable: no option sets ${key}`);
  return flag;
}

/** What names a setting: the job file it came from, and which of two keys of one setting it used. */
type Named = Pick<JobSettings, 'jobFile' | 'textFlag'>;

/**
 * A setting's key as the job file spells it: `"rpm"`. "textField" and "textColumn" set one setting, and the file's
 * own spelling is the one named (resolve.ts keeps it as `textFlag`): a message about "textColumn" to whoever wrote
 * "textField" named a key the file does not have.
 */
function keyIn(settings: Named, key: keyof JobSettings): string {
  const flag = key === 'text' && settings.textFlag !== undefined ? settings.textFlag.slice(2) : flagOf(key);
  return `"${jobFileKey(flag)}"`;
}

/**
 * Given settings named as the user wrote them: the flags as `--rpm`, the job file's keys as
 * `"rpm", "concurrency" in job file jobs/nightly.json`; both kinds are joined by "and".
 * Undefined when none is given.
 */
export function givenNames(settings: Named, given: ReadonlyArray<keyof JobSettings>): string | undefined {
  const flags = given.filter((key) => !fromJobFile(settings, key)).map((key) => `--${flagOf(key)}`);
  const keys = given.filter((key) => fromJobFile(settings, key)).map((key) => keyIn(settings, key));
  const inFile = keys.length === 0 ? undefined : `${keys.join(', ')} in job file ${settings.jobFile?.path}`;
  const parts = [flags.length === 0 ? undefined : flags.join(', '), inFile].filter((part): part is string => part !== undefined);
  return parts.length === 0 ? undefined : parts.join(' and ');
}

/** A path setting in a message's words: at the head of its line or within it, with the path, and where the line says what to change. */
export interface SettingWords {
  /** `--summary-json out/s.json`, or `job file jobs/n.json: "summaryJson" out/s.json` (as a job file's bad value is named) when the job file gave it. */
  head: string;
  /** Within a line, after another setting's head: `--summary-json out/s.json`, or `"summaryJson" out/s.json`. */
  inline: string;
  /** `--summary-json`, or `"summaryJson" in the job file` (the head named it): what "choose another …" and "write elsewhere (…)" name. */
  setting: string;
}

/** The words for a path named on the command line by `flag` (report's -o, --cache as typed). */
export function flagWords(flag: string, given: string): SettingWords {
  return { head: `${flag} ${given}`, inline: `${flag} ${given}`, setting: flag };
}

/**
 * The words for the setting `key` (a path, `given`) as the user gave it: `flag` (-o, --summary-json) on the command
 * line, or its key in the job file: "choose another --summary-json" was no help to whoever wrote "summaryJson" in one.
 */
export function settingWords(settings: Named, key: keyof JobSettings, flag: string, given: string): SettingWords {
  if (!fromJobFile(settings, key)) return flagWords(flag, given);
  const name = keyIn(settings, key);
  return { head: `${settingHead(settings, key, flag)} ${given}`, inline: `${name} ${given}`, setting: `${name} in the job file` };
}

/**
 * A setting at the head of a line, before the value the line is about: `--report-by`, or `job file jobs/n.json:
 * "reportBy"` when the job file gave it (as settingWords' `head`, for callers that add the value themselves).
 */
export function settingHead(settings: Named, key: keyof JobSettings, flag: string): string {
  return fromJobFile(settings, key) ? `job file ${settings.jobFile?.path}: ${keyIn(settings, key)}` : flag;
}

/**
 * A setting as the user gave it, with its `value` when the message is about that value: `--report`,
 * `--resume require`, or `"report" in job file jobs/n.json`, `"resume": "require" in job file jobs/n.json`.
 * A switch's flag (`--restart`) goes without its value.
 */
export function settingName(settings: Named, key: keyof JobSettings, flag: string, value?: string | boolean): string {
  if (fromJobFile(settings, key)) return `${keyIn(settings, key)}${value === undefined ? '' : `: ${JSON.stringify(value)}`} in job file ${settings.jobFile?.path}`;
  return value === undefined || typeof value === 'boolean' ? flag : `${flag} ${value}`;
}

/**
 * How to tell the user to give `key` another value when the job file gave it: `set "delimiter" in the job file to
 * ";"`, `set "textField" in the job file to ["title","review.body"]` (the value as JSON). Undefined when a flag (or
 * nothing) gave it: the caller's own flag wording stands.
 */
export function jobFileChange(settings: Named, key: keyof JobSettings): ((value: string | readonly string[]) => string) | undefined {
  if (!fromJobFile(settings, key)) return undefined;
  return (value) => `set ${keyIn(settings, key)} in the job file to ${JSON.stringify(value)}`;
}

/**
 * Whether the settings named the text, and how (for the messages about it): false for the default, else the
 * flag, or the job file's key when the job file gave it ("--text-column" was no help to whoever wrote "textColumn").
 */
export function textNamed(settings: Pick<JobSettings, 'text' | 'textFlag' | 'jobFile'>): TextNamed {
  if (settings.text === undefined) return false;
  const change = jobFileChange(settings, 'text');
  if (change === undefined) return settings.textFlag ?? true;
  const flag = settings.textFlag ?? '--text-column';
  const names = settings.text;
  // One of several names replaced: the file's whole array, that one changed (the value alone would drop the others).
  const instead = (value: string, replacing?: string): string | readonly string[] =>
    replacing !== undefined && names.length > 1 && names.includes(replacing) ? names.map((name) => (name === replacing ? value : name)) : value;
  return { words: (name) => settingWords(settings, 'text', flag, name), change: (value, replacing) => change(instead(value, replacing)) };
}
