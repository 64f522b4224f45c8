import { readdirSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { whyUnreadable } from '../wording/unreadable-file.js';
import { inContainer } from '../wording/in-container.js';
import { onOwnMount } from '../wording/mounted-file.js';
import { commandUser, readRefusal } from '../wording/not-readable.js';
import type { JobSettings } from './options.js';
import { fromJobFile, jobFileChange } from './setting-names.js';

type CredentialSettings = Pick<JobSettings, 'backend' | 'accountId' | 'apiToken' | 'apiTokenFrom' | 'given' | 'jobFile'>;

/** Where the account id came from, as the user wrote it: the flag, the job file's key, or the variable. */
export function accountIdSource(settings: CredentialSettings): string {
  if (fromJobFile(settings, 'accountId')) return `"accountId" in job file ${settings.jobFile?.path}`;
  return settings.given?.has('accountId') === true ? '--account-id' : 'CLOUDFLARE_ACCOUNT_ID';
}

/** The variable the token came from (CLOUDFLARE_API_TOKEN_FILE when the secret file). */
export function apiTokenSource(settings: CredentialSettings): string {
  return settings.apiTokenFrom ?? 'CLOUDFLARE_API_TOKEN';
}

/** The token as a message asks to check it: the variable, or the file the secret variable names. */
export function apiTokenWords(settings: CredentialSettings): string {
  return apiTokenSource(settings) === 'CLOUDFLARE_API_TOKEN_FILE' ? 'the token in CLOUDFLARE_API_TOKEN_FILE' : 'CLOUDFLARE_API_TOKEN';
}

/**
 * With `--backend auto`, exactly one of the account id and the token: the words saying which is
 * set, which is missing and what to do; undefined otherwise. Such a run once fell back to the
 * embedded model with a warning and exit 0, so a typo in a cron env file silently swapped the model.
 */
export function halfCredentials(settings: CredentialSettings): string | undefined {
  if (settings.backend !== 'auto' || Boolean(settings.accountId) === Boolean(settings.apiToken)) return undefined;
  const [set, missing, alternative] = settings.accountId
    ? [accountIdSource(settings), 'CLOUDFLARE_API_TOKEN', 'or CLOUDFLARE_API_TOKEN_FILE']
    : [apiTokenSource(settings), 'CLOUDFLARE_ACCOUNT_ID', 'or --account-id'];
  // A job file's "backend": "auto" is changed there (chooseBackend's advice alike); the default, or a flag, by the flag.
  const offline = jobFileChange(settings, 'backend')?.('embedded') ?? 'pass --backend embedded';
  return `only ${set} is set: Workers AI needs ${missing} too. Set it (${alternative}), or ${offline} to score offline on purpose`;
}

/** Refuses half-set credentials under `--backend auto` (exit 2) before any work is done. */
export function refuseHalfCredentials(settings: CredentialSettings): void {
  const words = halfCredentials(settings);
  if (words !== undefined) throw new ConfigError(words);
}

/**
 * Why CLOUDFLARE_API_TOKEN_FILE could not be read. An empty folder there is most often a secret mounted
 * from a host file that does not exist: `docker run -v /missing/token:/run/secrets/token` makes an empty
 * folder at the mount point rather than fail, and the line said only "is a directory".
 */
export function unreadableTokenFile(file: string, error: unknown, mounted: boolean = inContainer() && onOwnMount(file)): string {
  const code = (error as NodeJS.ErrnoException).code;
  const refusal = code === 'EACCES' || code === 'EPERM' ? ownModeRefusal(file, code, mounted) : undefined;
  if (refusal !== undefined) return `cannot read CLOUDFLARE_API_TOKEN_FILE ${file}: ${refusal}`;
  const why = `cannot read CLOUDFLARE_API_TOKEN_FILE ${file}: ${whyUnreadable(error)}`;
  if (code !== 'EISDIR' || !isEmptyFolder(file)) return why;
  // docker makes the missing host path a folder too (docker 28, checked 2026-12-06): "create the token file on the
  // host" alone then failed with "Is a directory".
  return (
    `${why}. Mounted into a container? docker makes an empty folder at the mount point when the host file does not exist (-v /host/path:${file}), ` +
    'and one at the host path too, where creating the file then fails (Is a directory): on the host, remove that empty folder (rmdir) and create the token file there, or fix the host path'
  );
}

/**
 * The token file's own mode refusing this user (not a folder on its way): the remedy every unreadable file gets,
 * "chmod a+r FILE", would make a secret readable by every user, and names the container's path of a `:ro` mount,
 * which cannot be changed there. A secret is given to its reader alone: owner and mode 0400 (docs/container.md).
 * `mounted`: the run is in a container and the file on a mount of its own (wording/mounted-file.ts): only then does the
 * line speak of the host (a plain user's 0600 token file owned by root was told of "a file mounted into a container").
 */
function ownModeRefusal(file: string, code: string, mounted: boolean): string | undefined {
  const refusal = readRefusal(file, false);
  if (refusal?.startsWith('the folder ') === true) return undefined;
  const uid = process.getuid?.();
  const owner = uid === undefined ? 'USER' : String(uid);
  return (
    `permission denied (${code}): it is not readable by ${commandUser(uid)}: make that user its owner, readable by it alone ` +
    `(chown ${owner} ${file} && chmod 0400 ${file}${mounted ? '; a file mounted into a container: on the host, the file mounted there' : ''})`
  );
}

function isEmptyFolder(folder: string): boolean {
  try {
    return readdirSync(folder).length === 0;
  } catch {
    return false;
  }
}
