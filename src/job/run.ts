import { SentimentBatchError } from '../errors.js';
import path from 'node:path';
import type { JobSettings } from '../config/options.js';
import { keepsCheckpoint, STDIN_PATH, STDOUT_PATH } from '../io/format.js';
import { judgeUnderJobLimit, withRunRecordBound } from '../io/record-bound.js';
import type { Logger } from '../log.js';
import { answerKeyOf, type Scorer } from '../scoring/scorer.js';
import { checkpointPathFor, hashSettings } from '../state/checkpoint.js';
import { JobLabels } from '../state/label-counts.js';
import { JobBlankRows } from '../state/blank-row-count.js';
import { AnswerJournal, journalPathFor } from '../journal/answer-journal.js';
import { readJournal, type JournalRead } from '../journal/journal-lines.js';
import { finishInterruptedMend } from '../mend/finish-mend.js';
import { createFolder } from '../paths/create-folder.js';
import { settledOutputPath } from '../paths/settled-output.js';
import { settingName, settingWords } from '../config/setting-names.js';
import { createScorer } from './backend.js';
import { ignoredSettings } from './ignored-settings.js';
import type { LocklessRun } from './lockless-done.js';
import { markStartingOver } from './starting-over.js';
import { takeOutputLock } from './take-output-lock.js';
import { refuseForeignJobFiles } from './foreign-job-files.js';
import { jobLimitsOf } from './job-failures.js';
import { outputSettingsOf } from './output-settings.js';
import type { TextWindow } from './row-plan.js';
import { rowScorerFactory } from './row-scorer-factory.js';
import { RunTally } from './run-tally.js';
import { withStdinCopy } from './stdin.js';
import type { StopController } from './stop.js';
import { setupDone } from './setup-stop.js';
import type { Summary } from './summary.js';
import { rerunCompletedJob } from './completed-rerun.js';
import { recordFoundInput } from './record-found-input.js';
import type { RunContext } from './run-context.js';
import { runSummaryOf } from './run-summary.js';
import type { ResultCache } from '../state/cache.js';
import { withRunFigures } from './run-figures.js';
import { finishRename } from './finish-rename.js';
import { KeptAnswers, keptAnswersPathFor, keptModelOf, removeKeptAnswers } from './kept-answers.js';
import { leavesStoreOf } from './paid-answers-kept.js';
import { KeptCacheFault, openRunCache } from './run-cache.js';
import { openRunParts } from './run-setup.js';
import { decideRunStart } from './run-start.js';
import { runPass, type PassState } from './run-pass.js';
import { pauseGrownJob } from './grown-input.js';
import { oldOutputAnswers } from './old-output-answers.js';
import { journaledAtStart } from './answers-journaled.js';
import type { StartDecision } from './resume.js';

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
  // Its records judged under its own bound, not under one another run in this process left (io/record-bound.ts).
  return await withRunRecordBound(() => runJobUnderBound(settings, deps));
}

async function runJobUnderBound(settings: JobSettings, deps: RunDependencies): Promise<Summary> {
  const toStdout = settings.output === STDOUT_PATH;
  if (!toStdout) await createFolder(path.dirname(outputPathOf(settings)), settingWords(settings, 'output', '-o', settings.output));
  // Resolved once, after the folder exists: the run's files stay in that folder if its link is switched (settled-output.ts).
  const output = toStdout ? STDOUT_PATH : settledOutputPath(outputPathOf(settings));
  // `-o -` has no file to guard.
  const { lock, lockless } = toStdout ? {} : await takeOutputLock(output, settings, deps);
  try {
    // Under the lock (no run of that user's is writing there now): every foreign job file named at once.
    if (!toStdout) refuseForeignJobFiles(output, settings.restart);
    if (settings.input !== STDIN_PATH) return await scoreFile(settings, path.resolve(settings.input), output, deps, lockless);
    // Standard input is copied to a file first; the copy serves this run only (such runs never resume).
    return await withStdinCopy(toStdout ? undefined : output, deps.stop, (spooled) => scoreFile(settings, spooled, output, deps));
  } catch (error) {
    // An error before the run decided how to start hid the lock's fault: it is said too (lockless-done.ts).
    await lockless?.sayIfUnsaid(deps.log, error);
    throw error;
  } finally {
    await lock?.release();
  }
}

async function scoreFile(settings: JobSettings, inputPath: string, output: string, deps: RunDependencies, lockless?: LocklessRun): Promise<Summary> {
  const { log, stop } = deps;
  // The summary's elapsed time, on the monotonic clock: a wall clock stepped 3 h forward made a 40 s run say "elapsed 3 h 0 min".
  const started = performance.now();
  const tally = new RunTally();
  // The whole output's counts per label: from the checkpoint the run continues, once it has decided how to start.
  const labels = new JobLabels();
  // And its blank rows (CSV rows whose every field is empty), counted on from the same checkpoint.
  const blankRows = new JobBlankRows();
  const partialPath = `${output}.partial`;
  const checkpointPath = checkpointPathFor(output);
  // `-o -`: no file, so no checkpoint and no resume (logged below).
  const toStdout = settings.output === STDOUT_PATH;
  // --resume require, as the refusals name it: a job file's "resume" is no flag anybody typed.
  const requireNamed = settings.resume === 'require' ? settingName(settings, 'resume', '--resume', 'require') : undefined;
  const resumable = keepsCheckpoint(settings);

  const { source, identity, fileId, match, consumed, scorer, limiter } = await openRunParts(settings, inputPath, {
    log,
    stop,
    resumable,
    checkpointPath,
    output: toStdout ? undefined : output,
    createScorer: deps.createScorer ?? createScorer,
  });
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
  const state: PassState = { startTotals: undefined, figuresSoFar: undefined, startingOver: false, closeOnFault: async () => {} };
  try {
    const loadWindow = async (): Promise<TextWindow> => deps.window ?? (await import('../tokenizer/index.js')).loadTokenizer();
    const window = windowed || settings.longText !== 'truncate' ? await loadWindow() : undefined;
    // A job already done needs no cache: a machine fault opening it is kept until the run must score or write (run-cache.ts, lockless-done.ts).
    const cacheFault = new KeptCacheFault();
    cache = windowed && settings.cache ? await openRunCache(settings, settings.cache, log, lockless, scorer.remote, cacheFault) : undefined;
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
      blankRows,
      started,
      startTotals: () => state.startTotals,
    });

    const startWith = { settings, log, stop, scorer, source, window, loadWindow, windowed, resumable, toStdout, inputPath, identity, match, output, partialPath, checkpointPath, settingsHash, outputSettings, requireNamed, lockless };
    // A --cache the machine refused: asked first, writing nothing, whether the job is done; any other start ends on the cache's line.
    if (cacheFault.kept && (await decideRunStart({ ...startWith, quiet: true })).kind !== 'done') cacheFault.throwIfKept();
    let decision = await decideRunStart(startWith);
    // Without the lock: refused before the first write, saying whether the same command continues (not when starting over).
    lockless?.decided(decision);
    // A grown export whose completed job was killed while a mend replaced its output: that mend finished (as for the same
    // input), then decided again from the completed checkpoint it leaves (grown-input.ts).
    if (decision.kind === 'resume' && decision.grown === 'mending') {
      await finishInterruptedMend(decision.checkpoint, { outputPath: output, partialPath, checkpointPath }, log);
      decision = await decideRunStart(startWith);
      // Finished, the checkpoint records no mend: decided again, the job is continued, or started over, never this again.
      if (decision.kind === 'resume' && decision.grown === 'mending') throw new SentimentBatchError('checkpoint', `${checkpointPath} records the mend this run has just finished: run with --restart`);
    }
    state.startingOver = decision.kind === 'fresh';
    // Its records judged under the memory limit the job started under, or this run's smaller one, said (io/record-bound.ts):
    // before the failure causes below name the bound, and before any record of the pass is read.
    const limitWarning = decision.kind === 'resume' ? judgeUnderJobLimit(decision.checkpoint.memoryLimit) : undefined;
    if (limitWarning !== undefined) log.warn(limitWarning);
    // A copy's journal (same bytes, another file) is this job's: a paused run's answers, and a completed job's mend stopped by a budget or a kill.
    // A paused job continued under another record limit (limit-change.ts): its journal, under the hash it had, is this job's.
    const journalKey = {
      settingsHash,
      identity,
      ...((decision.kind === 'resume' || decision.kind === 'done') && decision.sameBytes ? { earlier: decision.checkpoint.input.identity } : {}),
      ...(decision.kind === 'resume' && decision.relimited !== undefined ? { earlierSettingsHash: decision.relimited } : {}),
    };
    // Answers a killed, interrupted or paused run received are used instead of sending again (not after --restart). `ahead`: the rows this run still has to write (the journal's log line counts their answers apart).
    // `read`: the journal as a resume read it to count its lines (journaledAtStart), which the pass's first open replays, not a second read.
    const openJournal = (ahead: (index: number) => boolean, read?: JournalRead): AnswerJournal | undefined =>
      scorer.remote && resumable ? AnswerJournal.open(journalPathFor(output), journalKey, { replay: !settings.restart, log, ahead, ...(read ? { read } : {}) }) : undefined;
    // A job of a model that costs nothing completing here leaves a store of answers paid for (paid-answers-kept.ts); asked
    // before the store is opened to be read. Without the lock nothing is removed; --restart discards the store (below).
    const leavesKeptAnswers = lockless !== undefined || (!toStdout && !settings.restart && !scorer.remote && leavesStoreOf(scorer.remote, await keptModelOf(keptAnswersPathFor(output))));
    // The answers an unfinished job at this output paid for before this one started over (kept-answers.ts), until it completes (a run on standard input too).
    inherited = !toStdout && windowed && decision.kind !== 'done' ? await KeptAnswers.open(keptAnswersPathFor(output), settings.restart, log, answerKeyOf(scorer), settings.output) : undefined;
    // Its job completing leaves answers paid for (paid-answers-kept.ts): --restart discards them as it does for any run.
    if (!toStdout && !windowed && settings.restart) removeKeptAnswers(keptAnswersPathFor(output));
    const rowScorerFor = rowScorerFactory({ settings, scorer, limiter, stop, log, window, cache, tally, inherited });
    const readAhead = Math.max(256, settings.concurrency * 8);
    const limits = jobLimitsOf(settings, source.format);
    // A job file's "input" is what names it in a `run` (no flag can override it there): what to edit when it moves.
    const input = { path: inputPath, shownAs: settings.input, identity, ...(settings.jobFile?.keys.has('input') ? { jobFile: settings.jobFile.path } : {}) };
    const ctx: RunContext = { settings, log, stop, source, input, output, partialPath, checkpointPath, lockless, cacheFault, leavesKeptAnswers, readAhead, summaryOf, labels, blankRows, openJournal, journalKey, rowScorerFor };
    if (decision.kind === 'done') {
      // A run killed while a mend replaced the output: finished first (it must write: not in a folder that takes no writes).
      if (decision.checkpoint.mending) lockless?.refuseWrite(true);
      const found = await recordFoundInput(decision, { checkpointPath, journalPath: journalPathFor(output), input: { path: settings.input, identity, fileId }, lockless: lockless !== undefined, log });
      return await rerunCompletedJob(ctx, await finishInterruptedMend(found, { outputPath: output, partialPath, checkpointPath }, log));
    }
    if (decision.kind === 'finish-rename') return await finishRename(ctx, decision.checkpoint, limits);
    // A completed job whose input grew (rows appended) is resumed as a paused one; its output stays until the rename.
    const resumed = decision.kind === 'resume' ? decision : undefined;
    const grown = resumed?.grown === 'mending' ? undefined : resumed?.grown;
    const start = resumed && grown ? { ...resumed, checkpoint: await pausedGrown(stop, () => pauseGrownJob(resumed.checkpoint, { outputPath: output, partialPath, checkpointPath }, grown)) } : decision;
    // Its new rows' texts that old rows hold are answered there, read once before the first request (Workers AI only: the others pay nothing).
    // So for any paused job resumed (a continued one stopped by Ctrl-C): its partial output holds the rows before, whose
    // answers the in-run dedupe forgot with the run that paid for them (1,000 rows appended, 500 repeating old texts,
    // SIGINT after 163 requests: the resume sent 673, 336 of them paid twice).
    // Not when every answer its rows carry is a line its journal replays (answers-journaled.ts): the read would find none other.
    const { journaled, read: journalRead } = scorer.remote && resumable ? journaledAtStart(start, { cache: cache !== undefined, keptStore: inherited !== undefined, readJournal: () => readJournal(journalPathFor(output), journalKey) }) : { journaled: undefined, read: undefined };
    const oldAnswers =
      start.kind === 'resume' && scorer.remote && window && !(journaled?.whole === true && crcProven(resumed))
        ? await oldOutputAnswers({ checkpoint: start.checkpoint, partialPath, source, window, modelKey: answerKeyOf(scorer), log, stopped: () => stop.requested, ...(grown ? {} : { whose: "the job's partial output" }), proven: crcProven(resumed) })
        : undefined;
    if (oldAnswers !== undefined) journaled?.lose();
    return await runPass(ctx, { inputPath, identity, fileId, decision: start, remote: scorer.remote, toStdout, requireNamed, resumable, consumed, limits, tally, outputSettings, settingsHash, inherited, oldAnswers, journaled, journalRead }, state);
  } catch (error) {
    await state.closeOnFault();
    throw markStartingOver(state.figuresSoFar ? withRunFigures(error, state.figuresSoFar()) : error, state.startingOver);
  } finally {
    await source.release();
    await limiter?.stop();
    await scorer.close();
    await cache?.close();
    await inherited?.close();
  }
}

/** The grown job made a paused one, the stop told meanwhile (its signal's line says what it waits for: signal-line.ts). */
async function pausedGrown<T>(stop: StopController, pause: () => Promise<T>): Promise<T> {
  stop.copyingGrown = true;
  try {
    return await pause();
  } finally {
    stop.copyingGrown = false;
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

/**
 * Whether the resume's proof compared its partial output with the CRC-32 its checkpoint records (prove-checkpoint.ts,
 * partialCrcProblem: every plain resume goes through it, resume.ts provenStart). A completed job continued (`grown`) is
 * read from a copy of its output, which no CRC-32 proved: its rows are still written again to be checked.
 */
function crcProven(resumed: Extract<StartDecision, { kind: 'resume' }> | undefined): boolean {
  return resumed !== undefined && resumed.grown === undefined && resumed.checkpoint.partialCrc32 !== undefined;
}
