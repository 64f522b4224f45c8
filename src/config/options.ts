import { prefixName } from './prefix-name.js';
import { CSV_ESCAPES, CSV_QUOTES, type CsvEscape, type CsvQuote } from '../io/csv-dialect.js';
import { DECIMAL_MARKS, type DecimalMark } from '../io/decimal-mark.js';
import { INPUT_FORMATS, type InputFormat } from '../io/format.js';
import type { TextFlag } from '../io/text-parts.js';
import { DEFAULT_BASE_URL, DEFAULT_MODEL } from '../scoring/workers-ai-defaults.js';
import { httpBaseUrl } from '../scoring/base-url.js';
import {
  booleanValue,
  delimiter,
  errorRate,
  durationAtLeast,
  durationMs,
  nonEmptyString,
  nonNegativeInteger,
  oneOf,
  positiveInteger,
  positiveIntegerAtMost,
  textNames,
} from './validate.js';

const BACKENDS = ['auto', 'workers-ai', 'embedded', 'local'] as const;
/** The rate limiter keeps one timestamp per request of the window: a million a minute is far past any account's limit. */
const MAX_RPM = 1_000_000;
/** Each checkpoint fsyncs the output and the checkpoint file: at 0s a 9,000-row embedded run took 109 s, at 100ms 4.2 s, at 2s 4.7 s (loaded machine). */
const MIN_CHECKPOINT_INTERVAL_MS = 100;
/** --progress-interval: a log line more often than this floods a collector, for a figure that moves little between two. */
const MIN_PROGRESS_INTERVAL_MS = 1000;
const DEVICES = ['cpu', 'cuda'] as const;
export const FORMATS = INPUT_FORMATS;
const LONG_TEXT_POLICIES = ['truncate', 'skip', 'fail'] as const;
const RESUME_MODES = ['auto', 'require'] as const;
const PROGRESS_MODES = ['auto', 'on', 'off'] as const;
export const LANGUAGE_CHECKS = ['on', 'off'] as const;
const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export { DEFAULT_BASE_URL };

/**
 * Every setting of a scoring job, once resolved: flags ?? job file ?? environment ?? defaults.
 * Secrets (apiToken) live here in memory only; the logger redacts them (log.ts).
 */
export interface JobSettings {
  input: string;
  /** Final output path; the job writes `<output>.partial` and renames on completion. */
  output: string;
  format: InputFormat | undefined;
  delimiter: string | undefined;
  /** How a quote is written inside a quoted CSV cell: undefined unless given (quote, RFC 4180), so JSONL warns about a given one. */
  escape: CsvEscape | undefined;
  /** The character that quotes a CSV cell, or none (io/unquoted-cells.ts): undefined unless given (`"`). */
  quote: CsvQuote | undefined;
  /** The mark of the appended score cells (io/decimal-mark.ts): undefined unless given (point), so JSONL warns about a given one. */
  decimal: DecimalMark | undefined;
  /** CSV column names or JSONL dotted field paths holding the text; several are joined (io/text-parts.ts). */
  text: string[] | undefined;
  /**
   * Score the text column or field even when its first rows hold only numbers or codes ('5stars', 'gr8', 'v2.1'),
   * which the start-up check refuses otherwise as a rating or an id named by mistake (preflight/numbers-as-text.ts).
   * @default false
   */
  allowNumericText: boolean;
  /**
   * off: no start-up warning, nor summary `warning`, when many first texts look written in another language than
   * English (preflight/other-language.ts), for an export scored mixed-language on purpose.
   * @default 'on'
   */
  languageCheck: (typeof LANGUAGE_CHECKS)[number];
  /** Score only the first N records (undefined: all). */
  limit: number | undefined;
  prefix: string;
  backend: (typeof BACKENDS)[number];
  baseUrl: string | undefined;
  model: string;
  accountId: string | undefined;
  apiToken: string | undefined;
  /** Requests per minute, never exceeded in any 60 s window. */
  rpm: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Attempts per row, the first included. */
  maxAttempts: number;
  /** Timeout of one attempt. */
  timeoutMs: number;
  /** Stop after this many failed rows (undefined: no absolute limit). */
  maxErrors: number | undefined;
  /** Stop when more than this share of the last 200 rows sent failed (0..1). */
  maxErrorRate: number;
  restart: boolean;
  resume: (typeof RESUME_MODES)[number];
  /** How long in-flight requests may finish after SIGINT/SIGTERM. */
  graceMs: number;
  checkpointIntervalMs: number;
  longText: (typeof LONG_TEXT_POLICIES)[number];
  cache: string | undefined;
  cacheMaxAgeDays: number;
  maxNeurons: number | undefined;
  maxRequests: number | undefined;
  redis: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  /** auto: readable lines when stderr is a terminal, JSON lines otherwise. */
  logFormat: (typeof LOG_FORMATS)[number];
  progress: (typeof PROGRESS_MODES)[number];
  /** How often a progress log line is written off a terminal (a terminal's line is redrawn every 500 ms). */
  progressIntervalMs: number;
  summaryJson: string | undefined;
  /** After a successful run, write a report of the output here (.html, or .json for the figures). */
  report: string | undefined;
  /** Columns the end-of-run report groups by, trends over and compares with. */
  reportBy: string | undefined;
  reportDate: string | undefined;
  reportRating: string | undefined;
  /** --backend local: the model folder from a flag or job file (else SENTIMENT_BATCH_MODEL_DIR, else the Hub cache's snapshot that `model pull` fetched). */
  modelDir: string | undefined;
  /** --backend local: undefined unless given (cpu), so that a --device given to another backend is warned about. */
  device: (typeof DEVICES)[number] | undefined;
  /** --backend local: cores to use (default: all; capped at the machine's, scoring/local/threads.ts). */
  threads: number | undefined;
  /** --backend local: texts per inference call (default: decided at load, see src/scoring/local/). */
  localBatch: number | undefined;
  /**
   * The settings a flag or the job file gave (not a default nor the environment, which describes the
   * machine): a setting with a default (--rpm) given to a backend that has no use for it is warned about.
   */
  given?: ReadonlySet<keyof JobSettings>;
  /** The job file (as named on the command line) and the settings it gave that no flag overrode: messages name those by their key in it. */
  jobFile?: {
    path: string;
    keys: ReadonlySet<keyof JobSettings>;
    /** Its "input" was written as an absolute path: a line about the input does not say it was read from the file's folder. */
    absoluteInput?: true;
  };
  /**
   * The flag that named `text` (a job file's "textField" counts as --text-field): either reads a CSV column or a
   * JSONL field, and the messages about the text name the one given (io/text-parts.ts).
   */
  textFlag?: TextFlag;
  /** The variable apiToken was read from: messages name CLOUDFLARE_API_TOKEN_FILE when it was the file. */
  apiTokenFrom?: 'CLOUDFLARE_API_TOKEN' | 'CLOUDFLARE_API_TOKEN_FILE';
}

type Parse = (name: string, value: unknown) => unknown;

/** One table drives flags, job-file keys, environment variables, defaults and validation. */
export interface OptionSpec {
  key: keyof JobSettings;
  flag: string;
  short?: string;
  /** Boolean flags take no value. */
  boolean?: boolean;
  /** The flag may be repeated; `parse` then gets every value, as a job file's array would be. */
  multiple?: boolean;
  /** Its value is a name that may hold a space (argv.ts FlagSpec.named). */
  named?: boolean;
  env?: string;
  parse: Parse;
  help: string;
}

export const OPTION_SPECS: readonly OptionSpec[] = [
  { key: 'output', flag: 'output', named: true, short: 'o', parse: nonEmptyString, help: 'output path, in the input\'s format (default: <input>.scored.<ext> beside the input); - for standard output (cannot resume)' },
  { key: 'format', flag: 'format', parse: (n, v) => oneOf(n, v, FORMATS), help: 'csv | tsv | jsonl (default: from the extension; .gz allowed)' },
  { key: 'delimiter', flag: 'delimiter', parse: delimiter, help: "CSV delimiter: one character, or 'tab' (default , for csv, tab for tsv)" },
  { key: 'escape', flag: 'escape', parse: (n, v) => oneOf(n, v, CSV_ESCAPES), help: 'quote | backslash: how a quote is written inside a quoted CSV cell: "" (RFC 4180) or \\" (MySQL INTO OUTFILE, pandas escapechar) (default quote)' },
  { key: 'quote', flag: 'quote', parse: (n, v) => oneOf(n, v, CSV_QUOTES), help: '\'"\' | none: none reads an export that never quotes a cell (MySQL INTO OUTFILE default, Python csv QUOTE_NONE): a quote is text, a backslash escapes; needs --escape backslash (default ")' },
  { key: 'decimal', flag: 'decimal', parse: (n, v) => oneOf(n, v, DECIMAL_MARKS), help: "point | comma: the decimal mark of the appended scores; comma (0,97) for a ';'-separated German or French Excel export, whose own numbers read 4,5; not with the ',' delimiter (default point)" },
  { key: 'text', flag: 'text-column', named: true, multiple: true, parse: textNames, help: 'CSV column holding the review text (default text); repeat to join several (title, review)' },
  { key: 'text', flag: 'text-field', named: true, multiple: true, parse: textNames, help: 'JSONL field holding the text (default text); dotted paths allowed (review.body); repeatable like --text-column' },
  { key: 'allowNumericText', flag: 'allow-numeric-text', boolean: true, parse: booleanValue, help: 'score a text column/field whose first rows hold only numbers or codes (5stars, gr8, v2.1), refused otherwise as a rating or an id named by mistake' },
  { key: 'languageCheck', flag: 'language-check', parse: (n, v) => oneOf(n, v, LANGUAGE_CHECKS), help: "on | off: warn at start-up and in the summary when one in ten of the first 100 texts looks written in another language than English, or in a font generator's letters; off for an export scored so on purpose (default on)" },
  { key: 'limit', flag: 'limit', parse: positiveInteger, help: 'score only the first N records (a complete job of its own: the output holds those N) (default: all)' },
  { key: 'prefix', flag: 'prefix', named: true, parse: prefixName, help: 'name of the new columns / JSONL field (default sentiment)' },
  { key: 'backend', flag: 'backend', parse: (n, v) => oneOf(n, v, BACKENDS), help: 'auto | workers-ai | embedded | local (default auto: Workers AI when both credentials are set; never switches the backend of a checkpoint)' },
  { key: 'baseUrl', flag: 'base-url', env: 'CLOUDFLARE_BASE_URL', parse: httpBaseUrl, help: `Workers AI-compatible API base (default ${DEFAULT_BASE_URL})` },
  { key: 'model', flag: 'model', parse: nonEmptyString, help: `Workers AI model id (default ${DEFAULT_MODEL})` },
  { key: 'accountId', flag: 'account-id', env: 'CLOUDFLARE_ACCOUNT_ID', parse: nonEmptyString, help: 'Cloudflare account id (or CLOUDFLARE_ACCOUNT_ID)' },
  { key: 'rpm', flag: 'rpm', parse: positiveIntegerAtMost(MAX_RPM), help: 'requests per minute, never exceeded in any 60 s window of one run (default 2000)' },
  { key: 'concurrency', flag: 'concurrency', parse: positiveInteger, help: 'requests in flight at once (default 48)' },
  { key: 'maxAttempts', flag: 'max-attempts', parse: positiveInteger, help: 'attempts per row, the first included (default 6)' },
  { key: 'timeoutMs', flag: 'timeout', parse: durationAtLeast(1, 'an attempt given no time can only time out'), help: 'timeout of one attempt, with a unit (ms, s, m or h): 30s, 500ms, 2m (default 30s)' },
  { key: 'maxErrors', flag: 'max-errors', parse: nonNegativeInteger, help: 'stop after this many failed rows (default: no limit)' },
  { key: 'maxErrorRate', flag: 'max-error-rate', parse: errorRate, help: 'stop when more than this share of the last 200 rows sent failed, or of the whole job once its output is complete (default 0.5)' },
  { key: 'restart', flag: 'restart', boolean: true, parse: booleanValue, help: 'ignore any checkpoint and start over' },
  { key: 'resume', flag: 'resume', parse: (n, v) => oneOf(n, v, RESUME_MODES), help: 'auto | require: fail instead of starting over when the checkpoint does not match (default auto)' },
  { key: 'graceMs', flag: 'grace', parse: durationMs, help: 'on SIGINT/SIGTERM, time for in-flight requests to finish (default 5s)' },
  { key: 'checkpointIntervalMs', flag: 'checkpoint-interval', parse: durationAtLeast(MIN_CHECKPOINT_INTERVAL_MS, 'each checkpoint waits for the disk: more often slows the run many times over'), help: 'how often progress is made durable (default 2s)' },
  { key: 'longText', flag: 'long-text', parse: (n, v) => oneOf(n, v, LONG_TEXT_POLICIES), help: 'texts over 512 tokens: truncate | skip | fail (default truncate)' },
  { key: 'cache', flag: 'cache', named: true, parse: nonEmptyString, help: 'result cache directory shared across runs (default: none)' },
  { key: 'cacheMaxAgeDays', flag: 'cache-max-age-days', parse: positiveInteger, help: 'cache entries older than this are not used (default 90)' },
  { key: 'maxNeurons', flag: 'max-neurons', parse: positiveInteger, help: 'pause (exit 75) before this run may be billed more neurons than this (errors answered by the service are not counted); the next run continues (default: none)' },
  { key: 'maxRequests', flag: 'max-requests', parse: positiveInteger, help: 'pause (exit 75) before this run sends more requests (retries too) than this (exit 5 when they went on a service that looks down); the next run continues (default: none)' },
  { key: 'redis', flag: 'redis', env: 'REDIS_URL', parse: nonEmptyString, help: 'share the rate limit with other jobs through this Redis (or REDIS_URL; default: none)' },
  { key: 'logLevel', flag: 'log-level', parse: (n, v) => oneOf(n, v, LOG_LEVELS), help: 'fatal | error | warn | info | debug | trace | silent (default info)' },
  { key: 'logFormat', flag: 'log-format', parse: (n, v) => oneOf(n, v, LOG_FORMATS), help: 'auto | json | pretty: log lines on stderr (default auto: readable on a terminal, JSON otherwise; the line a failed command ends with stays plain unless json is named)' },
  { key: 'progress', flag: 'progress', parse: (n, v) => oneOf(n, v, PROGRESS_MODES), help: 'auto | on | off: progress line on a terminal, a log line every --progress-interval otherwise (default auto)' },
  { key: 'progressIntervalMs', flag: 'progress-interval', parse: durationAtLeast(MIN_PROGRESS_INTERVAL_MS, "a log line more often than that floods the log; a terminal's line is redrawn every 500ms whatever it says"), help: 'how often a progress log line is written off a terminal, at least 1s: 1m for a log collector (default 5s)' },
  { key: 'summaryJson', flag: 'summary-json', named: true, parse: nonEmptyString, help: 'also write the run summary as JSON to this path (default: none)' },
  { key: 'report', flag: 'report', named: true, parse: nonEmptyString, help: 'after a successful run, write a report of the output here (.html, or .json) (default: none)' },
  { key: 'reportBy', flag: 'report-by', named: true, parse: nonEmptyString, help: 'the report: positive share by this column (default: none)' },
  { key: 'reportDate', flag: 'report-date', named: true, parse: nonEmptyString, help: 'the report: trend by day or week of this date column (default: none)' },
  { key: 'reportRating', flag: 'report-rating', named: true, parse: nonEmptyString, help: 'the report: agreement with this star-rating column (default: none)' },
  { key: 'modelDir', flag: 'model-dir', named: true, parse: nonEmptyString, help: "--backend local: model folder (default: SENTIMENT_BATCH_MODEL_DIR, else what 'model pull' fetched into the Hub cache)" },
  { key: 'device', flag: 'device', parse: (n, v) => oneOf(n, v, DEVICES), help: '--backend local: cpu | cuda (default cpu; cuda needs onnxruntime-node\'s CUDA provider)' },
  { key: 'threads', flag: 'threads', parse: positiveInteger, help: "--backend local: cores to use (default: all; more than the machine's is capped at its count, with a warning)" },
  { key: 'localBatch', flag: 'local-batch', parse: positiveInteger, help: '--backend local: texts per inference call (default: batches only where answers do not depend on them)' },
];

export const DEFAULTS: Omit<JobSettings, 'input' | 'output'> = {
  format: undefined,
  delimiter: undefined,
  escape: undefined,
  quote: undefined,
  decimal: undefined,
  text: undefined,
  allowNumericText: false,
  languageCheck: 'on',
  limit: undefined,
  prefix: 'sentiment',
  backend: 'auto',
  baseUrl: undefined,
  model: DEFAULT_MODEL,
  accountId: undefined,
  apiToken: undefined,
  rpm: 2000,
  concurrency: 48,
  maxAttempts: 6,
  timeoutMs: 30_000,
  maxErrors: undefined,
  maxErrorRate: 0.5,
  restart: false,
  resume: 'auto',
  graceMs: 5000,
  checkpointIntervalMs: 2000,
  longText: 'truncate',
  cache: undefined,
  cacheMaxAgeDays: 90,
  maxNeurons: undefined,
  maxRequests: undefined,
  redis: undefined,
  logLevel: 'info',
  logFormat: 'auto',
  progress: 'auto',
  progressIntervalMs: 5000,
  summaryJson: undefined,
  report: undefined,
  reportBy: undefined,
  reportDate: undefined,
  reportRating: undefined,
  modelDir: undefined,
  device: undefined,
  threads: undefined,
  localBatch: undefined,
};

