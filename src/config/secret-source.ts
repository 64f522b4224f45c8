/**
 * The steps every secret a command reads takes, wherever it is given: the Cloudflare API token (CLOUDFLARE_API_TOKEN or
 * CLOUDFLARE_API_TOKEN_FILE, config/resolve.ts), serve's token (--token, --token-file or SENTIMENT_BATCH_SERVE_TOKEN,
 * server/serve-token.ts) and HF_TOKEN (hub/hub-env.ts). What differs between them is their words and what of the text
 * given is no part of the secret; the steps are these, in this order:
 * - the variable leaves the process's environment as soon as it is read: a Node.js diagnostic report
 *   (--report-on-fatalerror, --report-uncaught-exception, --report-on-signal) lists the environment;
 * - two places given at once are refused: one would win without a word, and a 401 would not say which was read;
 * - a secret file is read without waiting for a writer that is not there (paths/read-given-text.ts), and one that
 *   holds nothing is refused;
 * - the secret is remembered (process/known-secret.ts): a refusal of another setting quotes the value given, which
 *   may be this secret pasted there.
 */
import { ConfigError } from '../errors.js';
import { readGivenTextSync } from '../paths/read-given-text.js';
import { rememberSecret } from '../process/known-secret.js';

/**
 * What of the text given is no part of the secret. `white-space`: any around it, in the variable or the file (the
 * Cloudflare and Hub tokens). `last-line-break`: a file's trailing CR/LF only (Kubernetes --from-file, `echo` into
 * it), the variable being taken as it is (serve's token).
 */
export type SecretTrim = 'white-space' | 'last-line-break';

/** A secret file: its path, the name it was given by (a flag or a variable), and the refusals' words. */
export interface SecretFile {
  path: string;
  name: string;
  unreadable(error: unknown): string;
  empty: string;
}

/** A secret given on the command line (serve's --token), already refused when empty. */
export interface SecretFlag {
  value: string;
  name: string;
}

interface SecretVariable {
  env: NodeJS.ProcessEnv;
  /** The variable that holds the secret itself. */
  variable: string;
  trim: SecretTrim;
  /** The refusal of a variable set to only white space; without it, such a variable is not set (HF_TOKEN). */
  blank?: string;
}

/** A secret of one place (the variable), or of several: then `twice` words the refusal of two given (`names`, in the order flag, file, variable). */
export type SecretSource = SecretVariable & ({ file?: undefined; flag?: undefined; twice?: undefined } | { file?: SecretFile; flag?: SecretFlag; twice(names: string[]): string });

export interface Secret {
  value: string;
  from: 'flag' | 'file' | 'variable';
}

/** The secret, from the one place it is given; undefined when given nowhere (or, without `blank`, in a blank variable). */
export function readSecret(source: SecretSource): Secret | undefined {
  const { env, variable: name, trim } = source;
  const variable = env[name];
  if (variable !== undefined && env === process.env) delete process.env[name];
  const given = [source.flag?.name, source.file?.name, variable ? name : undefined].filter((place) => place !== undefined);
  if (given.length > 1 && source.twice) throw new ConfigError(source.twice(given));
  let secret: Secret | undefined;
  if (source.flag) secret = { value: source.flag.value, from: 'flag' };
  else if (source.file) secret = { value: fileSecret(source.file, trim), from: 'file' };
  else secret = variableSecret(variable, source);
  if (secret) rememberSecret(secret.value);
  return secret;
}

function fileSecret(file: SecretFile, trim: SecretTrim): string {
  let text: string;
  try {
    text = readGivenTextSync(file.path);
  } catch (error) {
    throw new ConfigError(file.unreadable(error), { cause: error });
  }
  if (text.trim() === '') throw new ConfigError(file.empty);
  return trim === 'white-space' ? text.trim() : text.replace(/[\r\n]+$/, '');
}

function variableSecret(variable: string | undefined, source: SecretVariable): Secret | undefined {
  if (!variable) return undefined;
  if (variable.trim() === '') {
    if (source.blank !== undefined) throw new ConfigError(source.blank);
    return undefined;
  }
  return { value: source.trim === 'white-space' ? variable.trim() : variable, from: 'variable' };
}
