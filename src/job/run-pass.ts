import { ExitCode } from '../errors.js';
import { OutputFile } from '../io/output-file.js';
import { journalPathFor, type AnswerJournal } from '../journal/answer-journal.js';
import type { JournalRead } from '../journal/journal-lines.js';
import { FailedRowsLog, failedRowsPathFor } from '../mend/failed-rows.js';
import type { InputFileId, InputIdentity, OutputSettings } from '../state/checkpoint.js';
import { emptyFailureCounts } from '../state/failure-counts.js';
import type { Totals } from '../state/totals.js';
import type { ConsumedInput } from './consumed-input.js';
import { Dedupe } from './dedupe.js';
import { ErrorGuard, STDOUT_ROWS } from './error-guard.js';
import { ReplacedInputCheck } from './input-replaced.js';
import { refuseChangedInput } from './input-unchanged.js';
import { JobCheckpoint } from './job-checkpoint.js';
import type { JournaledAnswers } from './answers-journaled.js';
import type { JobLimits } from './job-failures.js';
import type { KeptAnswers } from './kept-answers.js';
import { closeAfterFault, openOutput } from './open-output.js';
import type { Position } from './pipeline.js';
import { readBeforeSending, readThroughOf } from './read-through.js';
import { passThroughRecords } from './records-pass.js';
import { lookAgainOnFailure, refuseRemovedPartial } from './removed-partial.js';
import type { StartDecision } from './resume.js';
import type { RunContext } from './run-context.js';
import { endPass } from './run-end.js';
import type { RunTally } from './run-tally.js';
import { asSaved, unwrittenOf } from './saved-figures.js';
import { openStdoutOutput } from './stdout-output.js';
import type { Summary } from './summary.js';
import { withRenamedRows } from './renamed-text-field.js';

/** What a run that writes records (fresh or resumed) has set up besides its context. */
export interface PassSetup {
  inputPath: string;
  identity: InputIdentity;
  /** Recorded beside the identity in each checkpoint (same-input.ts isRecordedFile). */
  fileId: InputFileId;
  decision: Extract<StartDecision, { kind: 'fresh' | 'resume' }>;
  remote: boolean;
  toStdout: boolean;
  /** `--resume require` as the refusals name it; undefined otherwise. */
  requireNamed: string | undefined;
  resumable: boolean;
  consumed: ConsumedInput | undefined;
  limits: JobLimits;
  tally: RunTally;
  outputSettings: OutputSettings;
  settingsHash: string;
  inherited: KeptAnswers | undefined;
  /** A continued job's old rows' answers to the texts of its new rows (old-output-answers.ts): those rows send nothing. */
  oldAnswers?: Dedupe | undefined;
  /** Whether the journal holds every answer the output's rows carry, said in each paused checkpoint (answers-journaled.ts). */
  journaled?: JournaledAnswers | undefined;
  /** The journal as journaledAtStart read it to count its lines: the resume's open replays it (no second read). */
  journalRead?: JournalRead | undefined;
}

/** What the run's error handling needs from the pass, set as the pass goes (run.ts scoreFile). */
export interface PassState {
  /** The job's totals when this run began writing (the summary's resumed-from figures). */
  startTotals: Totals | undefined;
  /** Once the pipeline has started: the figures an error that stops the run keeps (a full disk mid-run, exit 74). */
  figuresSoFar: (() => Summary) | undefined;
  /** Starting over, until its first checkpoint replaces the old one: a fault's line promises no continuing (starting-over.ts). */
  startingOver: boolean;
  /** Once the output is open: closed on a fault, not left to GC (open-output.ts). */
  closeOnFault: () => Promise<void>;
}

/** Opens the output, writes the records from where the decision starts, and ends the pass (run-end.ts). */
export async function runPass(ctx: RunContext, pass: PassSetup, state: PassState): Promise<Summary> {
  const { settings, log, stop, source, output, partialPath, checkpointPath, readAhead, summaryOf, labels, blankRows, openJournal, rowScorerFor, input } = ctx;
  const { inputPath, identity, fileId, decision, toStdout, resumable, consumed, limits, tally, settingsHash } = pass;
  // Paid runs only: what reading the old file on costs there is requests; the embedded model's rows cost nothing, and
  // the end's check refuses its output just the same.
  const replaced = pass.remote ? new ReplacedInputCheck(input, () => source.readingFile()) : undefined;
  const readThrough = readThroughOf({ path: inputPath, shownAs: settings.input }, source, identity, log);
  /** The whole input was read through and found readable before the first request (read-through.ts). */
  const inputReadable = pass.remote && decision.kind === 'fresh' && settings.limit === undefined ? await readBeforeSending(readThrough, stop, input) : false;
  const { file, totals, start } = toStdout ? await openStdoutOutput(source.outputHeader, source.firstRecordOffset) : await openOutput(decision, {
    partialPath,
    header: source.outputHeader,
    firstRecordOffset: source.firstRecordOffset,
    requireResume: pass.requireNamed,
    log,
    typedOutput: settings.output,
  });
  state.closeOnFault = () => closeAfterFault(file);

  const startTotals = { ...totals };
  state.startTotals = startTotals;
  const resumed = decision.kind === 'resume' && start.nextIndex === decision.checkpoint.position.nextIndex && start.outputBytes === decision.checkpoint.position.outputBytes;
  consumed?.begin(start.inputOffset, resumed ? { earlier: decision.checkpoint.consumed } : { header: source.headerBytes });
  // The verdict at the end is on the whole job: the guard adds this run's rows to the counts earlier runs left (none in an older checkpoint: not kept then).
  const failureCounts = resumed ? decision.checkpoint.failureCounts && { ...decision.checkpoint.failureCounts } : emptyFailureCounts();
  labels.startFrom(resumed ? decision.checkpoint : undefined);
  blankRows.startFrom(resumed ? decision.checkpoint : undefined);
  const guard = new ErrorGuard(settings.maxErrors, settings.maxErrorRate, limits.errorPlace, failureCounts, limits.names, toStdout ? STDOUT_ROWS : undefined);
  const frame = { input: { path: settings.input, identity, fileId }, settings: pass.outputSettings, settingsHash, output: { path: output, partialPath } };
  // A text field renamed partway, noted in the completed checkpoint: an "already done" rerun warns again (completed-rerun.ts).
  // A continued job (grown-input.ts) carries the old part's note in each checkpoint, and adds this run's at completion.
  const earlierRenamed = resumed ? decision.checkpoint.renamedTextField : undefined;
  const renamedNote = (completed: boolean) => {
    const note = withRenamedRows(earlierRenamed, completed ? source.renamedTextField?.found(tally.leftOutRows) : undefined);
    return note ? { renamedTextField: note } : {};
  };
  // The partial output's CRC-32 goes in each paused checkpoint (standard output keeps none).
  const jobCheckpoint = new JobCheckpoint(resumable ? checkpointPath : undefined, frame, { totals, failureCounts, labels, blankRows }, start, tally, consumed, renamedNote, file instanceof OutputFile ? file : undefined, pass.journaled);
  const saveCheckpoint = jobCheckpoint.save;
  const position: Position = { ...start };
  let unwrittenRows = 0; // records read that the pass left unwritten: told when it ends, or when a fault ends it
  let lastRowChanged = false; // among them the last, with no line ending, left out as the input changed (pipeline.ts)
  // A stop's or a fault's figures are the last checkpoint's, which the next run continues from, and the rows read past it (saved-figures.ts).
  const asSavedNow = (summary: Summary, journal?: AnswerJournal): Summary =>
    asSaved({ ...summary, ...unwrittenOf(unwrittenRows, position.nextIndex, journal, lastRowChanged) }, jobCheckpoint.saved, { journal, onlyColumn: source.onlyColumn });
  state.figuresSoFar = () => asSavedNow(summaryOf('failed', ExitCode.MachineFault, totals));
  let opened: AnswerJournal | undefined;
  // The journal named as keeping the answers only while it is where the next run looks (not removed or swapped with its folder).
  const checkRemovedPartial = (): Promise<void> => refuseRemovedPartial(file, partialPath, () => (opened && !opened.removed() ? journalPathFor(output) : undefined), settings.output, output);
  // The first checkpoint, the journal and the failed-rows list are written by path, as every checkpoint is: each only while
  // the partial output is still at its path, as before every checkpoint (records-pass.ts). A run paused right after it made
  // its partial output, its folder swapped meanwhile and the same job started in the new one, replaced that run's
  // checkpoint and list, and replayed its journal, renamed a file over it and appended to it (same input and settings:
  // the same key), then sent every row before its first checkpoint's check ended it (lowfix82).
  const checked = async <T>(write: () => T | Promise<T>): Promise<T> => {
    try {
      await checkRemovedPartial();
      return await lookAgainOnFailure(write, checkRemovedPartial);
    } catch (error) {
      opened?.close(); // a resume's, opened before its first checkpoint
      throw error;
    }
  };
  // A resume rewrites the journal under the input's file as it is now before this checkpoint names that file (a copy's journal was dropped by the next run when a full disk or a kill came in between).
  const journalFirst = decision.kind === 'resume' ? await checked(() => openJournal((index) => index >= start.nextIndex, pass.journalRead)) : undefined;
  opened = journalFirst;
  if (decision.kind === 'resume') pass.journaled?.attach(journalFirst);
  await checked(() => saveCheckpoint(start, false, decision.kind === 'resume' && resumed ? decision.checkpoint.listedFailures : 0));
  state.startingOver = false;
  const journal = decision.kind === 'resume' ? journalFirst : await checked(() => openJournal((index) => index >= start.nextIndex));
  opened = journal;
  pass.journaled?.attach(journal);
  state.figuresSoFar = () => asSavedNow(summaryOf('failed', ExitCode.MachineFault, totals), journal);
  const failedRows = !resumable ? undefined : await checked(() => FailedRowsLog.openForRun(failedRowsPathFor(output), resumed ? start.outputBytes : undefined));
  // The fresh pass's answers, which a mend after it (mendAfterResume, run-end.ts) takes rather than sending those texts again.
  const freshAnswers = new Dedupe();
  const end = await passThroughRecords({
    settings,
    log,
    stop,
    source,
    inputSize: source.compressed ? undefined : identity.size,
    remote: pass.remote,
    file,
    rowScorer: rowScorerFor(totals, journal, undefined, { dedupe: freshAnswers, ...(pass.oldAnswers ? { earlier: pass.oldAnswers } : {}) }),
    tally,
    labels,
    consumed,
    guard,
    totals,
    position,
    readAhead,
    journal,
    failedRows,
    checkInputUnchanged: () => refuseChangedInput(input),
    ...(replaced ? { checkInputReplaced: () => replaced.check() } : {}),
    checkRemovedPartial,
    saveCheckpoint,
    onFault: (rows) => (unwrittenRows = rows),
  });
  unwrittenRows = end.unwritten;
  lastRowChanged = end.inputChanged !== undefined;

  return await endPass(ctx, {
    end,
    file,
    input,
    toStdout,
    journal,
    failedRows,
    consumed,
    inherited: pass.inherited,
    checkRemovedPartial,
    saveCheckpoint,
    totals,
    startTotals,
    firstIndex: start.nextIndex,
    freshAnswers,
    failureCounts,
    guard,
    limits,
    inputReadable,
    readThrough,
    asSavedNow,
  });
}
