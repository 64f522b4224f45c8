import { counted } from './counted.js';

/** The settings the advice says to change: `--rpm`, or `"rpm" in the job file`. */
export interface AdviceNames {
  rpm: string;
  redis: string;
}

const FLAG_NAMES: AdviceNames = { rpm: '--rpm', redis: '--redis' };

/**
 * Rows that gave up on 429 "rate limited" answers (code 3021, or none or one not known) although the run kept to
 * --rpm: the account's limit is lower than --rpm, or other work uses the account. Running again as it was meets the
 * same limit, so the line says what to change. `codes`: the Cloudflare codes of those 429s ('none' without one), so the
 * line names the code they carried, not one they may not have; `shared`: the run already shares its limit through
 * --redis, so the advice is not to use it but to give it to the work that does not. `names`: the settings to change as
 * advice names them (config/setting-names.ts settingToChange: `"rpm" in the job file` in a job-file run).
 */
export function rateLimitedAdvice(rows: number, codes: readonly string[], shared: boolean, names: AdviceNames = FLAG_NAMES): string {
  // In a job-file run the limit kept may be the file's "rpm" or the default: neither is a --rpm anybody typed.
  const keptTo = names.rpm === FLAG_NAMES.rpm ? '--rpm' : 'its rate limit';
  const through = names.redis === FLAG_NAMES.redis ? '--redis' : 'Redis';
  const limit = codes.length === 1 && codes[0] === '3021' ? "the service's per-minute limit (429, code 3021)" : `429 answers (${codesOf(codes)})`;
  const remedy = shared
    ? `the account's limit is lower, or other work that does not share this ${through} uses the account; lower ${names.rpm} (every job sharing the limit), or give that work the same ${through === 'Redis' ? 'Redis URL' : '--redis'} (docs/shared-limit.md)`
    : `the account's limit is lower, or other work uses the account; lower ${names.rpm}, or share the limit with the other jobs through ${names.redis} (docs/shared-limit.md)`;
  return `${counted(rows, 'row')} gave up on ${limit} although this run kept to ${keptTo}${shared ? ` shared through ${through}` : ''}: ${remedy}`;
}

/** 'code 3021', 'no code', 'code 3021 or no code', 'code 3021 or 9999'. */
function codesOf(codes: readonly string[]): string {
  const named = codes.filter((code) => code !== 'none');
  const parts = [...(named.length > 0 ? [`code ${named.join(' or ')}`] : []), ...(codes.includes('none') || codes.length === 0 ? ['no code'] : [])];
  return parts.join(' or ');
}
