/**
 * Options of the Workers AI–compatible server, their defaults and validation.
 */
import { didYouMeanValue } from '../config/did-you-mean.js';
import { ConfigError } from '../errors.js';
import type { Scorer } from '../scoring/scorer.js';
import { parseLatency, resolveFaults, type FaultOptions, type LatencyRange, type ResolvedFaults } from './fault-config.js';
import { approximateTokenCount } from './tokens.js';

/** Options of `startServer`. Fault settings (seed, latency, rates, rules) sit at the top level. */
export interface ServerOptions extends FaultOptions {
  /** Scores the texts (the embedded model in the CLI, a test scorer in tests). Required. */
  scorer: Scorer;
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** When set, requests must send `Authorization: Bearer <token>` (else 401, code 10000). @default no auth */
  token?: string;
  /** Requests per account in any sliding 60 s window (else 429, code 3021). @default unlimited */
  rpm?: number;
  /** Neurons per account per UTC day (else 429, code 4006). @default unlimited */
  dailyNeurons?: number;
  /** Largest request body accepted (else 413, code 3006). @default 1 MiB */
  maxBodyBytes?: number;
  /** Text over 512 tokens: `'reject'` (413, code 3006) or `'truncate'` (score the first 512 tokens). @default 'reject' */
  longText?: 'reject' | 'truncate';
  /** `'array'`: `result: [{label, score}, …]`; `'items'`: the old `result: { items: […] }`. @default 'array' */
  resultShape?: 'array' | 'items';
  /** `'by-score'`: most likely label first (like the documented example); `'fixed'`: NEGATIVE then POSITIVE. @default 'by-score' */
  labelOrder?: 'by-score' | 'fixed';
  /** Token count of a text, for the 512-token window and neurons. @default words + punctuation + 2 */
  countTokens?: (text: string) => number;
  /** Clock for limits and stats (tests move time without sleeping). @default Date.now */
  now?: () => number;
  /** Hold each API request back this long (`'0-200ms'`) before it counts as arrived: delivery jitter. @default none */
  arrivalJitter?: string;
  /** How long a request may take to arrive (tests shorten them to see each end a slow client). @default REQUEST_TIMEOUTS */
  requestTimeouts?: RequestTimeouts;
}

/** Bounds on a request's arrival (server.ts): answers are not bounded (--latency, the hang fault). */
export interface RequestTimeouts {
  /** Its headers, whole (node:http headersTimeout). */
  headersMs: number;
  /** The whole request, body included (node:http requestTimeout). */
  requestMs: number;
  /** How often the two above are checked (node:http connectionsCheckingInterval). */
  checkEveryMs: number;
  /** A connection that has sent no byte in this long is closed (under neither bound above). */
  silentMs: number;
}

export const REQUEST_TIMEOUTS: Readonly<RequestTimeouts> = { headersMs: 10_000, requestMs: 30_000, checkEveryMs: 1_000, silentMs: 10_000 };

export interface ResolvedServerOptions {
  scorer: Scorer;
  port: number;
  host: string;
  token: string | undefined;
  rpm: number | undefined;
  dailyNeurons: number | undefined;
  maxBodyBytes: number;
  longText: 'reject' | 'truncate';
  resultShape: 'array' | 'items';
  labelOrder: 'by-score' | 'fixed';
  countTokens: (text: string) => number;
  now: () => number;
  faults: ResolvedFaults;
  arrivalJitter: LatencyRange | undefined;
  requestTimeouts: RequestTimeouts;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Fault settings picked out of ServerOptions. */
function faultOptionsOf(options: FaultOptions): FaultOptions {
  const { seed, latency, failRate, capacityBurstRate, capacityBurstLength, dropRate, malformedRate, truncateRate, hangRate, rules } = options;
  return { seed, latency, failRate, capacityBurstRate, capacityBurstLength, dropRate, malformedRate, truncateRate, hangRate, rules };
}

export function resolveServerOptions(options: ServerOptions): ResolvedServerOptions {
  const where = 'startServer';
  if (!options.scorer || typeof options.scorer.score !== 'function') {
    throw new ConfigError(`${where}: scorer expects an object with a score(text) method, got ${String(options.scorer)}`);
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`${where}: port expects an integer from 0 to 65535, got ${port}`);
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '') throw new ConfigError(`${where}: host expects a non-empty string, got '${String(host)}'`);
  if (options.token !== undefined && (typeof options.token !== 'string' || options.token === '')) {
    throw new ConfigError(`${where}: token expects a non-empty string; leave it out to disable authentication`);
  }
  if (options.rpm !== undefined && !(Number.isSafeInteger(options.rpm) && options.rpm > 0)) {
    throw new ConfigError(`${where}: rpm expects a positive integer, got ${String(options.rpm)}`);
  }
  if (options.dailyNeurons !== undefined && !(Number.isFinite(options.dailyNeurons) && options.dailyNeurons > 0)) {
    throw new ConfigError(`${where}: dailyNeurons expects a positive number, got ${String(options.dailyNeurons)}`);
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!(Number.isSafeInteger(maxBodyBytes) && maxBodyBytes > 0)) {
    throw new ConfigError(`${where}: maxBodyBytes expects a positive integer, got ${String(maxBodyBytes)}`);
  }
  return {
    scorer: options.scorer,
    port,
    host,
    token: options.token,
    rpm: options.rpm,
    dailyNeurons: options.dailyNeurons,
    maxBodyBytes,
    longText: oneOf(where, 'longText', options.longText, ['reject', 'truncate'] as const, 'reject'),
    resultShape: oneOf(where, 'resultShape', options.resultShape, ['array', 'items'] as const, 'array'),
    labelOrder: oneOf(where, 'labelOrder', options.labelOrder, ['by-score', 'fixed'] as const, 'by-score'),
    countTokens: options.countTokens ?? approximateTokenCount,
    now: options.now ?? Date.now,
    faults: resolveFaults(faultOptionsOf(options), where),
    arrivalJitter: jitterOf(where, options.arrivalJitter),
    requestTimeouts: { ...REQUEST_TIMEOUTS, ...options.requestTimeouts },
  };
}

function jitterOf(where: string, spec: string | undefined): LatencyRange | undefined {
  if (spec === undefined) return undefined;
  const range = typeof spec === 'string' ? parseLatency(spec) : undefined;
  if (!range) throw new ConfigError(`${where}: arrivalJitter expects 0-200ms, 50ms or 0.2s, got '${String(spec)}'`);
  return range.maxMs > 0 ? range : undefined;
}

function oneOf<T extends string>(where: string, name: string, value: T | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    throw new ConfigError(`${where}: ${name} expects ${allowed.map((a) => `'${a}'`).join(' or ')}, got '${String(value)}'${didYouMeanValue(value, allowed)}`);
  }
  return value;
}
