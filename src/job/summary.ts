import { ExitCode, type MendAgain } from '../errors.js';
import { keepsCheckpoint, STDOUT_PATH } from '../io/format.js';
import { roundNeurons, usdForNeurons } from '../scoring/pricing.js';
import type { LabelCounts } from '../state/label-counts.js';
import type { Totals } from '../state/totals.js';
import { counted } from '../wording/counted.js';
import { rateLimitedAdvice, type AdviceNames } from '../wording/rate-limited.js';
import type { RunFigures } from './run-tally.js';
import { groupedNumber } from '../wording/grouped-number.js';
import { formatSeconds } from '../wording/seconds.js';
import { oneLine } from '../wording/one-line.js';
import { warningsOf } from './summary-warning.js';
import type { CompletedBy } from './completed-by.js';
import { beforeFreeNeurons, costAtMost } from '../wording/cost-at-most.js';
import { numberOnlySentence, type NumberOnlyRows } from '../scoring/number-only-text.js';
import { blankRowsLine, leftOutRowsLine } from './skipped-rows-lines.js';
import { stdinPartialLine, wroteNoRow } from './stdin-partial-line.js';
import { failedRowsLine, mendRefusedForInput } from './failed-rows-line.js';

export interface Summary {
  status: 'done' | 'already-done' | 'paused' | 'interrupted' | 'failed';
  exitCode: number;
  message?: string;
  input: string;
  output: string;
  model: string;
  /** The model is remote (Workers AI): requests, tokens and cost apply. */
  remote: boolean;
  /** The run shared its rate limit with other jobs through --redis. */
  sharedLimit?: boolean;
  /** The whole job's counts, carried across resumed runs by the checkpoint. */
  totals: Totals;
  /**
   * The whole output's scored rows per label, across resumed runs and mends (`run.labels`: this run's), carried by the
   * checkpoint with `totals`. Absent for a job whose checkpoint predates them (state/label-counts.ts).
   */
  labels?: LabelCounts;
  /**
   * Of those rows, the ones whose text is only a number, and the first (`run.numberOnly`: this run's), as the checkpoint
   * carries them: an "already done" rerun says them too. Absent when there are none, and when unknown (a job whose
   * checkpoint predates them).
   */
  numberOnly?: NumberOnlyRows;
  /**
   * The whole output's blank rows (CSV rows whose every field is empty; `run.blankRows`: this run's), as the checkpoint
   * carries them: an "already done" rerun says them too. Absent when there are none, and when unknown (a job whose
   * checkpoint predates them).
   */
  blankRows?: number;
  /** Rows of a completed output that had failed transiently and were scored by this run. */
  mended?: number;
  /**
   * The output is complete at `output`, though the run did not end done: rows failed
   * over --max-error-rate (judged at its end), or a run mending its failed rows was
   * stopped (a budget, a signal, an error) and left it unchanged, or `score --report`
   * was stopped or failed (a full disk) after the output was complete.
   */
  outputComplete?: boolean;
  /**
   * The job was complete before this run, which did nothing but give its verdict
   * again: set with status `failed` (exit 5) when its rows failed over the limits.
   */
  alreadyDone?: boolean;
  /**
   * What the summary warns of (a done job whose every row was skipped because its text was empty, with the likeliest
   * column or field that holds text: job/empty-text.ts; reviews in another language; …), printed last but one in the
   * summary. When more than one applies, each, one a line (summary-warning.ts).
   */
  warning?: string;
  /** Each warning `warning` holds (one a line there), when more than one applies (summary-warning.ts). */
  warnings?: string[];
  /**
   * This run skipped rows equal to the header of a CSV of one column (`repeated_header`): the line saying that such a row
   * is the header of files joined or a review of just that word, which one column cannot tell apart.
   */
  oneColumnRepeat?: string;
  /**
   * A run stopped before its output was complete (also by a fault: a full disk, exit 74): the records it had read past
   * the last one counted (read ahead, waiting, in flight, or the one whose write the disk refused), in none of the
   * totals, and of them `answered`, their answers kept in the journal. `lastRowChanged`: among them the last row,
   * which had no line ending when the input changed (pipeline.ts holdsLast): a writer may have added to it since.
   */
  unwritten?: { rows: number; answered: number; lastRowChanged?: true };
  /** `score --report`: the report's path and whether it was written (a run not done, a stop or a fault while writing it leave it unwritten). */
  report?: { path: string; written: boolean };
  /**
   * Rows of the completed output that hold a failure: `retry` failed transiently
   * and are listed in `<output>.failed-rows` (the same command run again
   * re-scores just those); `final` were refused for their text or record and
   * are not retried. Absent for standard input or output, which keep no list.
   * `unlisted`: rows that failed transiently (`list: 'changed'`, as many as the
   * list held) or may have (`list: 'missing'`: every failed row), but the list is
   * missing or was sealed to another output, so a rerun cannot find them to re-score them.
   */
  failedRows?: { retry: number; final: number; unlisted?: number; list?: 'missing' | 'changed'; kept?: number };
  /**
   * This run (this process) only: its share of the totals, answers per label, failures per code, billable tokens.
   * `notWritten`: a fault stopped the run before a checkpoint held all it scored (a full disk: exit 74, saved-figures.ts):
   * `rows` it counted that the next run scores again (in neither `totals`, nor the answers per label or the codes),
   * and with a paid backend `answersNotKept`,
   * answers it received for rows not written that the journal could not keep either: requested, and paid for, again.
   */
  run: RunFigures & { totals: Totals; notWritten?: { rows: number; answersNotKept?: number } };
  /**
   * An "already done" rerun: the run that completed the output (its `finishedAt`, `elapsedSeconds`, `resumed`), from
   * the summary this one replaces (completed-by.ts). Absent otherwise, and when that summary is not there or not that run's.
   */
  completedBy?: CompletedBy;
  /** This run continued a job an earlier run had started. */
  resumed: boolean;
  /** This run only. */
  elapsedSeconds: number;
  /** The job's neurons (every attempt that may be billed) at list price, before the free daily allocation: an upper bound. */
  estimatedCostUsd: number;
}

/**
 * The line for rows of a one-column CSV skipped as a repeated header (`rows` of them, this run): a review reading just the
 * column's name is the same row, so the figure may hold such reviews too.
 */
export function oneColumnRepeatNote(onlyColumn: string | undefined, rows: number): Pick<Summary, 'oneColumnRepeat'> {
  if (onlyColumn === undefined || rows === 0) return {};
  return {
    oneColumnRepeat: `repeated_header: ${counted(rows, 'row')} equal to the only column's name '${onlyColumn}': the header of files joined (cat a.csv b.csv?) or a review of just that word, which one column cannot tell apart; not scored`,
  };
}

/** The summary's whole-output count of texts only a number: none when there are none or they are unknown. */
export function numberOnlyOf(rows: NumberOnlyRows | undefined): Pick<Summary, 'numberOnly'> {
  return rows !== undefined && rows.rows > 0 ? { numberOnly: rows } : {};
}

/** The summary's whole-output count of blank rows: absent when none or unknown. */
export function blankRowsOf(rows: number | undefined): Pick<Summary, 'blankRows'> {
  return rows !== undefined && rows > 0 ? { blankRows: rows } : {};
}

/** A completed output with nothing to mend: its failed rows, and those a missing or stale list no longer finds. */
export function unmendedRowsOf(totals: Totals, unlisted: 'missing' | { changed: number } | undefined): Summary['failedRows'] {
  if (unlisted === undefined || totals.failed === 0) return failedRowsOf(totals, 0);
  if (unlisted === 'missing') return { retry: 0, final: 0, unlisted: totals.failed, list: 'missing' };
  const changed = Math.min(unlisted.changed, totals.failed);
  if (changed === 0) return failedRowsOf(totals, 0);
  return { retry: 0, final: totals.failed - changed, unlisted: changed, list: 'changed' };
}

/** The completed output's failed rows: `retry` are listed for the next run to re-score, the rest stay failed. */
export function failedRowsOf(totals: Totals, retry: number): NonNullable<Summary['failedRows']> {
  return { retry, final: Math.max(0, totals.failed - retry) };
}

/**
 * The summary a person reads: printed once, on standard output (standard error with -o -). `names`: see
 * rateLimitedAdvice. `output`: the output as the user gave it (-o, the default beside the input, a job file's), which the
 * first line names: it named the absolute path (`summary.output`, which --summary-json keeps) above a `Report:` line
 * naming the report as typed. `mendAgain`: a refused mend's advice to the next run (input-unchanged.ts mendAgainOf).
 */
export function formatSummary(summary: Summary, names?: AdviceNames, output?: string, mendAgain?: MendAgain): string {
  const { run, totals: job } = summary;
  const lines = [`${statusWord(summary)} ${outputName(summary, output)}`];
  if (summary.status === 'already-done' || summary.alreadyDone) {
    // 'scored by' only when one was: a header-only export, or one whose every row was skipped or failed, scored none.
    const earlier = job.scored > 0 ? 'scored by an earlier run' : 'written by an earlier run, which scored none';
    lines.push(`  ${rowsLine(job)} (${earlier}; this run did nothing)`);
    const labels = wholeOutputLabels(summary);
    if (labels !== undefined) lines.push(`  scored as ${labels}`);
    // The run that wrote them said it; so does every rerun (the checkpoint keeps the count).
    if (summary.numberOnly) lines.push(`  ${numberOnlySentence(summary.numberOnly)}`);
    if (summary.blankRows) lines.push(`  ${blankRowsLine(summary.blankRows)}`);
    if (summary.message) lines.push(`  ${summary.message}`);
    const hint = failedRowsLine(summary, output, mendAgain);
    if (hint) lines.push(`  ${hint}`);
    // Last, as a run's: an export still its header alone (header-only-warning.ts).
    lines.push(...warningsOf(summary).map((warning) => `  ${warning}`));
    return linesShown(lines);
  }
  // A resumed run, or a rerun that mended a completed output, did part of the job: its rows are said to be this run's.
  // So did a mend that stopped or failed (a full disk: exit 74), which wrote no row: its summary said 'rows 0: scored 0,
  // skipped 0, failed 0' of a job of 3,000 rows, with no line for the job's.
  const partOfJob = summary.resumed || summary.mended !== undefined || run.totals.read !== job.read;
  lines.push(`  ${partOfJob ? 'this run: ' : ''}${rowsLine(run.totals)}`);
  const stdinPartial = leftOutputComplete(summary) ? undefined : stdinPartialLine(summary, `${output ?? summary.output}.partial`, job.read);
  if (stdinPartial) lines.push(`  ${stdinPartial}`);
  if (run.notWritten) lines.push(`  ${notWrittenLine(run.notWritten)}`);
  if (summary.unwritten) lines.push(`  ${unwrittenLine(summary.unwritten, keepsCheckpoint(summary))}`);
  if (Object.keys(run.labels).length > 0) lines.push(`  scored as ${labelsLine(run.labels)}`);
  if (Object.keys(run.failuresByCode).length > 0) lines.push(`  failed by code: ${countsLine(run.failuresByCode)}`);
  const rateLimited = run.failuresByCode.rate_limited ?? 0;
  if (summary.remote && rateLimited > 0) lines.push(`  ${rateLimitedAdvice(rateLimited, run.rateLimitedCodes ?? [], summary.sharedLimit === true, names)}`);
  if (Object.keys(run.skippedByCode).length > 0) lines.push(`  skipped by code: ${countsLine(run.skippedByCode)}`);
  if (run.leftOutRows) lines.push(`  ${leftOutRowsLine(run.leftOutRows)}`);
  if (run.blankRows) lines.push(`  ${blankRowsLine(run.blankRows)}`);
  if (run.numberOnly) lines.push(`  ${numberOnlySentence(run.numberOnly)}`);
  if (summary.oneColumnRepeat) lines.push(`  ${summary.oneColumnRepeat}`);
  if (summary.resumed) lines.push(`  whole job across resumes: ${rowsLine(job)}`);
  else if (partOfJob) lines.push(`  whole job: ${rowsLine(job)}`);
  const jobLabels = summary.resumed || partOfJob ? wholeOutputLabels(summary) : undefined;
  if (jobLabels !== undefined) lines.push(`  whole job scored as ${jobLabels}`);
  // The line above is this run's: the whole output's too when earlier runs wrote some (a resumed run, a mend).
  if (partOfJob && summary.numberOnly && summary.numberOnly.rows !== (run.numberOnly?.rows ?? 0)) lines.push(`  whole job: ${numberOnlySentence(summary.numberOnly)}`);
  if (partOfJob && summary.blankRows && summary.blankRows !== (run.blankRows ?? 0)) lines.push(`  whole job: ${blankRowsLine(summary.blankRows)}`);
  if (summary.remote) {
    const t = run.totals;
    lines.push(`  model ${summary.model} · requests sent ${n(t.requests)} (answered ${n(run.answeredRequests)} · retries ${n(t.retries)} · 429s ${n(t.rateLimited)})`);
    // Rows answered by the requests an earlier run sent for them (kept in the journal across its stop): scored without a request.
    const earlier = run.answeredEarlier ? ` · answered by an earlier run's requests ${n(run.answeredEarlier)}` : '';
    lines.push(`  duplicates saved ${n(t.duplicates)} · cache hits ${n(t.cached)}${earlier} · truncated ${n(t.truncated)}`);
    lines.push(
      `  tokens billable ${n(run.billableTokens)} (answered requests; compare with estimate) · sent with retries ${n(t.tokens)}`,
      `  ${neuronsLine(run.billableNeurons, run.totals.neurons)} ${beforeFreeNeurons()}`,
    );
  } else {
    lines.push(`  model ${summary.model}: offline, no requests, no cost`);
    // A local model may use the cache, the 512-token window and the answers kept of a job started over too: say so when
    // they did anything (those kept answers went uncounted: 27 rows of 28 not scored again, and no figure said so).
    const t = run.totals;
    const earlier = run.answeredEarlier ?? 0;
    const kept = earlier > 0 ? ` · answered by an earlier run ${n(earlier)}` : '';
    if (t.duplicates + t.cached + t.truncated + earlier > 0) lines.push(`  duplicates saved ${n(t.duplicates)} · cache hits ${n(t.cached)}${kept} · truncated ${n(t.truncated)}`);
  }
  if (summary.mended !== undefined) lines.push(`  mended ${counted(summary.mended, 'row')} that had failed transiently (${counted(job.failed, 'row')} still failed)`);
  lines.push(`  elapsed ${formatElapsed(summary.elapsedSeconds)}${summary.resumed ? ' (this run)' : ''}`);
  if (summary.message) lines.push(`  ${summary.message}`);
  lines.push(...warningsOf(summary).map((warning) => `  ${warning}`));
  const hint = failedRowsLine(summary, output, mendAgain);
  if (hint) lines.push(`  ${hint}`);
  return linesShown(lines);
}

/**
 * The lines as printed: a name in them (the output's, its list's, a path in a message) holding a line break or another
 * control character escaped (one-line.ts), so that each stays one line: `Done: /tmp/a` and `b.scored.csv` were two.
 */
function linesShown(lines: string[]): string {
  return `${lines.map(oneLine).join('\n')}\n`;
}

/**
 * Rows a stop left read but not written: in no figure above, read again by the next run (those answered, from the
 * journal). A run on standard input or output (`resumable` false) keeps neither them nor a journal: the next starts over.
 */
function unwrittenLine({ rows, answered, lastRowChanged }: NonNullable<Summary['unwritten']>, resumable: boolean): string {
  const what = `read but not written: ${counted(rows, 'row')} (the run stopped before their turn`;
  if (!resumable) return `${what}); a run on standard input or output keeps none of them, answered ones included: the next one starts from the beginning`;
  // An answer is kept for a text: a last row its writer has added to since is a new text, which the next run asks for.
  const lastRow = lastRowChanged === true ? ', but the last had no line ending when the input changed: if its writer has added to it since, its new text is asked once' : '';
  const kept = answered > 0 ? `; ${n(answered)} of them answered, kept for the next run, which writes them without asking again${lastRow}` : '';
  return `${what}${kept}); the next run reads them again`;
}

/** Rows (and paid answers) this run had that a fault kept from the checkpoint (and the journal): the next run does them again. */
function notWrittenLine({ rows, answersNotKept }: NonNullable<Summary['run']['notWritten']>): string {
  const again = '(requested, and paid for, again)';
  if (rows === 0) return `kept nowhere: ${counted(answersNotKept ?? 0, 'answer')} received for rows not written, which the journal refused ${again}`;
  const scored = `not written: ${counted(rows, 'row')} this run scored, which the next run scores again`;
  if (answersNotKept === undefined) return scored;
  if (answersNotKept === 0) return `${scored}; every answer received for rows not written is kept in the journal, not paid for again`;
  return `${scored}; ${counted(answersNotKept, 'answer')} received for rows not written ${answersNotKept === 1 ? 'was' : 'were'} kept nowhere ${again}`;
}

function rowsLine(t: Totals): string {
  return `rows ${n(t.read)}: scored ${n(t.scored)}, skipped ${n(t.skipped)}, failed ${n(t.failed)}`;
}

/**
 * The whole output's labels (`labels` in --summary-json), as the run's line says them (a label none was scored as left
 * out); undefined when none was scored or the checkpoint predates the counts.
 */
function wholeOutputLabels(summary: Summary): string | undefined {
  const counts = Object.entries(summary.labels ?? {}).filter(([, count]) => count > 0);
  return counts.length === 0 ? undefined : labelsLine(Object.fromEntries(counts));
}

/** POSITIVE first, then NEGATIVE, whatever their counts: the same order on every run. */
function labelsLine(labels: Record<string, number>): string {
  const order = (label: string) => (label === 'POSITIVE' ? 0 : label === 'NEGATIVE' ? 1 : 2);
  const entries = Object.entries(labels).sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b));
  return entries.map(([label, count]) => `${label} ${n(count)}`).join(' · ');
}

function countsLine(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([key, count]) => `${key} ${n(count)}`)
    .join(' · ');
}

function outputName(summary: Summary, shown = summary.output): string {
  if (summary.output === STDOUT_PATH) return 'standard output';
  if (leftOutputComplete(summary)) return shown;
  return wroteNoRow(summary) ? `${shown} (no row written)` : `${shown}.partial`;
}

/** Whether the run left its output complete (a file at `output` is then the one it wrote or found done). */
export function leftOutputComplete(summary: Pick<Summary, 'status' | 'outputComplete'>): boolean {
  return summary.status === 'done' || summary.status === 'already-done' || summary.outputComplete === true;
}

function statusWord(summary: Summary): string {
  const oneShot = !keepsCheckpoint(summary);
  switch (summary.status) {
    case 'done':
      return 'Done:';
    case 'already-done':
      return 'Already done (nothing to do):';
    case 'paused':
      return oneShot ? 'Paused; a run on standard input or output cannot continue, run it again from the start:' : 'Paused; run the same command later to continue:';
    case 'interrupted':
      return oneShot ? 'Interrupted; a run on standard input or output cannot continue, run it again from the start:' : 'Interrupted; run the same command to continue:';
    default:
      if (summary.alreadyDone) return 'Already done, but too many rows failed:';
      // It stopped nothing: 'Stopped: out.csv' read as a run cut short. Its last line says what next (failedRowsLine).
      if (mendRefusedForInput(summary)) return 'Not mended, the input changed; the output is as it was:';
      return summary.outputComplete && summary.exitCode === ExitCode.TooManyErrors ? 'Finished, but too many rows failed:' : 'Stopped:';
  }
}

/** Thousands separators, as `estimate` prints them. */
function n(value: number): string {
  return groupedNumber(Math.round(value));
}

/**
 * The neurons of the answered requests, and those of requests the service may have run without an answer (cut off by a
 * stop, timed out, dropped mid-answer: run-budget.ts keeps them as maybe billed), which the checkpoint and
 * `run.totals.neurons` count: the line said "neurons billable 0" of a run whose checkpoint kept 0.0335. The cost is
 * bounded by both, as the report page bounds it.
 */
function neuronsLine(billable: number, mayBeBilled: number): string {
  const more = roundNeurons(mayBeBilled - billable);
  if (more <= 0) return `neurons billable ${neurons(billable)} · cost at most ${costAtMost(usdForNeurons(billable))}`;
  return (
    `neurons billable ${neurons(billable)} (answered requests), and up to ${neurons(more)} more for requests the service may have run unanswered ` +
    `(timed out, dropped or cut short, or cut off by a stop) · cost at most ${costAtMost(usdForNeurons(mayBeBilled))}`
  );
}

function neurons(value: number): string {
  return groupedNumber(value, 3);
}

/** "0.3 s" under ten seconds, whole seconds and minutes above. */
export function formatElapsed(seconds: number): string {
  return seconds < 10 ? `${(Math.round(seconds * 10) / 10).toFixed(1)} s` : formatSeconds(seconds);
}
