/**
 * The `sentiment-batch serve` command: flags → options, start, print the URL,
 * stop cleanly on SIGINT/SIGTERM.
 */
import { readGivenTextSync } from '../paths/read-given-text.js';
import { parseArgv } from '../config/argv.js';
import { didYouMeanValue } from '../config/did-you-mean.js';
import { ConfigError, errorMessage } from '../errors.js';
import type { Scorer } from '../scoring/scorer.js';
import { MODEL_ID } from './envelope.js';
import { parseFaultOptions, parseLatency, resolveFaults, type FaultOptions } from './fault-config.js';
import type { ServerOptions } from './options.js';
import { serveToken, SERVE_TOKEN_VARIABLE } from './serve-token.js';
import { isWildcardHost, startServer } from './server.js';
import { whyUnreadable } from '../wording/unreadable-file.js';

export interface ServeCliOptions {
  help: boolean;
  port: number;
  host: string;
  /** Everything `startServer` takes except the scorer; add `countTokens` here before `runServe` to use a real tokenizer. */
  server: Omit<ServerOptions, 'scorer'>;
}

export const serveHelp = `Usage: sentiment-batch serve [options]

A local server that answers like the Workers AI REST API for ${MODEL_ID},
scored by the embedded model. Point the job (or the official SDK) at it with
  CLOUDFLARE_BASE_URL=http://127.0.0.1:8787/client/v4
and any CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN (the token --token asks for):
with neither, the job scores with the embedded model and sends nothing here; with only
one of them, it refuses to start (exit 2).

Options:
  --port N                   port to listen on; 0 picks a free one (default 8787)
  --host HOST                interface to listen on (default 127.0.0.1)
  --token TOKEN              require "Authorization: Bearer TOKEN" (else 401, code 10000);
                             visible to ps: --token-file or ${SERVE_TOKEN_VARIABLE} keep it out of sight
  --token-file FILE          the same, the token read from FILE (the line breaks it ends with dropped)
  --rpm N                    requests per account in any 60 s window (else 429, code 3021 + Retry-After)
  --daily-neurons N          neurons per account per UTC day (else 429, code 4006)
  --long-text MODE           text over 512 tokens: reject (413, code 3006) or truncate (default reject)
  --result-shape SHAPE       array, or items for the old {"items": [...]} result (default array)
  --label-order ORDER        by-score (most likely first) or fixed (NEGATIVE, POSITIVE) (default by-score)
  --max-body-bytes N         largest request body (default 1048576; else 413, code 3006)
  --arrival-jitter SPEC      hold each request back before it counts as arrived, e.g. 0-200ms
                             (delivery jitter, for rate-limit benchmarks; default none)
Faults (each reproducible from --seed):
  --seed N                   seed of the fault generator (default 1)
  --latency SPEC             added latency: 100ms, 80-250ms (uniform), 1.5s (default none)
  --fail-rate P              fraction of requests answered 500
  --capacity-burst-rate P    chance that a request starts a burst of 429 code 3040
  --capacity-burst-length N  requests per capacity burst (default 5)
  --drop-rate P              fraction of connections destroyed without an answer
  --malformed-rate P         fraction of 200 answers whose body is not JSON
  --truncate-rate P          fraction of 200 answers cut in the middle of the JSON
  --hang-rate P              fraction of requests never answered
  --faults FILE              JSON file with the fault settings above in camelCase and "rules";
                             flags given on the command line override the file
  -h, --help                 show this help

Control endpoints: GET /__stats, POST /__reset, POST /__control/next, GET|POST /__control/faults,
GET /__health (the only one --token does not guard).
See docs/server.md.`;

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
  rpm: { type: 'string' },
  'daily-neurons': { type: 'string' },
  'long-text': { type: 'string' },
  'result-shape': { type: 'string' },
  'label-order': { type: 'string' },
  'max-body-bytes': { type: 'string' },
  'arrival-jitter': { type: 'string' },
  seed: { type: 'string' },
  latency: { type: 'string' },
  'fail-rate': { type: 'string' },
  'capacity-burst-rate': { type: 'string' },
  'capacity-burst-length': { type: 'string' },
  'drop-rate': { type: 'string' },
  'malformed-rate': { type: 'string' },
  'truncate-rate': { type: 'string' },
  'hang-rate': { type: 'string' },
  faults: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Parses the arguments after `serve` (and the token's variable in `env`, serve-token.ts). Throws ConfigError with a
 * message for the user.
 */
export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeCliOptions {
  // The same parser and messages as score's: a did-you-mean for a typo, `--rpm -5` reaching the validator.
  // File names may hold a space (the advice on quotes, argv.ts); the other values are numbers and fixed words.
  const specs = Object.entries(FLAGS).map(([flag, spec]) => ({ flag, boolean: spec.type === 'boolean', named: flag === 'token-file' || flag === 'faults', ...('short' in spec ? { short: spec.short } : {}) }));
  const parsed = parseArgv(argv, specs, 'serve', 0);
  if (parsed.positionals.length > 0) {
    throw new ConfigError(`serve takes no arguments besides options, got '${parsed.positionals.join(' ')}'; run 'sentiment-batch serve --help' for the options`);
  }
  const values: Partial<Record<keyof typeof FLAGS, string | boolean>> = {};
  for (const [flag, list] of parsed.strings) values[flag as keyof typeof FLAGS] = list[list.length - 1];
  for (const flag of parsed.booleans) values[flag as keyof typeof FLAGS] = true;
  const text = (flag: keyof typeof FLAGS): string | undefined => {
    const value = values[flag];
    return typeof value === 'string' ? value : undefined;
  };
  const integer = (flag: keyof typeof FLAGS, min: number, max: number, expects: string): number | undefined => {
    const raw = text(flag);
    if (raw === undefined) return undefined;
    const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) throw new ConfigError(`--${flag} expects ${expects}, got '${raw}'`);
    return value;
  };
  const number = (flag: keyof typeof FLAGS, ok: (n: number) => boolean, expects: string): number | undefined => {
    const raw = text(flag);
    if (raw === undefined) return undefined;
    const value = raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isFinite(value) || !ok(value)) throw new ConfigError(`--${flag} expects ${expects}, got '${raw}'`);
    return value;
  };
  const rate = (flag: keyof typeof FLAGS): number | undefined => number(flag, (n) => n >= 0 && n <= 1, 'a number between 0 and 1');
  const choice = <T extends string>(flag: keyof typeof FLAGS, allowed: readonly T[]): T | undefined => {
    const raw = text(flag);
    if (raw === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(`--${flag} expects ${allowed.join(' or ')}, got '${raw}'${didYouMeanValue(raw, allowed)}`);
    return raw as T;
  };
  const nonEmpty = (flag: keyof typeof FLAGS): string | undefined => {
    const raw = text(flag);
    if (raw !== undefined && raw.trim() === '') throw new ConfigError(`--${flag} expects a non-empty value, got ''`);
    return raw;
  };

  const latencyFlag = (flag: 'latency' | 'arrival-jitter'): string | undefined => {
    const raw = text(flag);
    if (raw !== undefined && !parseLatency(raw)) throw new ConfigError(`--${flag} expects 100ms, 80-250ms or 1.5s, got '${raw}'`);
    return raw;
  };
  const latency = latencyFlag('latency');
  const file = nonEmpty('faults');
  const fromFlags: FaultOptions = {
    seed: integer('seed', 0, Number.MAX_SAFE_INTEGER, 'a non-negative integer'),
    latency,
    failRate: rate('fail-rate'),
    capacityBurstRate: rate('capacity-burst-rate'),
    capacityBurstLength: integer('capacity-burst-length', 1, Number.MAX_SAFE_INTEGER, 'a positive integer'),
    dropRate: rate('drop-rate'),
    malformedRate: rate('malformed-rate'),
    truncateRate: rate('truncate-rate'),
    hangRate: rate('hang-rate'),
  };
  const faults: FaultOptions = { ...(file === undefined ? {} : readFaultsFile(file)), ...withoutUndefined(fromFlags) };
  resolveFaults(faults, 'serve'); // the file and the flags together (e.g. rates adding up to more than 1)

  const server: Omit<ServerOptions, 'scorer'> = withoutUndefined({
    ...faults,
    token: serveToken(nonEmpty('token'), nonEmpty('token-file'), env),
    rpm: integer('rpm', 1, Number.MAX_SAFE_INTEGER, 'a positive integer'),
    dailyNeurons: number('daily-neurons', (n) => n > 0, 'a positive number'),
    longText: choice('long-text', ['reject', 'truncate'] as const),
    resultShape: choice('result-shape', ['array', 'items'] as const),
    labelOrder: choice('label-order', ['by-score', 'fixed'] as const),
    maxBodyBytes: integer('max-body-bytes', 1, Number.MAX_SAFE_INTEGER, 'a positive integer'),
    arrivalJitter: latencyFlag('arrival-jitter'),
  });
  return {
    help: values.help === true,
    port: integer('port', 0, 65535, 'an integer from 0 to 65535') ?? 8787,
    host: nonEmpty('host') ?? '127.0.0.1',
    server,
  };
}

function readFaultsFile(file: string): FaultOptions {
  let raw: string;
  try {
    // A named pipe nothing writes to was waited on for ever, SIGTERM unable to end it (paths/read-given-text.ts).
    raw = readGivenTextSync(file);
  } catch (error) {
    throw new ConfigError(`--faults: cannot read '${file}': ${whyUnreadable(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(`--faults: '${file}' is not valid JSON (${errorMessage(error)})`);
  }
  return parseFaultOptions(json, `--faults file '${file}'`);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Starts the server, prints where it listens, and resolves once it has shut
 * down after SIGINT/SIGTERM (or `signal` aborting). The caller owns and closes the scorer.
 */
export async function runServe(
  options: ServeCliOptions,
  scorer: Scorer,
  log: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  signal?: AbortSignal,
): Promise<void> {
  if (options.help) {
    log(serveHelp);
    return;
  }
  const server = await startServer({ ...options.server, port: options.port, host: options.host, scorer });
  // 0.0.0.0 or :: is no address to connect to: the line says what it means, and the URL is one that works here.
  const everywhere = isWildcardHost(options.host);
  const where = everywhere ? `all interfaces (--host ${options.host}), port ${server.port}: from this machine ${server.url}` : server.url;
  log(`Workers AI-compatible server for ${MODEL_ID} (scored by ${scorer.modelId}) listening on ${where}`);
  log(`Point clients at it: CLOUDFLARE_BASE_URL=${server.baseURL}${everywhere ? ` (from another machine or a container, with this machine's address in place of ${new URL(server.url).hostname})` : ''}`);
  log(`Stats: ${server.url}/__stats`);

  const reason = await new Promise<string>((resolve) => {
    const onSigint = (): void => finish('SIGINT');
    const onSigterm = (): void => finish('SIGTERM');
    const onAbort = (): void => finish('stop requested');
    function finish(why: string): void {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      signal?.removeEventListener('abort', onAbort);
      resolve(why);
    }
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    if (signal?.aborted) finish('stop requested');
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  log(`${reason}: shutting down`);
  const stats = server.stats();
  await server.close();
  log(`Server closed after ${stats.total} requests (${stats.byStatus['200'] ?? 0} answered 200).`);
}
