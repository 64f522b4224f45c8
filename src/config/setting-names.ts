import { OPTION_SPECS, type JobSettings } from './options.js';

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
 * Given settings named as the user wrote them: the flags as `--rpm`, the job file's keys as
 * `"rpm", "concurrency" in job file jobs/nightly.json`; both kinds are joined by "and".
 * Undefined when none is given.
 */
export function givenNames(settings: Pick<JobSettings, 'jobFile'>, given: ReadonlyArray<keyof JobSettings>): string | undefined {
  const flags = given.filter((key) => !fromJobFile(settings, key)).map((key) => `--${flagOf(key)}`);
  const keys = given.filter((key) => fromJobFile(settings, key)).map((key) => `"${jobFileKey(flagOf(key))}"`);
  const inFile = keys.length === 0 ? undefined : `${keys.join(', ')} in job file ${settings.jobFile?.path}`;
  const parts = [flags.length === 0 ? undefined : flags.join(', '), inFile].filter((part): part is string => part !== undefined);
  return parts.length === 0 ? undefined : parts.join(' and ');
}
