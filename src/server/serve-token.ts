/**
 * Where `serve` reads the token it asks for: --token (visible to `ps` and in the shell's history), --token-file (a
 * secret mounted as a file), or SENTIMENT_BATCH_SERVE_TOKEN. The variable is removed from the process's environment
 * once read, as CLOUDFLARE_API_TOKEN is (config/resolve.ts): a Node.js diagnostic report lists the environment.
 */
import { ConfigError } from '../errors.js';
import { readGivenTextSync } from '../paths/read-given-text.js';
import { rememberSecret } from '../process/known-secret.js';
import { whyUnreadable } from '../wording/unreadable-file.js';

export const SERVE_TOKEN_VARIABLE = 'SENTIMENT_BATCH_SERVE_TOKEN';

/** `flag`, `file`: the values of --token and --token-file, already refused when empty. */
export function serveToken(flag: string | undefined, file: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const variable = env[SERVE_TOKEN_VARIABLE];
  if (variable !== undefined && env === process.env) delete process.env[SERVE_TOKEN_VARIABLE];
  const given = [flag !== undefined && '--token', file !== undefined && '--token-file', variable && SERVE_TOKEN_VARIABLE].filter(Boolean);
  // One of them would win without a word, and a 401 would not say which was read.
  if (given.length > 1) throw new ConfigError(`the token is given twice (${given.join(' and ')}): give one, so that the token asked for is the one you mean`);
  let token = flag;
  if (file !== undefined) {
    try {
      // A secret file's last line break (Kubernetes --from-file, `echo` into it) is no part of the token.
      token = readGivenTextSync(file).replace(/[\r\n]+$/, '');
    } catch (error) {
      throw new ConfigError(`--token-file: cannot read '${file}': ${whyUnreadable(error)}`);
    }
    if (token.trim() === '') throw new ConfigError(`--token-file: '${file}' is empty`);
  }
  if (variable) {
    if (variable.trim() === '') throw new ConfigError(`${SERVE_TOKEN_VARIABLE} is set to only white space: set it to the token, or unset it`);
    token = variable;
  }
  if (token !== undefined) rememberSecret(token);
  return token;
}
