/**
 * The one error hierarchy of sentiment-batch.
 *
 * Only what stops the whole job is thrown. A single record's failure is data
 * (a `RowFailure` on the record's outcome), never an exception that escapes
 * the pipeline.
 */

/** Process exit codes; summed up in the README's table, in full in docs/exit-codes.md; relied on by schedulers. */
export const ExitCode = {
  /** All records written (or the job had already been completed). */
  Done: 0,
  /** A bug: an unexpected exception. */
  Internal: 1,
  /** Bad flags, job file or environment. Fix the command, then run again. */
  Usage: 2,
  /** The input could not be read or parsed as a whole. */
  Input: 3,
  /** The service refused the job (credentials, permissions, model id). */
  FatalApi: 4,
  /** Too many rows failed (the --max-errors guard tripped). */
  TooManyErrors: 5,
  /** The machine refused (disk full, read-only, permission, open-file limit, busy port): fix it, run the same command again. */
  MachineFault: 74,
  /** Try later: daily allocation or budget used up, the service asks to wait longer than a run waits, or another run holds the output's lock. */
  Paused: 75,
  /** Stopped by SIGINT/SIGTERM/SIGHUP; the same command resumes. */
  Interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The exit code a mend's summary records when the mend failed after the output was complete (completed-rerun.ts,
 * mend-earlier-failures.ts): the input changed under it (input-unchanged.ts), exit 3; else a fault of the machine (a
 * disk that filled up with the mended copy), exit 74.
 */
export function mendFailureExitCode(error: unknown): ExitCodeValue {
  return error instanceof InputError ? ExitCode.Input : ExitCode.MachineFault;
}

export type ErrorCode =
  | 'usage'
  | 'config'
  | 'input'
  | 'checkpoint'
  | 'model_file'
  | 'download'
  | 'api_auth'
  | 'api_model'
  | 'api_forbidden'
  | 'api_fatal'
  | 'daily_quota'
  | 'retry_later'
  | 'budget'
  | 'shared_limit_lost'
  | 'too_many_errors'
  | 'locked'
  | 'machine'
  | 'interrupted'
  | 'internal';

const exitCodeOf: Record<ErrorCode, ExitCodeValue> = {
  usage: ExitCode.Usage,
  config: ExitCode.Usage,
  input: ExitCode.Input,
  checkpoint: ExitCode.Input,
  model_file: ExitCode.Usage,
  // `model pull`: the Hub refused, the network failed, or a file did not match its hash.
  download: ExitCode.FatalApi,
  api_auth: ExitCode.FatalApi,
  api_model: ExitCode.FatalApi,
  api_forbidden: ExitCode.FatalApi,
  api_fatal: ExitCode.FatalApi,
  daily_quota: ExitCode.Paused,
  retry_later: ExitCode.Paused,
  budget: ExitCode.Paused,
  // Redis behind the shared rate limit went away mid-run: nothing may be sent, the checkpoint is good.
  shared_limit_lost: ExitCode.Paused,
  too_many_errors: ExitCode.TooManyErrors,
  // Another run is writing the same output: this one touched nothing; the next schedule will do.
  locked: ExitCode.Paused,
  machine: ExitCode.MachineFault,
  interrupted: ExitCode.Interrupted,
  internal: ExitCode.Internal,
};

export class SentimentBatchError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCodeValue;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SentimentBatchError';
    this.code = code;
    this.exitCode = exitCodeOf[code];
  }
}

/** Bad flags, job file or environment: "--rpm expects a positive integer, got 'fast'". */
export class ConfigError extends SentimentBatchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('config', message, options);
    this.name = 'ConfigError';
  }
}

/**
 * Two paths of one job are the same file (`--summary-json` naming the input,
 * `-o` reached through a link to the input): refused before anything is
 * written. `flags` are the two it names; a clash that involves `--summary-json`
 * must not be answered with a failure summary written to that path.
 */
export class PathClashError extends ConfigError {
  readonly flags: readonly string[];

  constructor(message: string, flags: readonly string[]) {
    super(message);
    this.name = 'PathClashError';
    this.flags = flags;
  }
}

/** The input as a whole is unreadable (missing file, no header, unterminated quote). */
export class InputError extends SentimentBatchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('input', message, options);
    this.name = 'InputError';
  }
}

/**
 * A mend of a completed job's failed rows refused as the input changed under it (job/input-unchanged.ts). `again`: what
 * the next run needs, in the words of its line ("run the same command with in.csv.gz in place of in.csv" for an input
 * gzipped in place), for the summary's last line on the rows left failed (job/mend-refused-line.ts), which said "run the
 * same command again once it is final" beneath a line naming the .gz.
 */
export class InputChangedInMendError extends InputError {
  readonly again: MendAgain;

  constructor(message: string, again: MendAgain) {
    super(message);
    this.again = again;
  }
}

/**
 * A refused mend's advice to the next run (`advice`, in the words of the refusal's line) and the change it answers
 * (`kind`): an input rewritten or grown in the part read, removed, or gzipped or gunzipped in place, whose bytes once
 * read are the job's whichever way they are stored (the summary's last line says "the same, compressed or not" then).
 */
export interface MendAgain {
  advice: string;
  kind: 'rewritten' | 'removed' | 'in-place';
}

/**
 * The input ends inside a record, with no line ending: an export cut short (io/cut-short.ts builds every one). `place`
 * is what the message says of the cut, without the advice after it, which speaks to score's input (an export to let
 * finish or export again): for a command that reads another kind of file to give its own (report/cut-short-output.ts).
 * `record` is a JSONL line's text, for the startup checks, which judge the lines before it (a file that is no JSON
 * Lines at all ends in such a line too, and is said as what it is).
 */
export class CutShortError extends InputError {
  readonly place: string;
  readonly record: string | undefined;

  constructor(message: string, place: string, options?: { record?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.place = place;
    this.record = options?.record;
  }
}

/** The machine refused an operation (ENOSPC, EROFS, EACCES, EMFILE, EADDRINUSE...): not a bug; see machine-fault.ts. */
export class MachineFaultError extends SentimentBatchError {
  readonly errno: string;

  constructor(errno: string, message: string, options?: { cause?: unknown }) {
    super('machine', message, options);
    this.name = 'MachineFaultError';
    this.errno = errno;
  }
}

/**
 * A failure after the job's output was complete (a mend the machine refused): the output at its path is whole,
 * the last run's or the mended copy. The command reports `cause` as it would any failure, and says in
 * `--summary-json` that the output is complete (`outputComplete`), as after a mend stopped by a signal.
 */
export class OutputKeptError extends SentimentBatchError {
  constructor(cause: unknown) {
    super(cause instanceof SentimentBatchError ? cause.code : 'internal', errorMessage(cause), { cause });
    this.name = 'OutputKeptError';
  }
}

/**
 * A failure of one scoring attempt, classified once by the client that saw it.
 * - `retry`: transient; try again after a delay.
 * - `row`: this text will never succeed; the row is written with an error.
 * - `pause`: the account cannot score more today, or the service asks to wait longer than a run waits; stop cleanly and resume later.
 * - `fatal`: the configuration is wrong; stop at once.
 */
export type FailureKind = 'retry' | 'row' | 'pause' | 'fatal';

export class ScoringError extends SentimentBatchError {
  readonly kind: FailureKind;
  /** Stable per-row code written to the output, e.g. `bad_input`, `http_500`, `cf_3040`. */
  readonly rowCode: string;
  readonly status: number | undefined;
  readonly cfCode: number | undefined;
  /** Server-requested wait before the next attempt, when it said so. */
  readonly retryAfterMs: number | undefined;
  /**
   * A `row` failure the documentation does not name as the text's fault (an undocumented 4xx, a proxy's 400):
   * not retried now, but not final either: the row is listed for the next run to try again.
   */
  readonly unsure: boolean;
  /**
   * A complete answer that is not the model's (scoring/answer.ts: a proxy's page, JSON of another shape): retried
   * once, not as often as an outage is (retry.ts FOREIGN_ANSWER_ATTEMPTS).
   */
  readonly foreignAnswer: boolean;
  /**
   * The attempt ended before its request was written to a connection (scoring/abandon-on-abort.ts): a shutdown that
   * cut off a connection still being made. Nothing reached the service (job/run-budget.ts neverSent).
   */
  readonly unsent: boolean;

  constructor(
    kind: FailureKind,
    rowCode: string,
    message: string,
    details: { status?: number; cfCode?: number; retryAfterMs?: number; unsure?: boolean; foreignAnswer?: boolean; unsent?: boolean; cause?: unknown } = {},
  ) {
    super(errorCodeForKind(kind, details.status, details.cfCode, rowCode), message, { cause: details.cause });
    this.name = 'ScoringError';
    this.kind = kind;
    this.rowCode = rowCode;
    this.status = details.status;
    this.cfCode = details.cfCode;
    this.retryAfterMs = details.retryAfterMs;
    this.unsure = details.unsure === true;
    this.foreignAnswer = details.foreignAnswer === true;
    this.unsent = details.unsent === true;
  }
}

function errorCodeForKind(kind: FailureKind, status?: number, cfCode?: number, rowCode?: string): ErrorCode {
  // A pause is the daily allocation, or a service asking to be left alone longer than a run waits (retry.ts waitBeyondCap).
  if (kind === 'pause') return rowCode === 'daily_quota' ? 'daily_quota' : 'retry_later';
  if (kind !== 'fatal') return 'internal'; // never escapes as a job error
  // This machine refused the client the address space it needs (process/address-space.ts): exit 74, not the service's fault.
  if (rowCode === 'address_space') return 'machine';
  if (status === 401 || cfCode === 10000) return 'api_auth';
  if (cfCode === 5007 || cfCode === 3042) return 'api_model';
  if (status === 403) return 'api_forbidden';
  return 'api_fatal';
}

/** A per-row failure as written to the output: stable code, human message. */
export interface RowFailure {
  code: string;
  message: string;
  /**
   * The service failed (5xx, network, timeout, 429, a malformed answer) until the
   * attempts ran out, or refused the request with a 4xx its documentation does not
   * name: another run may well score the row. Never written to the output.
   */
  transient?: boolean;
  /** `rate_limited`: the Cloudflare error code of the last 429 (3021 …), when it carried one. Never written to the output. */
  serviceCode?: number;
}

/**
 * An error and the errors it was caused by, outermost first: at most 4 (a fetch's "fetch failed" wraps the socket's
 * refusal, which our own wrapping may wrap again; a cause chain that loops ends there too), and only while each is an
 * Error. machine-fault.ts, escaped-error.ts and `model pull`'s full-disk advice walk it alike, so each looks as deep.
 */
export function* causes(error: unknown): Generator<Error> {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth++) yield current;
}

/**
 * What failed, in words: an Error's message, anything else as a string. It is called while a failure is being
 * reported (the summary, the one line on standard error), so it never throws: a stream or a library may reject with
 * a value that has no string form (`Object.create(null)`, an object whose toString throws, a revoked Proxy), and
 * String() throwing there replaced the failure with a crash.
 */
export function errorMessage(error: unknown): string {
  try {
    if (error instanceof Error) return typeof error.message === 'string' ? error.message : thrownText(error.message);
  } catch {
    // A message getter that throws, or a Proxy whose prototype cannot be read: said as the value it is.
  }
  return thrownText(error);
}

/** Any thrown value as text (`TypeError: x`, `[object Object]`), never throwing: String(), else its JSON, else its tag. */
export function thrownText(value: unknown): string {
  try {
    return String(value);
  } catch {
    // No string form: what JSON makes of it (a plain object of fields), else the tag every object has.
  }
  try {
    const json = JSON.stringify(value);
    if (typeof json === 'string' && json !== '{}') return json;
  } catch {
    // Cycles, BigInt fields, getters that throw.
  }
  try {
    return Object.prototype.toString.call(value);
  } catch {
    return `a thrown ${typeof value} without a string form`;
  }
}
