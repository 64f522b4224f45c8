/**
 * Fault-injection settings: their types, the latency syntax, and validation of
 * settings that arrive as untyped JSON (a `--faults` file, `POST /__control/faults`,
 * `POST /__control/next`).
 */
import { didYouMean } from '../config/did-you-mean.js';
import { MAX_TIMER_MS } from '../config/validate.js';
import { ConfigError } from '../errors.js';
import { isPlainObject } from '../io/dotted-path.js';
import { DEFAULT_SEED } from './random.js';

/** Latency added before an answer, drawn uniformly from [minMs, maxMs]. */
export interface LatencyRange {
  minMs: number;
  maxMs: number;
}

/**
 * A scripted answer, used by `rules` and by the forced-answer queue
 * (`POST /__control/next`). At most one of drop / malformed / truncate / hang.
 */
export interface AnswerSpec {
  /**
   * HTTP status of an error answer. `200` means "answer normally" (score the
   * text, skipping random faults and limits).
   * @default 500
   */
  status?: number;
  /** Cloudflare error code; defaults by status (400→5006, 401→10000, 408→3007, 413→3006, 429→3040, 5xx→3043). */
  code?: number;
  /** Error message; defaults to the usual message for the code. */
  message?: string;
  /** Whole seconds sent in a `Retry-After` header. */
  retryAfter?: number;
  /** Milliseconds to wait before answering (or dropping). */
  delayMs?: number;
  /** Destroy the connection without answering. */
  drop?: boolean;
  /** Answer 200 with a body that is not JSON. */
  malformed?: boolean;
  /** Answer 200 with a JSON body cut in the middle. */
  truncate?: boolean;
  /** Never answer; the connection stays open until the client gives up or the server closes. */
  hang?: boolean;
}

/** The forced-answer queue's bound: enough for any script, small enough that a mistake cannot eat the memory. */
export const MAX_FORCED_ANSWERS = 10_000;

/** Answer requests whose text matches with `respond` (checked after input validation, in order). */
export interface FaultRule {
  /** Matches when the text contains this substring. */
  textIncludes?: string;
  /** Matches when the text is exactly this string. */
  textEquals?: string;
  respond: AnswerSpec;
}

/** Random and scripted faults. All rates are probabilities per request in [0, 1]. */
export interface FaultOptions {
  /** Seed of the fault PRNG: same seed and request order → same outcomes. @default 1 */
  seed?: number;
  /** `'80-250ms'` (uniform), `'100ms'`, `'1.5s'`, `'0'`, or a range object. @default no latency */
  latency?: string | LatencyRange;
  /** Fraction of requests answered 500 (code 3043). @default 0 */
  failRate?: number;
  /** Chance that a request starts a burst of 429 code 3040 "Capacity temporarily exceeded". @default 0 */
  capacityBurstRate?: number;
  /** Number of consecutive requests a capacity burst covers. @default 5 */
  capacityBurstLength?: number;
  /** Fraction of requests whose connection is destroyed without an answer. @default 0 */
  dropRate?: number;
  /** Fraction of requests answered 200 with a body that is not JSON. @default 0 */
  malformedRate?: number;
  /** Fraction of requests answered 200 with a JSON body cut short. @default 0 */
  truncateRate?: number;
  /** Fraction of requests never answered. @default 0 */
  hangRate?: number;
  /** Deterministic answers by text. @default [] */
  rules?: FaultRule[];
}

/** FaultOptions with every default applied and every value checked. */
export interface ResolvedFaults {
  seed: number;
  latency: LatencyRange;
  failRate: number;
  capacityBurstRate: number;
  capacityBurstLength: number;
  dropRate: number;
  malformedRate: number;
  truncateRate: number;
  hangRate: number;
  rules: FaultRule[];
}

const RATE_KEYS = ['failRate', 'capacityBurstRate', 'dropRate', 'malformedRate', 'truncateRate', 'hangRate'] as const;
const FAULT_KEYS = new Set<string>(['seed', 'latency', 'capacityBurstLength', 'rules', ...RATE_KEYS]);
const ANSWER_KEYS = new Set<string>(['status', 'code', 'message', 'retryAfter', 'delayMs', 'drop', 'malformed', 'truncate', 'hang']);

/** Parses `'80-250ms'`, `'100ms'`, `'0.5s'`, `'1-2s'` or `'0'` into a range in milliseconds. */
export function parseLatency(spec: string): LatencyRange | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*(?:-\s*(\d+(?:\.\d+)?)\s*(ms|s)?)?\s*$/.exec(spec);
  if (!match) return undefined;
  const [, a, unitA, b, unitB] = match;
  // '80-250ms': a unit written only once applies to both ends.
  const toMs = (value: string, unit: string | undefined): number => (unit === 's' ? Number(value) * 1000 : Number(value));
  const minMs = toMs(a ?? '0', unitA ?? unitB);
  const maxMs = b === undefined ? minMs : toMs(b, unitB ?? unitA);
  if (!(minMs <= maxMs)) return undefined;
  if (spec.trim() !== '0' && unitA === undefined && unitB === undefined) return undefined;
  return { minMs, maxMs };
}

/** Applies defaults and checks ranges; `source` names the origin in messages (e.g. `faults file 'f.json'`). */
export function resolveFaults(options: FaultOptions, source = 'faults'): ResolvedFaults {
  const rate = (key: (typeof RATE_KEYS)[number]): number => {
    const value = options[key] ?? 0;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
      throw new ConfigError(`${source}: ${key} expects a number between 0 and 1, got ${show(value)}`);
    }
    return value;
  };
  const rates = Object.fromEntries(RATE_KEYS.map((key) => [key, rate(key)])) as Record<(typeof RATE_KEYS)[number], number>;
  // One draw decides between these outcomes, so together they cannot exceed certainty.
  const outcomeTotal = rates.failRate + rates.dropRate + rates.malformedRate + rates.truncateRate + rates.hangRate;
  if (outcomeTotal > 1 + 1e-9) {
    throw new ConfigError(
      `${source}: failRate + dropRate + malformedRate + truncateRate + hangRate must be at most 1, got ${outcomeTotal}; lower some of them`,
    );
  }
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new ConfigError(`${source}: seed expects a non-negative integer, got ${show(seed)}`);
  const burstLength = options.capacityBurstLength ?? 5;
  if (!Number.isSafeInteger(burstLength) || burstLength < 1) {
    throw new ConfigError(`${source}: capacityBurstLength expects a positive integer, got ${show(burstLength)}`);
  }
  return {
    ...rates,
    seed,
    latency: resolveLatency(options.latency, source),
    capacityBurstLength: burstLength,
    rules: (options.rules ?? []).map((rule, i) => checkRule(rule, `${source}: rules[${i}]`)),
  };
}

function resolveLatency(latency: FaultOptions['latency'], source: string): LatencyRange {
  const range = latencyRange(latency, source);
  if (range.maxMs > MAX_TIMER_MS) throw new ConfigError(`${source}: latency expects at most ${MAX_TIMER_MS} ms (Node.js fires a longer timer at once), got ${show(latency)}`);
  return range;
}

function latencyRange(latency: FaultOptions['latency'], source: string): LatencyRange {
  if (latency === undefined) return { minMs: 0, maxMs: 0 };
  if (typeof latency === 'string') {
    const range = parseLatency(latency);
    if (!range) throw new ConfigError(`${source}: latency expects '100ms', '80-250ms' or '1.5s', got ${show(latency)}`);
    return range;
  }
  const { minMs, maxMs } = latency;
  if (!(Number.isFinite(minMs) && Number.isFinite(maxMs) && minMs >= 0 && minMs <= maxMs)) {
    throw new ConfigError(`${source}: latency expects { minMs, maxMs } with 0 <= minMs <= maxMs, got ${show(latency)}`);
  }
  return { minMs, maxMs };
}

/** Validates untyped JSON as FaultOptions (unknown keys are rejected so typos do not pass silently). */
export function parseFaultOptions(raw: unknown, source: string): FaultOptions {
  if (!isPlainObject(raw)) throw new ConfigError(`${source}: expected a JSON object of fault settings, got ${show(raw)}`);
  for (const key of Object.keys(raw)) {
    if (!FAULT_KEYS.has(key)) {
      throw new ConfigError(`${source}: unknown setting '${key}'${didYouMean(key, [...FAULT_KEYS])}; expected one of ${[...FAULT_KEYS].join(', ')}`);
    }
  }
  const rules = raw['rules'];
  if (rules !== undefined && !Array.isArray(rules)) throw new ConfigError(`${source}: rules expects an array, got ${show(rules)}`);
  const options = { ...raw } as FaultOptions;
  resolveFaults(options, source); // throws on any bad value
  return options;
}

function checkRule(rule: unknown, where: string): FaultRule {
  if (!isPlainObject(rule)) throw new ConfigError(`${where} expects an object like { "textIncludes": "X", "respond": {...} }, got ${show(rule)}`);
  const { textIncludes, textEquals, respond } = rule;
  if (textIncludes === undefined && textEquals === undefined) throw new ConfigError(`${where} needs textIncludes or textEquals`);
  for (const [name, value] of [['textIncludes', textIncludes], ['textEquals', textEquals]] as const) {
    if (value !== undefined && typeof value !== 'string') throw new ConfigError(`${where}.${name} expects a string, got ${show(value)}`);
  }
  return { ...(rule as unknown as FaultRule), respond: parseAnswerSpec(respond, `${where}.respond`) };
}

/** Validates one scripted answer (a rule's `respond` or an item of the forced queue). */
export function parseAnswerSpec(raw: unknown, where: string): AnswerSpec {
  if (!isPlainObject(raw)) throw new ConfigError(`${where} expects an object like { "status": 500 }, got ${show(raw)}`);
  for (const key of Object.keys(raw)) {
    if (!ANSWER_KEYS.has(key)) throw new ConfigError(`${where}: unknown key '${key}'${didYouMean(key, [...ANSWER_KEYS])}; expected one of ${[...ANSWER_KEYS].join(', ')}`);
  }
  const { status, code, message, retryAfter, delayMs } = raw;
  if (status !== undefined && !(Number.isInteger(status) && (status as number) >= 200 && (status as number) <= 599)) {
    throw new ConfigError(`${where}.status expects an HTTP status between 200 and 599, got ${show(status)}`);
  }
  if (code !== undefined && !(Number.isInteger(code) && (code as number) > 0)) throw new ConfigError(`${where}.code expects a positive integer, got ${show(code)}`);
  if (message !== undefined && typeof message !== 'string') throw new ConfigError(`${where}.message expects a string, got ${show(message)}`);
  for (const [name, value] of [['retryAfter', retryAfter], ['delayMs', delayMs]] as const) {
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw new ConfigError(`${where}.${name} expects a non-negative number, got ${show(value)}`);
    }
  }
  if (typeof delayMs === 'number' && delayMs > MAX_TIMER_MS) throw new ConfigError(`${where}.delayMs expects at most ${MAX_TIMER_MS} (Node.js fires a longer timer at once), got ${show(delayMs)}`);
  const kinds = (['drop', 'malformed', 'truncate', 'hang'] as const).filter((kind) => {
    const value = raw[kind];
    if (value !== undefined && typeof value !== 'boolean') throw new ConfigError(`${where}.${kind} expects true or false, got ${show(value)}`);
    return value === true;
  });
  if (kinds.length > 1) throw new ConfigError(`${where}: choose one of ${kinds.join(', ')}, not several`);
  return raw as AnswerSpec;
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // JSON.stringify recurses: a value nested some 10,000 levels deep (JSON.parse reads it) overflows the stack, and
    // the refusal became a 500 "Maximum call stack size exceeded" (an internal error for a --faults file).
    return `${Array.isArray(value) ? 'an array' : 'an object'} nested too deeply to show`;
  }
}
