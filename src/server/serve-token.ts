/**
 * Where `serve` reads the token it asks for: --token (visible to `ps` and in the shell's history), --token-file (a
 * secret mounted as a file), or SENTIMENT_BATCH_SERVE_TOKEN. The variable is removed from the process's environment
 * once read, as CLOUDFLARE_API_TOKEN is (config/secret-source.ts): a Node.js diagnostic report lists the environment.
 */
import { readSecret } from '../config/secret-source.js';
import { whyUnreadable } from '../wording/unreadable-file.js';

export const SERVE_TOKEN_VARIABLE = 'SENTIMENT_BATCH_SERVE_TOKEN';

/** `flag`, `file`: the values of --token and --token-file, already refused when empty. */
export function serveToken(flag: string | undefined, file: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return readSecret({
    env,
    variable: SERVE_TOKEN_VARIABLE,
    // A secret file's last line break (Kubernetes --from-file, `echo` into it) is no part of the token.
    trim: 'last-line-break',
    blank: `${SERVE_TOKEN_VARIABLE} is set to only white space: set it to the token, or unset it`,
    flag: flag === undefined ? undefined : { value: flag, name: '--token' },
    file: file === undefined ? undefined : { path: file, name: '--token-file', unreadable: (error) => `--token-file: cannot read '${file}': ${whyUnreadable(error)}`, empty: `--token-file: '${file}' is empty` },
    twice: (names) => `the token is given twice (${names.join(' and ')}): give one, so that the token asked for is the one you mean`,
  })?.value;
}
