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

/**
 * What names a setting: the job file it came from, which of two keys of one setting it used, and the settings a flag
 * or the file gave (`given`: with the file's keys, what tells a flag's setting from one nothing gave).
 */
type Named = Pick<JobSettings, 'jobFile' | 'textFlag'> & Partial<Pick<JobSettings, 'given'>>;

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
 * `--resume require`, or `"report" in job file jobs/n.json`, `"resume": "require" in job file jobs/n.json`, `"limit": 500 in job file …`.
 * A switch's flag (`--restart`) goes without its value.
 */
export function settingName(settings: Named, key: keyof JobSettings, flag: string, value?: string | number | boolean): string {
  if (fromJobFile(settings, key)) return `${keyIn(settings, key)}${value === undefined ? '' : `: ${JSON.stringify(value)}`} in job file ${settings.jobFile?.path}`;
  return value === undefined || typeof value === 'boolean' ? flag : `${flag} ${value}`;
}

/**
 * Where advice to give `key` another value sends the user: `set` the job file's key when the file gave it; `add` it
 * to the job file when a job file runs and nothing gave it (`add --delimiter ';'` mended one run, and the nightly run
 * of the file failed again every night); undefined when a flag gave it (that flag is what to change) or no job file
 * runs. One rule for every such advice. Advice for one run only (`--restart`, `--resume auto`, `--max-error-rate 1` to
 * write the errors once) keeps its flag: on the command line it overrides the file for that run, as it should.
 */
function jobFileAdvice(settings: Named, key: keyof JobSettings): 'set' | 'add' | undefined {
  if (fromJobFile(settings, key)) return 'set';
  return settings.jobFile === undefined || settings.given?.has(key) === true ? undefined : 'add';
}

/**
 * How to tell the user to give `key` another value in a job-file run (jobFileAdvice): `set "delimiter" in the job
 * file to ";"` when the file gave it, `add "delimiter": ";" to the job file` when it did not (the value as JSON:
 * `set "textField" in the job file to ["title","review.body"]`). Undefined when a flag gave it, or no job file runs:
 * the caller's own flag wording stands.
 */
export function jobFileChange(settings: Named, key: keyof JobSettings): ((value: string | boolean | readonly string[]) => string) | undefined {
  const how = jobFileAdvice(settings, key);
  if (how === undefined) return undefined;
  const name = keyIn(settings, key);
  return how === 'set' ? (value) => `set ${name} in the job file to ${JSON.stringify(value)}` : (value) => `add ${name}: ${JSON.stringify(value)} to the job file`;
}

/**
 * How to turn a switch on (`run again with --allow-numeric-text`), for a refusal that it lets past: in a job-file
 * run, the key to add or set (`add "allowNumericText": true to the job file`), as the next night's run needs it too.
 */
export function switchOnAdvice(settings: Named, key: keyof JobSettings, flag: string): string {
  return jobFileChange(settings, key)?.(true) ?? `run again with ${flag}`;
}

/**
 * A setting as advice names it when the value is the user's to choose (`lower --rpm`, `point --model-dir at a
 * copy`): its flag, or `"rpm" in the job file` in a job-file run that no flag overrode (jobFileAdvice), whether or
 * not the file has the key yet.
 */
export function settingToChange(settings: Named, key: keyof JobSettings, flag: string): string {
  return jobFileAdvice(settings, key) === undefined ? flag : `${keyIn(settings, key)} in the job file`;
}

/**
 * Whether the settings named the text, and how (for the messages about it): false for the default, else the
 * flag, or the job file's key when the job file gave it ("--text-column" was no help to whoever wrote "textColumn").
 * A job-file run that left the text to its default gets the key to add (`given` false): the key of the input's format
 * (`jsonl`: "textField", else "textColumn"), as jobFileChange words it.
 */
export function textNamed(settings: Pick<JobSettings, 'text' | 'textFlag' | 'jobFile'> & Partial<Pick<JobSettings, 'given'>>, jsonl = false): TextNamed {
  if (settings.text === undefined) return defaultTextInJobFile(settings, jsonl) ?? false;
  const change = jobFileChange(settings, 'text');
  if (change === undefined || !fromJobFile(settings, 'text')) return settings.textFlag ?? true;
  const flag = settings.textFlag ?? '--text-column';
  const names = settings.text;
  const key = keyIn(settings, 'text');
  // One of several names replaced: the file's whole array, that one changed (the value alone would drop the others).
  const instead = (value: string, replacing?: string): string | readonly string[] =>
    replacing !== undefined && names.length > 1 && names.includes(replacing) ? names.map((name) => (name === replacing ? value : name)) : value;
  return {
    given: true,
    words: (name) => settingWords(settings, 'text', flag, name),
    change: (value, replacing) =>
      value === undefined ? `set ${key} in the job file to its name` : change(typeof value === 'string' ? instead(value, replacing) : value),
  };
}

/** The default text in a job-file run that no flag named: the key to add to the file; undefined otherwise. */
function defaultTextInJobFile(settings: Named, jsonl: boolean): TextNamed | undefined {
  const named = { ...settings, textFlag: jsonl ? '--text-field' : '--text-column' } as const;
  const add = jobFileChange(named, 'text');
  if (add === undefined) return undefined;
  const key = keyIn(named, 'text');
  const setting = settingToChange(named, 'text', named.textFlag);
  return {
    given: false,
    words: (name) => ({ head: `${key} ${name}`, inline: `${key} ${name}`, setting }),
    change: (value) => (value === undefined ? `add ${key} to the job file with its name` : add(value)),
  };
}

/**
 * Where the input's path came from, for a line about it, when the user did not type it: a job file's "input" is
 * resolved from the job file's folder, so `cannot open input file '/srv/jobs/in.csv'` alone named neither the key to
 * edit nor why the path is not the one the working folder would give. Undefined when a flag or the command line gave it.
 */
export function inputNamedBy(settings: Named): string | undefined {
  if (!fromJobFile(settings, 'input')) return undefined;
  if (settings.jobFile?.absoluteInput) return `the "input" of job file ${settings.jobFile.path}`;
  return `the "input" of job file ${settings.jobFile?.path}, a relative path there read from that file's folder`;
}
