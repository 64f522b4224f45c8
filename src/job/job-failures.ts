import { ExitCode, SentimentBatchError } from '../errors.js';
import type { JobSettings } from '../config/options.js';
import { ANY_ERROR_PLACE, errorPlace } from '../io/error-place.js';
import type { InputFormat } from '../io/format.js';
import type { FailureCounts } from '../state/failure-counts.js';
import type { Totals } from '../state/totals.js';
import { counted } from '../wording/counted.js';
import { groupedNumber } from '../wording/grouped-number.js';
import { unreadableCauses } from './reader-failures.js';
import { settingWords, textNamed } from '../config/setting-names.js';
import { textSetting } from '../io/text-parts.js';
import type { SummaryOf } from './run-context.js';
import type { Summary } from './summary.js';

/**
 * The verdict on a job whose output is complete: too many of its rows failed
 * (exit 5) or not. It is judged over the whole job, every row counted once as
 * the output holds it now (rows written by earlier runs of a resumed job too; a
 * row a later run mended counts as scored), with the limits of the command that
 * judges it. So the same output gets the same verdict from every run: the one
 * that completes it, a resumed one, and a rerun that finds it already done.
 * (Stopping mid-run is another matter: error-guard.ts judges this run's last rows.)
 */

/**
 * Whether rows that failed are mostly the service failing (transient failures: 5xx, timeouts, no connection; a
 * rerun scores them again) rather than rows refused for their text (running again changes nothing: the errors say
 * what is wrong). The stop mid-run (error-guard.ts) and the verdict at the end word their advice by it.
 */
export function mostlyServiceFailures(failures: { failed: number; transient: number }): boolean {
  return failures.transient * 2 >= failures.failed;
}

/** What the rows --long-text fail refused had, after "N of M rows read": the stop mid-run and the verdict say it alike. */
export const TOO_LONG_WHAT = 'had a text over 512 tokens';
/** What to do about them, after "see the error column": running the same command again changes nothing. */
export const TOO_LONG_ADVICE = '--long-text truncate scores their first 512 tokens instead';

/** What to do when they are: the words of the stop mid-run and of the verdict at the end alike. */
export const SERVICE_FAILING = 'the service is failing: run the same command again once it answers';
/** ...once the output is complete: a rerun mends just those rows. */
export const SERVICE_FAILING_AT_END = `${SERVICE_FAILING} (it re-scores just the rows that failed transiently)`;

/**
 * How the messages about failed rows name the settings they speak of: as flags, or by a job file's keys when it gave
 * them ("limit --max-error-rate 0.1" was no help to whoever wrote "maxErrorRate": 0.1 in one).
 */
export interface LimitNames {
  /** What "check the input and …" names: `--text-column` when a flag named the text, `"textColumn" in the job file` when a job file did. */
  text: string;
  /** The limit with its value: `--max-errors 3`, or `"maxErrors" 3`. */
  maxErrors: string;
  /** `--max-error-rate 0.5`, or `"maxErrorRate" 0.1`. */
  maxErrorRate: string;
  /** The setting alone: `--max-errors`, or `"maxErrors" in the job file`. */
  maxErrorsSetting: string;
  /** The causes of rows that could not be read in a file of the job's format (reader-failures.ts); default every one. */
  unreadable?: string;
}

/** Either flag may name the text: what "check the input and …" says when neither named it. */
const TEXT_FLAGS = '--text-column/--text-field';

/** The names of `limits` as flags (none came from a job file). */
export function flagNames(limits: Pick<JobLimits, 'maxErrors' | 'maxErrorRate'>): LimitNames {
  return { text: TEXT_FLAGS, maxErrors: `--max-errors ${limits.maxErrors}`, maxErrorRate: `--max-error-rate ${limits.maxErrorRate}`, maxErrorsSetting: '--max-errors' };
}

/** The limits of the command judging the job, and where its messages send the reader to see the errors. */
export interface JobLimits {
  maxErrors: number | undefined;
  maxErrorRate: number;
  errorPlace: string;
  /** How the messages name them; default flagNames. */
  names?: LimitNames;
}

/** The names `limits` are said by. */
function namesOf(limits: JobLimits): LimitNames {
  return limits.names ?? flagNames(limits);
}

/** The limits `settings` set, for an output of `format`. */
export function jobLimitsOf(settings: Pick<JobSettings, 'maxErrors' | 'maxErrorRate' | 'prefix' | 'text' | 'textFlag' | 'jobFile' | 'given'>, format: InputFormat): JobLimits {
  const named = textNamed(settings, format === 'jsonl');
  // Not named, or named by a checkpoint: either flag may be the one to give (a job-file run: the key of the format).
  const text = typeof named === 'boolean' ? TEXT_FLAGS : textSetting(named, format === 'jsonl').setting;
  const maxErrors = settingWords(settings, 'maxErrors', '--max-errors', String(settings.maxErrors));
  const names = { unreadable: unreadableCauses(format === 'jsonl' ? 'jsonl' : 'csv'), text, maxErrors: maxErrors.inline, maxErrorRate: settingWords(settings, 'maxErrorRate', '--max-error-rate', String(settings.maxErrorRate)).inline, maxErrorsSetting: maxErrors.setting };
  return { maxErrors: settings.maxErrors, maxErrorRate: settings.maxErrorRate, errorPlace: errorPlace(format, settings.prefix), names };
}

/**
 * Who is judged, as the message says it: `this run` when the run made the whole
 * job (nothing was resumed), `the whole job` when earlier runs wrote rows too.
 */
export type VerdictScope = 'this run' | 'the whole job';

/**
 * The job's failed rows over --max-errors, or over --max-error-rate by one of
 * the shares the run's own end judges (error-guard.ts): unreadable rows among
 * the rows read, failed rows among those sent to the model, and a job none of
 * whose rows succeeded. `counts` undefined: a checkpoint written before they
 * were kept, judged by the share of failed rows among all rows read.
 * `explainSent` may tell why rows sent failed (the service could not be reached).
 */
export function judgeJob(
  totals: Pick<Totals, 'read' | 'failed'>,
  counts: FailureCounts | undefined,
  limits: JobLimits,
  scope: VerdictScope,
  explainSent: (error: SentimentBatchError) => SentimentBatchError = (error) => error,
): SentimentBatchError | undefined {
  const { errorPlace } = limits;
  const names = namesOf(limits);
  const limit = { rate: limits.maxErrorRate, named: names.maxErrorRate };
  if (limits.maxErrors !== undefined && totals.failed > limits.maxErrors) {
    const advice = adviceAtEnd(totals.failed, counts?.sentFailedTransient, errorPlace);
    return new SentimentBatchError('too_many_errors', `${counted(totals.failed, 'row')} failed in ${scope}, more than ${names.maxErrors}; the output is complete: ${advice}`);
  }
  if (!counts) return shareFailure(totals.failed, totals.read, limit, 'read failed', scope, errorPlace);
  return (
    shareFailure(counts.unreadable, totals.read, limit, `read could not be read (${names.unreadable ?? unreadableCauses()})`, scope, errorPlace) ??
    sentFailure(counts, limit, scope, errorPlace, explainSent) ??
    // Rows --long-text fail refused before the model, among the rows read (counts too old to have kept them: not judged).
    (counts.tooLong === undefined ? undefined : shareFailure(counts.tooLong, totals.read, limit, `read ${TOO_LONG_WHAT} (--long-text fail)`, scope, errorPlace, `see ${errorPlace}; ${TOO_LONG_ADVICE}`)) ??
    // A job of nothing but failed rows failed, whatever they were (rows --long-text fail refused, in counts too old to tell).
    (totals.failed > 0 && totals.failed === totals.read ? shareFailure(totals.failed, totals.read, limit, 'read failed', scope, errorPlace) : undefined)
  );
}

/**
 * The rows sent to the model that failed, over `limit`: said as a service that could not be reached (`explain`), as
 * the service failing when they failed mostly transiently (the same command re-scores them once it answers), else
 * sending the reader to the error column (rows refused for their text, or counts too old to tell).
 */
function sentFailure(
  counts: FailureCounts,
  limit: RateLimit,
  scope: VerdictScope,
  errorPlace: string,
  explain: (error: SentimentBatchError) => SentimentBatchError,
): SentimentBatchError | undefined {
  const advice = adviceAtEnd(counts.sentFailed, counts.sentFailedTransient, errorPlace);
  const failure = shareFailure(counts.sentFailed, counts.sent, limit, 'sent to the model failed', scope, errorPlace, advice);
  if (!failure) return undefined;
  // Explained (a service never reached, answers not the model's), the figures close the cause's own advice: they say
  // what a rerun does, not "the service is failing", which the cause contradicted ("check what answers at the base
  // URL … (…; the output is complete: the service is failing: run the same command again once it answers …)"). Rows
  // the service never received failed transiently, so "see the error column" is not said after "run the same command again".
  const closing = shareFailure(counts.sentFailed, counts.sent, limit, 'sent to the model failed', scope, errorPlace, RERUN_RESCORES);
  const explained = closing && explain(closing);
  return explained && explained !== closing ? explained : failure;
}

/** After an explained verdict's figures: what the rerun its cause asks for does with the complete output. */
const RERUN_RESCORES = 'the rerun re-scores just the rows that failed transiently';

/** What a verdict on a complete output advises: run again when `failed` were mostly transient (counts too old to tell: the errors). */
function adviceAtEnd(failed: number, transient: number | undefined, errorPlace: string): string {
  return transient !== undefined && mostlyServiceFailures({ failed, transient }) ? SERVICE_FAILING_AT_END : `see ${errorPlace}`;
}

/** A --max-error-rate, and how the messages name it (`--max-error-rate 0.5`, `"maxErrorRate" 0.1`: LimitNames). */
export interface RateLimit {
  rate: number;
  named: string;
}

/**
 * `failed` of `rows` is over `limit` (rows of which none succeeded always are): the error to end with.
 * `what` follows "N of M rows": `sent to the model failed`. `advice` replaces "see <the error column>". A bare
 * number is a --max-error-rate given as a flag.
 */
export function shareFailure(
  failed: number,
  rows: number,
  given: number | RateLimit,
  what: string,
  scope: VerdictScope,
  errorPlace = ANY_ERROR_PLACE,
  advice = `see ${errorPlace}`,
): SentimentBatchError | undefined {
  const limit = typeof given === 'number' ? { rate: given, named: flagNames({ maxErrors: undefined, maxErrorRate: given }).maxErrorRate } : given;
  if (rows === 0 || (failed / rows <= limit.rate && failed < rows)) return undefined;
  // Within the limit (--max-error-rate 1) only because not one row succeeded: say so, not a share "over" the limit.
  const why = failed / rows <= limit.rate ? `limit ${limit.named}, but not one succeeded` : `limit ${limit.named}`;
  return new SentimentBatchError('too_many_errors', `${groupedNumber(failed)} of ${counted(rows, 'row')} ${what} in ${scope} (${why}); the output is complete: ${advice}`);
}

/**
 * The summary of a run that leaves the job's output complete: `status` (done,
 * already done) with exit 0, or, when the verdict `tripped`, failed with exit 5
 * and its message, the output said to be complete. A rerun that found the job
 * already done says so (`alreadyDone`) while it repeats the verdict.
 */
export function verdictSummary(summaryOf: SummaryOf, status: 'done' | 'already-done', totals: Totals, tripped: SentimentBatchError | undefined): Summary {
  if (!tripped) return summaryOf(status, ExitCode.Done, totals);
  return { ...summaryOf('failed', ExitCode.TooManyErrors, totals, tripped.message), outputComplete: true, ...(status === 'already-done' ? { alreadyDone: true } : {}) };
}
