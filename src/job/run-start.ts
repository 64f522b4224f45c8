import { existsSync } from 'node:fs';
import type { JobSettings } from '../config/options.js';
import { jobFileChange, settingToChange } from '../config/setting-names.js';
import { journalPathFor } from '../journal/answer-journal.js';
import type { Logger } from '../log.js';
import { answerKeyOf, type Scorer } from '../scoring/scorer.js';
import type { Checkpoint, InputIdentity, OutputSettings } from '../state/checkpoint.js';
import { CACHE_FLAG, droppedAnswersNote } from './dropped-answers.js';
import { keepDroppedAnswers, keepEditedAnswers, keepJournalAnswers, keptAnswersPathFor, keptWordsForThisRun, type DroppedJob } from './kept-answers.js';
import type { LocklessRun } from './lockless-done.js';
import { keepsPaidAnswersOf } from './paid-answers-kept.js';
import { checkpointProblem } from './prove-checkpoint.js';
import { decideStart, type StartDecision } from './resume.js';
import { textsToScore } from './old-output-answers.js';
import type { TextSet } from './text-set.js';
import type { TextWindow } from './row-plan.js';
import type { InputMatch } from './same-input.js';
import { setupStep } from './setup-stop.js';
import type { Source } from './source.js';
import type { StopController } from './stop.js';
import { startUnresumable } from './unresumable-start.js';
import { typedPath } from '../wording/typed-path.js';

/** What the checkpoint decision is made from: the run's paths, its input and the settings' hash. */
export interface RunStart {
  settings: JobSettings;
  log: Logger;
  stop: StopController;
  scorer: Scorer;
  source: Source;
  window: TextWindow | undefined;
  /** The window a run without one loads to keep a paid job's answers (paid-answers-kept.ts): the rows that job cut are cut again. */
  loadWindow: () => Promise<TextWindow>;
  /** Requests cost money or a model has the 512-token window: a dropped job's answers are worth keeping. */
  windowed: boolean;
  resumable: boolean;
  toStdout: boolean;
  inputPath: string;
  identity: InputIdentity;
  match: InputMatch;
  output: string;
  partialPath: string;
  checkpointPath: string;
  settingsHash: string;
  /** The settings the hash is made from (output-settings.ts). */
  outputSettings: OutputSettings;
  /** `--resume require` as the refusals name it; undefined otherwise. */
  requireNamed: string | undefined;
  lockless: LocklessRun | undefined;
  /** Decide only, writing and announcing nothing, as without the lock: a run whose --cache was refused asks whether the job is done (run-cache.ts). */
  quiet?: boolean;
}

/**
 * How the run starts: afresh, resuming the checkpoint, done already, or finishing a rename; a job started over keeps
 * the answers it paid for (kept-answers.ts). Decided without a checkpoint when the run keeps none (unresumable-start.ts).
 */
export async function decideRunStart(run: RunStart): Promise<StartDecision> {
  const { settings, log, stop, scorer, source, window, output, partialPath, checkpointPath, identity } = run;
  const storePath = keptAnswersPathFor(output);
  // A run of a model that costs nothing leaves a store of answers paid for when its job completes (paid-answers-kept.ts).
  // `keep`: the whole job's answers (keepDroppedAnswers), or a completed job's journal's alone (keepJournalAnswers).
  const keepAnswers = <T>(checkpoint: Checkpoint, window: TextWindow | undefined, keep: (job: DroppedJob) => Promise<T>) =>
    setupStep(stop, (abort) => keep({ checkpoint, partialPath, outputPath: output, journalPath: journalPathFor(output), storePath, modelKey: answerKeyOf(scorer), window, leavesPaid: !scorer.remote, abort, progress: { mode: settings.progress, logEveryMs: settings.progressIntervalMs, log }, typedOutput: settings.output }));
  // The signal's line says where the answers kept so far are (stop.ts keepingAnswersIn), named after the output as given.
  // `journal`: the completed job's journal alone is read (keepJournalAnswers), which the line names in place of its output.
  const keeping = <T>(checkpoint: Checkpoint, keep: () => Promise<T>, journal = false) => (
    (stop.keepingAnswersIn = typedPath(storePath, settings.output)), (stop.keepingCompleted = checkpoint.completed), (stop.keepingJournal = journal), keep().finally(() => (stop.keepingAnswersIn = undefined))
  );
  // A run that reads no kept answers (the embedded model) keeps a paid job's all the same, for a run back on its model
  // (paid-answers-kept.ts); another job's it drops as before (they cost nothing), and says what the store keeps.
  // A job file's run is told the key to add, not a flag for one run (the next night's run of the file pays again).
  const cacheAdvice = jobFileChange(settings, 'cache')?.('DIR') ?? CACHE_FLAG;
  const keptBefore = (checkpoint: Checkpoint) => keptWordsForThisRun({ checkpoint, storePath, modelKey: answerKeyOf(scorer), leavesPaid: !scorer.remote, typedOutput: settings.output });
  const keepDropped = run.windowed
    ? (checkpoint: Checkpoint) => keeping(checkpoint, () => keepAnswers(checkpoint, window, keepDroppedAnswers))
    : (checkpoint: Checkpoint) =>
        keepsPaidAnswersOf(checkpoint)
          ? keeping(checkpoint, async () => keepAnswers(checkpoint, window ?? (await run.loadWindow()), keepDroppedAnswers))
          : keptBefore(checkpoint).then((kept) => kept.words || droppedAnswersNote(checkpoint, settings.cache !== undefined, cacheAdvice));
  // A completed job of another input: its journal's answers alone, kept as keepDropped keeps a job's (a run that reads
  // no kept answers keeps them only if they were paid for). Filed under the texts sent: no window is loaded for them.
  // No journal there (the nightly routine): nothing is read, and a signal's line is not about answers being kept.
  const keepJournal = (checkpoint: Checkpoint): Promise<string | undefined> =>
    (run.windowed || keepsPaidAnswersOf(checkpoint)) && existsSync(journalPathFor(output)) ? keeping(checkpoint, () => keepAnswers(checkpoint, window, keepJournalAnswers), true) : Promise.resolve(undefined);
  // A completed job's export edited by hand: its output's answers to the texts the export still holds, where they are paid for (Workers AI).
  const keepEdited = (checkpoint: Checkpoint): Promise<string | undefined> =>
    scorer.remote && window !== undefined && checkpoint.totals.scored > 0 && answerKeyOf(checkpoint.settings) === answerKeyOf(scorer)
      ? keeping(checkpoint, () => keepAnswers(checkpoint, window, async (job) => keepEditedAnswers({ ...job, ...(await editedExportTexts(source, job.abort)) })))
      : Promise.resolve(undefined);
  return !run.resumable
    ? await startUnresumable({ toStdout: run.toStdout, checkpointPath, paths: { outputPath: output, partialPath }, cache: settings.cache !== undefined, restart: settings.restart, log, keepDropped })
    : await decideStart({
        checkpointPath,
        partialPath,
        outputPath: output,
        inputPath: run.inputPath,
        identity,
        match: run.match,
        settingsHash: run.settingsHash,
        settings: run.outputSettings,
        cache: settings.cache !== undefined,
        restart: settings.restart,
        require: run.requireNamed,
        outputSetting: settingToChange(settings, 'output', '-o'),
        typedOutput: settings.output,
        cacheAdvice,
        ...(settings.given !== undefined && !settings.given.has('output') ? { defaultOutputOf: settings.input } : {}),
        withoutLock: run.lockless !== undefined || run.quiet === true,
        log,
        prove: (checkpoint, kind) => checkpointProblem(checkpoint, kind, { source, inputSize: identity.size, partialPath, outputPath: output, typedOutput: settings.output }),
        keepDropped,
        keepJournal,
        keptBefore,
        keepEdited,
      });
}

/**
 * The texts of the edited export, for keepEditedAnswers' `only`: read once, quietly, bounded as old-output-answers.ts
 * bounds them. An export with more distinct texts than those bounds hold keeps every answer of the output instead (the
 * store is on disk: only the filter is held in memory).
 */
async function editedExportTexts(source: Source, abort: AbortSignal | undefined): Promise<{ only?: TextSet }> {
  const read = await textsToScore(source, source.firstRecordOffset, 0, () => abort?.aborted === true);
  abort?.throwIfAborted();
  return read?.whole === true ? { only: read.texts } : {};
}
