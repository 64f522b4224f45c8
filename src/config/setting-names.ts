import type { JobSettings } from './options.js';

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

/** A setting as the user gave it: [key, flag without dashes]. */
export type GivenSetting = readonly [key: keyof JobSettings, flag: string];

/**
 * Given settings named as the user wrote them: the flags as `--rpm`, the job file's keys as
 * `"rpm", "concurrency" in job file jobs/nightly.json`; both kinds are joined by "and".
 * Undefined when none is given.
 */
export function givenNames(settings: Pick<JobSettings, 'jobFile'>, given: readonly GivenSetting[]): string | undefined {
  const flags = given.filter(([key]) => !fromJobFile(settings, key)).map(([, flag]) => `--${flag}`);
  const keys = given.filter(([key]) => fromJobFile(settings, key)).map(([, flag]) => `"${jobFileKey(flag)}"`);
  const inFile = keys.length === 0 ? undefined : `${keys.join(', ')} in job file ${settings.jobFile?.path}`;
  const parts = [flags.length === 0 ? undefined : flags.join(', '), inFile].filter((part): part is string => part !== undefined);
  return parts.length === 0 ? undefined : parts.join(' and ');
}
