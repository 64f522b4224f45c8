import path from 'node:path';
import type { JobSettings } from '../config/options.js';
import { ExitCode } from '../errors.js';
import { keepsCheckpoint, STDIN_PATH, STDOUT_PATH } from '../io/format.js';
import type { Logger } from '../log.js';
import type { RequestLimiter } from '../scoring/limiter.js';
import { answerKeyOf, type Scorer } from '../scoring/scorer.js';
import { checkpointPathFor, hashSettings, type Checkpoint } from '../state/checkpoint.js';
import { emptyFailureCounts } from '../state/failure-counts.js';
import { JobLabels } from '../state/label-counts.js';
import type { Totals } from '../state/totals.js';
import { AnswerJournal, journalPathFor } from '../journal/answer-journal.js';
import { FailedRowsLog, failedRowsPathFor } from '../mend/failed-rows.js';
import { finishInterruptedMend } from '../mend/finish-mend.js';
import { createFolder } from '../paths/create-folder.js';
import { settingName, settingToChange, settingWords } from '../config/setting-names.js';
import { createScorer } from './backend.js';
import { ignoredSettings } from './ignored-settings.js';
import type { LocklessRun } from './lockless-done.js';
import { markStartingOver } from './starting-over.js';
import { takeOutputLock } from './take-output-lock.js';
import { refuseChangedInput } from './input-unchanged.js';
import { ReplacedInputCheck } from './input-replaced.js';
import { ErrorGuard } from './error-guard.js';
import { jobLimitsOf } from './job-failures.js';
import { closeAfterFault, openOutput } from './open-output.js';
import type { Position } from './pipeline.js';
import { checkpointProblem } from './prove-checkpoint.js';
import { decideStart } from './resume.js';
import { outputSettingsOf } from './output-settings.js';
import type { TextWindow } from './row-plan.js';
import { rowScorerFactory } from './row-scorer-factory.js';
import { Dedupe } from './dedupe.js';
import { RunTally } from './run-tally.js';
import { openStdoutOutput } from './stdout-output.js';
import { withStdinCopy } from './stdin.js';
import type { StopController } from './stop.js';
import { setupDone, setupStep, stopInSetup } from './setup-stop.js';
import { failedRowsOf, type Summary } from './summary.js';
import { rerunCompletedJob } from './completed-rerun.js';
import { recordFoundInput } from './record-found-input.js';
import { createLimiter } from './create-limiter.js';
import type { RunContext } from './run-context.js';
import { mendEarlierFailures } from './mend-earlier-failures.js';
import { refuseRemovedPartial } from './removed-partial.js';
import { runSummaryOf } from './run-summary.js';
import { stoppedSummary } from './stopped-summary.js';
import type { ResultCache } from '../state/cache.js';
import { withRunFigures } from './run-figures.js';
import { asSaved, unwrittenOf } from './saved-figures.js';
import { JobCheckpoint } from './job-checkpoint.js';
import { finishRename } from './finish-rename.js';
import { KeptAnswers, keepDroppedAnswers, keptAnswersPathFor } from './kept-answers.js';
import { openRunInput } from './run-input.js';
import { openRunCache } from './run-cache.js';
import { readBeforeSending, readThroughOf } from './read-through.js';
import { passThroughRecords } from './records-pass.js';
import { LastRowEnding } from './last-row-ending.js';
import { completeOutput } from './complete-output.js';
import { completedPassSummary } from './completed-pass-summary.js';
import { startUnresumable } from './unresumable-start.js';

export interface RunDependencies {
  log: Logger;
  stop: StopController;
  /** Builds the scorer; tests and `serve` may hand in their own. */
  createScorer?: (settings: JobSettings, log: Logger) => Scorer | Promise<Scorer>;
  /** Replaces the DistilBERT tokenizer (tests). */
  window?: TextWindow;
}

/**
 * One scoring job from input to renamed output, resuming from the checkpoint
 * beside the output when it matches. Returns the summary; throws only what
 * stops the job before it starts (configuration, unreadable input).
 */
export async function runJob(settings: JobSettings, deps: RunDependencies): Promise<Summary> {
  const toStdout = settings.output === STDOUT_PATH;
  const output = outputPathOf(settings);
  if (!toStdout) await createFolder(path.dirname(output), settingWords(settings, 'output', '-o', settings.output));
  // `-o -` has no file to guard.
  const { lock, lockless } = toStdout ? {} : await takeOutputLock(output, settings, deps);
  try {
    if (settings.input !== STDIN_PATH) return await scoreFile(settings, path.resolve(settings.input), deps, lockless);
    // Standard input is copied to a file first; the copy serves this run only (such runs never resume).
    return await withStdinCopy(toStdout ? undefined : output, deps.stop, (spooled) => scoreFile(settings, spooled, deps));
  } catch (error) {
    // An error before the run decided how to start hid the lock's fault: it is said too (lockless-done.ts).
    await lockless?.sayIfUnsaid(deps.log, error);
    throw error;
  } finally {
    await lock?.release();
  }
}

async function scoreFile(settings: JobSettings, inputPath: string, deps: RunDependencies, lockless?: LocklessRun): Promise<Summary> {
  const { log, stop } = deps;
  const started = Date.now();
  const tally = new RunTally();
  // The whole output's counts per label: from the checkpoint the run continues, once it has decided how to start.
  const labels = new JobLabels();
  let startTotals: Totals | undefined;
  const output = outputPathOf(settings);
  const partialPath = `${output}.partial`;
  const checkpointPath = checkpointPathFor(output);
  // `-o -`: no file, so no checkpoint and no resume (logged below).
  const toStdout = settings.output === STDOUT_PATH;
  // --resume require, as the refusals name it: a job file's "resume" is no flag anybody typed.
  const requireNamed = settings.resume === 'require' ? settingName(settings, 'resume', '--resume', 'require') : undefined;
  const resumable = keepsCheckpoint(settings);

  const { source, identity, match, consumed } = await openRunInput(settings, inputPath, { log, stop, resumable, checkpointPath });
  const scorer = await (deps.createScorer ?? createScorer)(settings, log);
  stop.paidRequests = scorer.remote;
  let limiter: RequestLimiter | undefined;
  try {
    // A signal while the model loaded, or the tokenizer and cache below: stopped there, nothing written.
    stopInSetup(stop, toStdout ? undefined : output);
    limiter = scorer.remote ? await setupStep(stop, (abort) => createLimiter(settings, log, abort)) : undefined;
  } catch (error) {
    await source.release();
    await scorer.close();
    throw error;
  }
  // Tokens and the cache matter where requests cost money or a model has the 512-token window (--backend local); the window also
  // decides which rows the embedded model scores under --long-text skip|fail (the same rows as Workers AI). The tokenizer and LMDB
  // are loaded only when used: a run refused for a held lock starts and ends fast.
  const windowed = scorer.remote || scorer.usesTokenWindow === true;
  const local = !scorer.remote && scorer.usesTokenWindow === true;
  const ignored = ignoredSettings(settings, { remote: scorer.remote, local, format: source.format });
  for (const note of ignored.notes) log.info(note);
  for (const warning of ignored.warnings) log.warn(warning);
  // Set up inside the try: a cache folder refused here must still close the scorer (--backend local's workers would outlive its error line).
  let cache: ResultCache | undefined;
  let inherited: KeptAnswers | undefined;
  // Once the pipeline has started: the figures an error that stops the run keeps (a full disk mid-run, exit 74).
  let figuresSoFar: (() => Summary) | undefined;
  // Starting over, until its first checkpoint replaces the old one: a fault's line promises no continuing (starting-over.ts).
  let startingOver = false;
  let closeOnFault = async (): Promise<void> => {}; // once the output is open: closed on a fault, not left to GC (open-output.ts)
  try {
    const window = windowed || settings.longText !== 'truncate' ? (deps.window ?? (await import('../tokenizer/index.js')).loadTokenizer()) : undefined;
    // Without the output's lock a job already done needs no cache: a fault opening it is kept until the run must write (lockless-done.ts).
    cache = windowed && settings.cache ? await openRunCache(settings, settings.cache, log, lockless) : undefined;
    await setupDone(stop, toStdout ? undefined : output);
    const outputSettings = outputSettingsOf(settings, source, scorer);
    if (settings.limit !== undefined) log.info({ limit: settings.limit }, `${settingName(settings, 'limit', '--limit', settings.limit)}: scoring only the first ${settings.limit} records`);
    const settingsHash = hashSettings(outputSettings);
    const summaryOf = runSummaryOf({
      settings,
      output: toStdout ? STDOUT_PATH : output,
      scorer,
      source,
      tally,
      labels,
      started,
      startTotals: () => startTotals,
    });

    const storePath = keptAnswersPathFor(output);
    const keepAnswers = (checkpoint: Checkpoint) => setupStep(stop, (abort) => keepDroppedAnswers({ checkpoint, partialPath, outputPath: output, journalPath: journalPathFor(output), storePath, modelKey: answerKeyOf(scorer), window, abort, progress: { mode: settings.progress, log } }));
    // The signal's line says where the answers kept so far are (stop.ts keepingAnswersIn).
    const keepDropped = windowed ? (checkpoint: Checkpoint) => ((stop.keepingAnswersIn = storePath), (stop.keepingCompleted = checkpoint.completed), keepAnswers(checkpoint).finally(() => (stop.keepingAnswersIn = undefined))) : undefined;
    const decision = !resumable
      ? await startUnresumable({ toStdout, checkpointPath, cache: settings.cache !== undefined, restart: settings.restart, log, keepDropped })
      : await decideStart({
          checkpointPath,
          partialPath,
          outputPath: output,
          inputPath,
          identity,
          match,
          settingsHash,
          cache: settings.cache !== undefined,
          restart: settings.restart,
          require: requireNamed,
          outputSetting: settingToChange(settings, 'output', '-o'),
          ...(settings.given !== undefined && !settings.given.has('output') ? { defaultOutputOf: settings.input } : {}),
          withoutLock: lockless !== undefined,
          log,
          prove: (checkpoint, kind) => checkpointProblem(checkpoint, kind, { source, inputSize: identity.size, partialPath, outputPath: output }),
          ...(keepDropped ? { keepDropped } : {}),
        });
    // Without the lock: refused before the first write, saying whether the same command continues (not when starting over).
    lockless?.decided(decision);
    startingOver = decision.kind === 'fresh';
    // A copy's journal (same bytes, another file) is this job's: a paused run's answers, and a completed job's mend stopped by a budget or a kill.
    const journalKey = { settingsHash, identity, ...((decision.kind === 'resume' || decision.kind === 'done') && decision.sameBytes ? { earlier: decision.checkpoint.input.identity } : {}) };
    // Answers a killed, interrupted or paused run received are used instead of sending again (not after --restart). `ahead`: the rows this run still has to write (the journal's log line counts their answers apart).
    const openJournal = (ahead: (index: number) => boolean): AnswerJournal | undefined =>
      scorer.remote && resumable ? AnswerJournal.open(journalPathFor(output), journalKey, { replay: !settings.restart, log, ahead }) : undefined;
    // The answers an unfinished job at this output paid for before this one started over (kept-answers.ts), until it completes (a run on standard input too).
    inherited = !toStdout && windowed && decision.kind !== 'done' ? await KeptAnswers.open(keptAnswersPathFor(output), settings.restart, log) : undefined;
    const rowScorerFor = rowScorerFactory({ settings, scorer, limiter, stop, log, window, cache, tally, inherited });
    const readAhead = Math.max(256, settings.concurrency * 8);
    const limits = jobLimitsOf(settings, source.format);
    const ctx: RunContext = { settings, log, stop, source, output, partialPath, checkpointPath, lockless, readAhead, summaryOf, labels, openJournal, rowScorerFor };
    if (decision.kind === 'done') {
      // A run killed while a mend replaced the output: finished first (it must write: not in a folder that takes no writes).
      if (decision.checkpoint.mending) lockless?.refuseWrite(true);
      const found = await recordFoundInput(decision, { checkpointPath, journalPath: journalPathFor(output), input: { path: settings.input, identity }, lockless: lockless !== undefined, log });
      return await rerunCompletedJob(ctx, await finishInterruptedMend(found, { outputPath: output, partialPath, checkpointPath }, log));
    }
    if (decision.kind === 'finish-rename') return await finishRename(ctx, decision.checkpoint, limits);

    // A job file's "input" is what names it in a `run` (no flag can override it there): what to edit when it moves.
    const input = { path: inputPath, shownAs: settings.input, identity, ...(settings.jobFile?.keys.has('input') ? { jobFile: settings.jobFile.path } : {}) };
    // Paid runs only: what reading the old file on costs there is requests; the embedded model's rows cost nothing, and
    // the end's check refuses its output just the same.
    const replaced = scorer.remote ? new ReplacedInputCheck(input, () => source.readingFile()) : undefined;
    const readThrough = readThroughOf(inputPath, source, identity, log);
    /** The whole input was read through and found readable before the first request (read-through.ts). */
    const inputReadable = scorer.remote && decision.kind === 'fresh' && settings.limit === undefined ? await readBeforeSending(readThrough, stop, input) : false;
    const { file, totals, start } = toStdout ? await openStdoutOutput(source.outputHeader, source.firstRecordOffset) : await openOutput(decision, {
      partialPath,
      header: source.outputHeader,
      firstRecordOffset: source.firstRecordOffset,
      requireResume: requireNamed,
      log,
    });
    closeOnFault = () => closeAfterFault(file);

    startTotals = { ...totals };
    const resumed = decision.kind === 'resume' && start.nextIndex === decision.checkpoint.position.nextIndex && start.outputBytes === decision.checkpoint.position.outputBytes;
    consumed?.begin(start.inputOffset, resumed ? { earlier: decision.checkpoint.consumed } : { header: source.headerBytes });
    // The verdict at the end is on the whole job: the guard adds this run's rows to the counts earlier runs left (none in an older checkpoint: not kept then).
    const failureCounts = resumed ? decision.checkpoint.failureCounts && { ...decision.checkpoint.failureCounts } : emptyFailureCounts();
    labels.startFrom(resumed ? decision.checkpoint : undefined);
    const guard = new ErrorGuard(settings.maxErrors, settings.maxErrorRate, limits.errorPlace, failureCounts, limits.names);
    const frame = { input: { path: settings.input, identity }, settings: outputSettings, settingsHash, output: { path: output, partialPath } };
    // A text field renamed partway, noted in the completed checkpoint: an "already done" rerun warns again (completed-rerun.ts).
    const renamedNote = () => {
      const found = source.renamedTextField?.found(tally.leftOutRows);
      return found ? { renamedTextField: found } : {};
    };
    const jobCheckpoint = new JobCheckpoint(resumable ? checkpointPath : undefined, frame, { totals, failureCounts, labels }, start, tally, consumed, renamedNote);
    const saveCheckpoint = jobCheckpoint.save;
    const position: Position = { ...start };
    let unwrittenRows = 0; // records read that the pass left unwritten: told when it ends, or when a fault ends it
    let lastRowChanged = false; // among them the last, with no line ending, left out as the input changed (pipeline.ts)
    // A stop's or a fault's figures are the last checkpoint's, which the next run continues from, and the rows read past it (saved-figures.ts).
    const asSavedNow = (summary: Summary, journal?: AnswerJournal): Summary =>
      asSaved({ ...summary, ...unwrittenOf(unwrittenRows, position.nextIndex, journal, lastRowChanged) }, jobCheckpoint.saved, { journal, onlyColumn: source.onlyColumn });
    figuresSoFar = () => asSavedNow(summaryOf('failed', ExitCode.MachineFault, totals));
    // A resume rewrites the journal under the input's file as it is now before this checkpoint names that file (a copy's journal was dropped by the next run when a full disk or a kill came in between).
    const journalFirst = decision.kind === 'resume' ? openJournal((index) => index >= start.nextIndex) : undefined;
    await saveCheckpoint(start, false, decision.kind === 'resume' && resumed ? decision.checkpoint.listedFailures : 0);
    startingOver = false;
    const journal = decision.kind === 'resume' ? journalFirst : openJournal((index) => index >= start.nextIndex);
    figuresSoFar = () => asSavedNow(summaryOf('failed', ExitCode.MachineFault, totals), journal);
    const checkRemovedPartial = (): Promise<void> => refuseRemovedPartial(file, partialPath, journal ? journalPathFor(output) : undefined);
    const failedRows = !resumable ? undefined : await FailedRowsLog.openForRun(failedRowsPathFor(output), resumed ? start.outputBytes : undefined);
    // The fresh pass's answers, which a mend after it (mendAfterResume, below) takes rather than sending those texts again.
    const freshAnswers = new Dedupe();
    const lastRow = new LastRowEnding();
    const end = await passThroughRecords({
      settings,
      log,
      stop,
      source,
      inputSize: source.compressed ? undefined : identity.size,
      remote: scorer.remote,
      file,
      rowScorer: rowScorerFor(totals, journal, undefined, { dedupe: freshAnswers }),
      tally,
      labels,
      consumed,
      guard,
      totals,
      position,
      readAhead,
      journal,
      failedRows,
      lastRow,
      checkInputUnchanged: () => refuseChangedInput(input),
      ...(replaced ? { checkInputReplaced: () => replaced.check() } : {}),
      checkRemovedPartial,
      saveCheckpoint,
      onFault: (rows) => (unwrittenRows = rows),
    });
    unwrittenRows = end.unwritten;
    lastRowChanged = end.inputChanged !== undefined;

    if (end.complete) {
      stop.sealing = true;
      await completeOutput({
        file,
        position: end.position,
        input,
        output: toStdout ? undefined : output,
        partialPath,
        journal,
        failedRows,
        consumed,
        inherited,
        log,
        lastRow,
        checkRemovedPartial,
        saveCheckpoint,
        figures: () => summaryOf('failed', ExitCode.MachineFault, totals),
      }).finally(() => (stop.sealing = false));
      // The output is complete either way (a rerun mends its transient failures), but a job whose rows failed over the limit is no success.
      const failedRowsList = failedRows ? { failedRows: failedRowsOf(totals, failedRows.count) } : {};
      // Rows an earlier run left failed transiently (an outage stopped it: exit 5, "run the same command again") are mended now, so one
      // rerun is enough; not when this run's own rows failed over the limit (the outage goes on: they would fail again).
      if (!failedRows || failedRows.carried === 0 || stop.reason || guard.final()) {
        return completedPassSummary({ settings, source, guard, totals, resumedFrom: startTotals, summaryOf, outputComplete: !toStdout, failedRowsList });
      }
      return await mendEarlierFailures(ctx, {
        totals,
        resumedFrom: startTotals,
        firstIndex: start.nextIndex,
        freshAnswers,
        listedFailures: failedRows.count,
        position: end.position,
        failureCounts,
        limits,
        saveCheckpoint,
      });
    }
    await saveCheckpoint(end.position, false, failedRows?.count);
    await file.close();
    journal?.close();
    // The input changed under its last row, which had no line feed: left out, the rows before it checkpointed above.
    if (end.inputChanged !== undefined) throw end.inputChanged;
    if (end.readError !== undefined) {
      // A file cut short while it was read looks like a broken record (an unterminated quote): say what happened.
      await refuseChangedInput(input);
      throw end.readError;
    }
    // Rows failing over the limit may be what a corrupt input reads as before its reader finds it so (a gzip file with
    // bytes flipped: ragged rows, then its CRC check at the end): an input that cannot be read is that, exit 3.
    if (stop.reason?.kind === 'too_many_errors' && !inputReadable) {
      await readThrough('reading the input through: rows failed over the limit, and an input that cannot be read is what to say first', new AbortController().signal);
    }
    // The checkpoint above holds every row counted; answers the journal refused (a full disk) are said apart.
    return asSavedNow(stoppedSummary(stop, totals, summaryOf, resumable), journal);
  } catch (error) {
    await closeOnFault();
    throw markStartingOver(figuresSoFar ? withRunFigures(error, figuresSoFar()) : error, startingOver);
  } finally {
    await source.release();
    await limiter?.stop();
    await scorer.close();
    await cache?.close();
    await inherited?.close();
  }
}

/**
 * The output's absolute path; `-o -` stays `-`. Resolving `-` asked for the working folder, so a run in a folder removed
 * under it (`score /abs/in.csv -o -`) was refused, "give absolute paths", though it needs no folder: nothing of `-o -`
 * is written beside it (no checkpoint, lock or partial output).
 */
function outputPathOf(settings: JobSettings): string {
  return settings.output === STDOUT_PATH ? STDOUT_PATH : path.resolve(settings.output);
}
