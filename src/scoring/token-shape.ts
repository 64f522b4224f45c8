/**
 * What is wrong with an API token that is not one word of printable ASCII, as advice that never quotes it.
 * The usual causes are a token pasted from a curl line with its `Bearer ` (the Authorization header's scheme,
 * which the request adds itself), two words or a file of several lines, and a character a copy turned curly;
 * "check for a stray newline or quote" sent each of them looking for the wrong thing.
 */
export function tokenShapeAdvice(token: string): string {
  if (/^bearer\s/i.test(token)) return "it begins with 'Bearer ': give the token alone, without 'Bearer ' (the request adds it)";
  if (/[\r\n]/.test(token)) return 'it holds a line break: give the token alone, on one line';
  if (/[ \t]/.test(token)) return 'it holds a space or a tab: give the token alone, one word';
  if (/[^\x00-\x7f]/.test(token)) return 'it holds a character outside printable ASCII (a curly quote or a dash from a copy?): copy the token again';
  return 'it holds a control character: copy the token again';
}

/**
 * A value wrapped in quotes, as `KEY="value"` in a file given to docker's --env-file leaves it (docker keeps the quotes;
 * a shell or systemd's EnvironmentFile= would have taken them off): the token went out with them and came back 401.
 */
export function isQuoted(value: string): boolean {
  return /^(["'])[^]*\1$/.test(value) && value.length >= 2;
}

/**
 * A token that begins with a variable's name and '=' (`CLOUDFLARE_API_TOKEN=…`): a line of an env file copied into
 * CLOUDFLARE_API_TOKEN_FILE, or `KEY=KEY=value`. It went out whole and came back 401, "check the token is valid". The
 * name is upper-case words joined by '_', so a base64 token's '=' padding (`abc=`, `ABC==`) is none. Nothing after the
 * '=' (an env file's line whose value was never filled in) is such a line too: it went out as the token likewise.
 */
export function beginsWithAssignment(value: string): boolean {
  return /^[A-Z][A-Z0-9]*_[A-Z0-9_]*=/.test(value);
}

/** The advice for a value isQuoted finds, the same for the token and the account id. */
export const QUOTED_ADVICE = 'docker\'s --env-file keeps quotes as part of the value (KEY="value" sets the quotes too): write it bare, KEY=value';

/**
 * The advice for an account id in quotes, by where it came from (`source`, as credentials.ts accountIdSource names it):
 * docker's --env-file only for the variable; the flag or a job file had no env file to blame (the line named one).
 */
export function quotedAccountAdvice(source: string, value: string): string {
  if (source.startsWith('--')) return 'the quotes are part of the value given (quoted twice on the command line?): give it without them';
  if (source.includes('job file')) return `the quotes are inside the JSON string: write it as "accountId": ${JSON.stringify(value.slice(1, -1))}`;
  return QUOTED_ADVICE;
}

/**
 * What to give for an account id that is not letters, digits, '-' and '_' (one in quotes: quotedAccountAdvice). The
 * right id with white space around it (`KEY=value ` in an env file, a copy from the dashboard) is told so: the advice
 * for an email or a name would send its owner to look for another id.
 */
export function accountIdAdvice(value: unknown): string {
  if (typeof value === 'string' && /^[A-Za-z0-9_-]+$/.test(value.trim())) return 'it has white space around it (a space, a tab or a line break copied with it): give the id alone';
  return 'give the Account ID of 32 hex digits that the Cloudflare dashboard shows, not an email or a name';
}
