import { mendFailureExitCode } from '../errors.js';
import type { AnswerJournal } from '../journal/answer-journal.js';
import { positionAfter, type Mending } from '../mend/finish-mend.js';
import { mendAfterResume } from '../mend/mend-after-resume.js';
import { savedDigestOf } from '../mend/mend-job.js';
import type { ConsumedSegment } from '../state/checkpoint.js';
import type { FailureCounts } from '../state/failure-counts.js';
import { totalsSince, type Totals } from '../state/totals.js';
import type { Dedupe } from './dedupe.js';
import { mendInputCheck } from './mend-input-check.js';
import type { JobLimits } from './job-failures.js';
import type { Position } from './pipeline.js';
import type { RunContext } from './run-context.js';
import { doneWithJournal, pastLimitOf } from './completed-job-files.js';
import { notReadAsMeant } from './completed-pass-summary.js';
import { outputKept } from './run-figures.js';
import { stoppedSummary } from './stopped-summary.js';
import { failedRowsOf, type Summary } from './summary.js';

/** Where a run that completed its output stands when rows an earlier run left failed are to be mended. */
export interface CompletedPass {
  /** The job's totals, which the mend goes on counting into. */
  totals: Totals;
  /** The job's totals when this run began writing. */
  resumedFrom: Totals;
  /** The first row this run wrote. */
  firstIndex: number;
  /** This run's answers, taken rather than sending those texts again. */
  freshAnswers: Dedupe;
  /** Rows the failed-rows list holds now. */
  listedFailures: number;
  /** The completed output's position (the last checkpoint's). */
  position: Position;
  /** The input bytes the job read, as that checkpoint records them (undefined: not recorded): the mend's input check reads them again. */
  consumed: ConsumedSegment[] | undefined;
  failureCounts: FailureCounts | undefined;
  limits: JobLimits;
  saveCheckpoint(position: Position, completed: boolean, listedFailures: number, mending?: Mending, digest?: 'read' | 'kept'): Promise<void>;
}

/**
 * After a resumed run completed its output: the rows an earlier run left failed transiently are mended now
 * (mend-after-resume.ts), with this run's scorer settings and its share of --max-requests / --max-neurons spent.
 */
export async function mendEarlierFailures(ctx: RunContext, pass: CompletedPass): Promise<Summary> {
  const { totals, resumedFrom } = pass;
  // The output was just renamed complete; the mend replaces it only with a complete copy.
  ctx.stop.outputComplete = true;
  let mendJournal: AnswerJournal | undefined;
  /** The rows the mend sends again: the answers kept for them are what a stopped mend leaves the next run. */
  let listedRows: ReadonlySet<number> = new Set();
  /** Once the checkpoint records the mended copy replacing the output: what the list holds after it. */
  let recorded: Mending | undefined;
  const { summary, stopped } = await mendAfterResume({
    outputPath: ctx.output,
    typedOutput: ctx.settings.output,
    partialPath: ctx.partialPath,
    source: ctx.source,
    totals,
    resumedTotals: totalsSince(resumedFrom, totals),
    firstIndex: pass.firstIndex,
    scorerFor: (rows, mendTotals) => {
      const listed = new Set(rows.map((row) => row.index));
      listedRows = listed;
      const spent = { requests: totals.requests - resumedFrom.requests, neurons: totals.neurons - resumedFrom.neurons };
      const mendScorer = ctx.rowScorerFor(mendTotals, (mendJournal = ctx.openJournal((index) => listed.has(index))), spent, { earlier: pass.freshAnswers });
      return (text, index) => mendScorer.score(text, index);
    },
    window: ctx.readAhead,
    checkpointIntervalMs: ctx.settings.checkpointIntervalMs,
    stop: ctx.stop,
    graceMs: ctx.settings.graceMs,
    listedFailures: pass.listedFailures,
    lastOutputStart: pass.position.lastOutputStart,
    saveCompleted: async (replaced, mending) => {
      // Saves while the copy is written keep the output's digest (savedDigestOf).
      await pass.saveCheckpoint(positionAfter(pass.position, replaced), true, replaced ? replaced.listedFailures : pass.listedFailures, mending, savedDigestOf(replaced, mending));
      recorded = replaced ?? mending;
    },
    summaryOf: ctx.summaryOf,
    notReadAsMeant: (done) => notReadAsMeant(done, ctx.settings, ctx.source),
    stoppedSummary: () => stoppedSummary(ctx.stop, totals, ctx.summaryOf),
    failureCounts: pass.failureCounts,
    labels: ctx.labels,
    limits: pass.limits,
    // Rows appended after the part the job read leave the mend to complete (mend-input-check.ts); the next run scores them.
    checkInputUnchanged: mendInputCheck(ctx.input, { segments: pass.consumed, gzip: ctx.source.compressed, format: ctx.source.format }, ctx.log),
    log: ctx.log,
  }).catch((error: unknown) => {
    // A fault in the mend (a disk that filled up with the mended copy): the output is complete at its path, mended or
    // not, as after a rerun's mend (completed-rerun.ts). Its summary began 'Stopped: out.csv.partial' (a file the
    // rename had removed) and said nothing of the output being complete. The job's totals are as the mend left them
    // (mend-job.ts): the requests it sent, its rows only once the checkpoint records its copy replacing the output.
    mendJournal?.close();
    // The input changed under it (input-unchanged.ts), exit 3: its summary's line on the rows left failed says so (summary.ts).
    const figures = ctx.summaryOf('failed', mendFailureExitCode(error), { ...totals });
    throw outputKept(error, { ...figures, failedRows: failedRowsOf(totals, recorded ? recorded.listedFailures : pass.listedFailures) });
  });
  // A mend cut short keeps the answers it received for the next run, as a rerun's mend does, and says how many
  // (failedRows.kept, completed-rerun.ts): it said "N rows failed transiently: … re-score just those rows" without them.
  if (stopped) {
    // Its rows' answers only: the journal also holds earlier runs' answers to rows written (complete-output.ts keepJournal).
    const kept = mendJournal?.keptAmong(listedRows) ?? 0;
    mendJournal?.close();
    return kept > 0 && summary.failedRows ? { ...summary, failedRows: { ...summary.failedRows, kept } } : summary;
  }
  // The output is complete (and mended or not): a refusal removing the journal is a warning (completed-job-files.ts).
  // Also when the mend opened none (nothing to send): the pass left it for the mend (complete-output.ts keepJournal).
  // But for the answers to rows past the --limit the job reached (completed-job-files.ts PastLimit).
  doneWithJournal(ctx.output, ctx.log, mendJournal, pastLimitOf(ctx.settings.limit, pass.position.nextIndex, ctx.journalKey));
  return summary;
}
