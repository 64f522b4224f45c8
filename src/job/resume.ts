import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, SentimentBatchError } from '../errors.js';
import type { Logger } from '../log.js';
import { refuseOtherInputsOutput } from './other-input.js';
import { hashSettings, newerReleaseWords, readCheckpoint, sameIdentity, type Checkpoint, type InputIdentity, type OutputSettings } from '../state/checkpoint.js';
import { howOther, type InputMatch } from './same-input.js';
import { droppedAnswersNote, NO_KEPT_WORDS, rescoredNote, type KeptBeforeWords } from './dropped-answers.js';
import { completeInPartial, grownStart } from './grown-input.js';
import { movedOutputNote } from './moved-output.js';
import type { ProvenKind } from './prove-checkpoint.js';
import { typedPath } from '../wording/typed-path.js';
import { putCompletedOutputInPlace } from './unrenamed-output.js';
import { settingsChange } from './settings-change.js';
import { backendOfModel } from './backend-switch.js';
import { journalAnswerCount, journalPathFor } from '../journal/answer-journal.js';
import { belowRecordsDone, underNewLimit } from './limit-change.js';

export type StartDecision =
  /** `why`: the reason it starts over although there is a checkpoint (not under --restart, nor without a checkpoint). */
  | { kind: 'fresh'; why?: string }
  /** `sameBytes`: the input's file is not the one the checkpoint recorded, but the bytes the job read are the same (same-input.ts). */
  /** `grown`: the checkpoint is of a completed job whose input goes on with rows appended; run.ts makes it a paused one first (grown-input.ts); `unrenamed`: its complete output is still the partial one. */
  /** `relimited`: the settings hash the checkpoint had, a paused job continued under another record limit (limit-change.ts): its journal is this job's. */
  | { kind: 'resume'; checkpoint: Checkpoint; sameBytes?: true; grown?: true | 'unrenamed' | 'mending'; relimited?: string }
  | { kind: 'done'; checkpoint: Checkpoint; sameBytes?: true }
  /** Completed, but the process died between the checkpoint and the rename. */
  | { kind: 'finish-rename'; checkpoint: Checkpoint };

export interface ResumeContext {
  checkpointPath: string;
  partialPath: string;
  outputPath: string;
  inputPath: string;
  identity: InputIdentity;
  /** Tells a copy of the input (file times not kept, gzipped) by the bytes the job read; without it, the identity alone decides. */
  match?: InputMatch;
  settingsHash: string;
  /** The settings the hash is made from: the start-over line names the ones that differ from the checkpoint's (settings-change.ts). */
  settings?: OutputSettings;
  /** --cache given: answers are kept across jobs, so starting over drops none (dropped-answers.ts). */
  cache?: boolean;
  restart: boolean;
  /** `--resume require` given, as the user gave it: `--resume require`, or `"resume": "require" in job file n.json`; undefined otherwise. */
  require: string | undefined;
  /** What moves the output, as advice names it: `-o` (default), or `"output" in the job file` (config/setting-names.ts settingToChange). */
  outputSetting?: string;
  /** The output as the user gave it (`-o out.csv`): lines name it, and its checkpoint, so (wording/typed-path.ts), as the summary does. */
  typedOutput?: string;
  /** How advice turns --cache on: `run with --cache DIR` (default), or `add "cache": "DIR" to the job file` (dropped-answers.ts CACHE_FLAG). */
  cacheAdvice?: string;
  log: Logger;
  /**
   * The run holds no lock on the output (lockless-done.ts): it writes nothing, so it does not announce a start over
   * or a replaced file that will not happen; the refusal it meets says why it would have started over (`why`).
   */
  withoutLock?: boolean;
  /** The output is the default one, beside the input, which no setting named: another input's checkpoint there is refused (other-input.ts). */
  defaultOutputOf?: string;
  /**
   * Keeps the answers of an unfinished job (of another input, or under other settings) before it is started over
   * (kept-answers.ts), returning what the start-over line says of them; without it, the line says they are not reused
   * (dropped-answers.ts).
   */
  keepDropped?: (checkpoint: Checkpoint) => Promise<string>;
  /**
   * Keeps the answers a completed job's journal holds (a mend stopped or refused, rows past its limit) before that job,
   * of another input, is started over (kept-answers.ts keepJournalAnswers), returning what the start-over line says of
   * them; undefined when it holds none.
   */
  keepJournal?: (checkpoint: Checkpoint) => Promise<string | undefined>;
  /**
   * What the start-over line says of answers kept before in the output's store that this run reads, when the job it
   * drops keeps none of its own (a completed job of another input: kept-answers.ts keptWordsForThisRun).
   */
  keptBefore?: (checkpoint: Checkpoint) => Promise<KeptBeforeWords>;
  /**
   * Keeps a completed job's answers to the texts its export, edited by hand since (same file name, other bytes), still
   * holds (run-start.ts), returning what the start-over line says of them; undefined when it keeps none of its output's
   * (another model's job, one that scored nothing, a run that pays for nothing), and the line says what it said before.
   */
  keepEdited?: (checkpoint: Checkpoint) => Promise<string | undefined>;
  /** Checks the checkpoint's claim against the files (prove-checkpoint.ts): undefined when they bear it out. */
  prove?: (checkpoint: Checkpoint, kind: ProvenKind) => Promise<string | undefined>;
}

/** A file of the job's output as the user named the output (wording/typed-path.ts). */
function shown(ctx: Pick<ResumeContext, 'typedOutput'>, file: string): string {
  return typedPath(file, ctx.typedOutput);
}

/**
 * What a start does with the checkpoint beside the output: resume it, report
 * the job already done, or start over (saying why; `--resume require` fails instead).
 */
export async function decideStart(ctx: ResumeContext): Promise<StartDecision> {
  if (ctx.restart) {
    if (!ctx.withoutLock) ctx.log.info('--restart: starting over');
    return { kind: 'fresh' };
  }
  const loaded = await readCheckpoint(ctx.checkpointPath);
  if (loaded.kind === 'none') {
    if (ctx.require) refuse(ctx, 'there is no checkpoint');
    // No checkpoint claims it: a file of the user's at -o (or an output whose checkpoint was deleted) is replaced
    // at the end as any output is; said once, at the start, while it can still be stopped.
    if (!ctx.withoutLock && existsSync(ctx.outputPath)) ctx.log.warn(`${shown(ctx, ctx.outputPath)} exists and no checkpoint says it is this job's output: it is replaced when this run completes`);
    // The same job's checkpoint beside it, under the output's old name: said, or the move cost every row again unseen.
    const moved = ctx.withoutLock ? undefined : await movedOutputNote(ctx);
    if (moved !== undefined) ctx.log.warn(moved);
    return { kind: 'fresh' };
  }
  // A newer release's job (this release rolled back after an upgrade): started over, its partial output was scored again
  // by this release and a completed output replaced. Left as it is, said with what to do, --resume require or not.
  if (loaded.kind === 'unusable' && loaded.newerVersion !== undefined) {
    throw new ConfigError(
      `the checkpoint ${shown(ctx, ctx.checkpointPath)} ${newerReleaseWords(loaded.newerVersion)}: ` +
        "run the job with that release to continue it, or run with --restart to score the input afresh with this one (the job's progress is then lost); nothing was changed",
    );
  }
  if (loaded.kind === 'unusable') {
    // A complete output at -o (a completed job's checkpoint damaged by hand) is replaced once this job completes: every
    // row is paid again (1,800 of 1,800 against serve), said with what spares it, as other start-overs of one say.
    // A paused run's journal of this input and settings is taken by the run all the same: its texts are not sent again.
    const journalPath = journalPathFor(ctx.outputPath);
    const journal = ctx.settings !== undefined && backendOfModel(ctx.settings.modelId) === 'workers-ai' ? journalAnswerCount(journalPath, { settingsHash: ctx.settingsHash, identity: ctx.identity }) : 0;
    const whole = ctx.settings !== undefined && existsSync(ctx.outputPath) ? rescoredNote({ settings: ctx.settings }, ctx.cache === true, ctx.cacheAdvice, { count: journal, shown: shown(ctx, journalPath) }) : '';
    return startOver(ctx, `the checkpoint ${shown(ctx, ctx.checkpointPath)} is unusable: ${loaded.reason}`, false, '', whole);
  }
  const { checkpoint } = loaded;
  if (loaded.fileIdProblem !== undefined) ctx.log.warn(`the checkpoint ${shown(ctx, ctx.checkpointPath)}: ${loaded.fileIdProblem}; the input is compared by the bytes the job read instead`);
  // Its identity, and its device and inode where the checkpoint has them (same-input.ts isRecordedFile).
  const sameFile = ctx.match ? ctx.match.recordedFile(checkpoint) : sameIdentity(checkpoint.input.identity, ctx.identity);
  // A copy made without its file times, or the input gzipped in place: the job read the same bytes (same-input.ts).
  const sameBytes = !sameFile && (await ctx.match?.sameBytes(checkpoint)) === true;
  if (ctx.defaultOutputOf !== undefined) {
    // Its bytes with rows appended are that job grown (grown-input.ts), as they are a paused job's (the same read, kept).
    const grown = !sameFile && !sameBytes && (await ctx.match?.grown(checkpoint)) === true;
    refuseOtherInputsOutput(checkpoint, sameFile || sameBytes || grown, { input: ctx.defaultOutputOf, outputPath: ctx.outputPath, checkpointPath: ctx.checkpointPath, outputSetting: ctx.outputSetting ?? '-o', cache: ctx.cache === true, typedOutput: ctx.typedOutput });
  }
  // The same export grown under other settings (another --limit as it grew, a prefix): the settings' start-over below,
  // which keeps the completed output's answers. Said "the input changed", they were sent again: 60 of 60 for a --limit
  // job completed short of its limit, its export grown and --limit raised (against serve, 2026-12-05).
  const grownOtherSettings = !sameFile && !sameBytes && checkpoint.completed && checkpoint.settingsHash !== ctx.settingsHash && (await ctx.match?.grown(checkpoint)) === true;
  if (!sameFile && !sameBytes && !grownOtherSettings) {
    // Yesterday's export with rows appended: the completed job goes on from where it read to (grown-input.ts).
    const grown = await grownStart(checkpoint, ctx);
    // Grown, but not continued (its output not the one the job wrote, a mend half done, …): said so, not "the input
    // changed" of an input that only grew.
    if (grown !== undefined && 'notContinued' in grown) {
      // A mend half done: its mended copy's answers kept, as under other settings; none kept (a model that paid for
      // nothing), every row is scored again.
      const kept = grown.keepsAnswers ? await droppedAnswers(ctx, checkpoint, true) : '';
      return startOver(ctx, grown.notContinued, grown.expected, '', kept || (await rescored(ctx, checkpoint, grown.expected !== true)));
    }
    if (grown !== undefined) return grown;
    const whose = checkpoint.completed ? 'the checkpoint of the completed job' : 'the checkpoint';
    // A completed job's output is worth keeping: the new export can go elsewhere.
    const advice = checkpoint.completed ? `; to keep ${shown(ctx, ctx.outputPath)}, give the new input another ${ctx.outputSetting ?? '-o'}` : '';
    // Another file's name (tomorrow's dated export, x.csv.gz after x.csv gzipped in place) is said as such: "changed"
    // sent the user looking for an edit of a file no one touched.
    const recorded = path.basename(checkpoint.input.path);
    const given = path.basename(ctx.inputPath);
    const why =
      recorded !== given
        ? `${whose} is of another input file, ${recorded} (this run reads ${given})`
        : (await ctx.match?.goesOnFromLastRow(checkpoint)) === true
          ? `the input goes on after the ${checkpoint.position.inputOffset} bytes the completed job read, but not after a line ending: its last row, read at the end of its file with no LF (none, or a lone CR), goes on with the bytes after them, so it is another record now`
          : `the input changed since ${whose} (the bytes the job read differ, or its size, modification time or content when the checkpoint cannot tell)`;
    // Killed before its rename, the completed job's output is put in place, to stay until this job completes.
    if (!ctx.require && !ctx.withoutLock) await putCompletedOutputInPlace(checkpoint, ctx);
    // The same export edited by hand (a review corrected, a rating changed): every row was paid for again, 2,000 of
    // 2,000 for one byte (against serve). The answers its output holds to texts still there are kept for this job.
    const edited = recorded === given && checkpoint.completed && !ctx.require && !ctx.withoutLock ? await ctx.keepEdited?.(checkpoint) : undefined;
    return startOver(ctx, why, checkpoint.completed, advice, edited ?? (await droppedAnswers(ctx, checkpoint)));
  }
  // Another record limit alone, the records done within it: the job continues (proven as any paused job below).
  const relimited = ctx.settings !== undefined && checkpoint.settingsHash !== ctx.settingsHash ? underNewLimit(checkpoint, ctx.settings, ctx.settingsHash) : undefined;
  if (relimited !== undefined && !checkpoint.completed) {
    const decision = await provenStart(ctx, relimited.checkpoint, sameBytes);
    if (decision.kind !== 'resume') return decision;
    if (!ctx.withoutLock) ctx.log.info(relimited.line);
    return { ...decision, relimited: checkpoint.settingsHash };
  }
  // A job completed at its limit: proven under its own settings (its input goes on past the limit by design), its output
  // at its path, then made a paused one under this run's (run.ts, as a grown export's). Killed before its rename, or
  // its output not the job's: the start-over below, which keeps the answers it can read back.
  // Not an export that grew under it (grownOtherSettings): the same file, or its bytes read the same.
  if (relimited !== undefined && (sameFile || sameBytes) && existsSync(ctx.outputPath) && (await ctx.prove?.(checkpoint, 'done')) === undefined) {
    if (!ctx.withoutLock) ctx.log.info(relimited.line);
    return { kind: 'resume', checkpoint: relimited.checkpoint, ...(sameBytes ? { sameBytes: true } : {}), grown: true, relimited: checkpoint.settingsHash };
  }
  if (checkpoint.settingsHash !== ctx.settingsHash) {
    // Another prefix, text column or --long-text changes no answer to a text sent (the store is keyed by model and text):
    // the unfinished job's answers are kept as for another input's; another model's are kept under their own model (a
    // typo). A completed job's too: the same input, its output to be replaced by this job's, and a typo in its model
    // then the model put back paid for every row again (200 of 200). Not a completed job of another input (the nightly
    // routine: its import would cost every night, tens of seconds a million rows, for answers --cache keeps when asked).
    const changed = ctx.settings !== undefined ? settingsChange(checkpoint.settings, ctx.settings, belowRecordsDone(checkpoint, ctx.settings)) : '';
    const why = `the settings that shape the output (format, delimiter, escape, quote, decimal mark, text column, prefix, model and the address serving it, long-text policy, record limit) differ from the checkpoint's${changed ? ` (${changed})` : ''}`;
    // As for another input's: killed before its rename, the completed output is put in place first (its answers then
    // read from there), or this job wrote over it and, stopped short, left no output at -o.
    if (!ctx.require && !ctx.withoutLock) await putCompletedOutputInPlace(checkpoint, ctx);
    return startOver(ctx, why, false, '', await droppedAnswers(ctx, checkpoint, true));
  }
  // The settings it records are read beside the hash (the proof's record limit, the backend check's model): edited by hand
  // under an untouched hash, a paused job marked complete with "limit" set to its rows so far was renamed "Done", exit 0.
  if (hashSettings(checkpoint.settings) !== checkpoint.settingsHash) {
    return startOver(ctx, `the checkpoint ${shown(ctx, ctx.checkpointPath)} is unusable: its settings are not the ones its settingsHash was made from (edited by hand)`);
  }
  return provenStart(ctx, checkpoint, sameBytes);
}

/** The checkpoint of this job under this run's settings: done, to finish its rename, or resumed, once the files bear it out. */
async function provenStart(ctx: ResumeContext, checkpoint: Checkpoint, sameBytes: boolean): Promise<StartDecision> {
  let decision: StartDecision;
  if (checkpoint.completed) {
    if (existsSync(ctx.outputPath)) decision = { kind: 'done', checkpoint };
    else if (existsSync(ctx.partialPath)) decision = { kind: 'finish-rename', checkpoint };
    else return startOver(ctx, `the checkpoint says the job was completed, but neither its output ${shown(ctx, ctx.outputPath)} nor its partial output is there`, true, '', await rescored(ctx, checkpoint, false));
  } else {
    decision = { kind: 'resume', checkpoint };
  }
  const problem = await ctx.prove?.(checkpoint, decision.kind);
  // Killed before its rename over an earlier output (grown-input.ts): proven as "done", the earlier output's length
  // disagreed, and the job started over, every row paid again. The complete partial output is renamed instead.
  if (problem !== undefined && decision.kind === 'done' && checkpoint.mending === undefined && (await completeInPartial(checkpoint, ctx, 'finish-rename'))) {
    return { kind: 'finish-rename', checkpoint };
  }
  if (problem === undefined && sameBytes && decision.kind !== 'finish-rename') {
    if (!ctx.withoutLock) ctx.log.info(`the input's file is not the one the checkpoint recorded (${howOther(checkpoint, ctx.identity)}), but the ${checkpoint.position.inputOffset} bytes the job read are the same: it is the same job`);
    return { ...decision, sameBytes: true };
  }
  if (problem === undefined) return decision;
  // A completed job's output that is not the job's (edited, replaced) is scored afresh whole: said, with what spares it.
  const note = decision.kind === 'done' ? await rescored(ctx, checkpoint) : '';
  return startOver(ctx, `the checkpoint ${shown(ctx, ctx.checkpointPath)} does not match the files: ${problem}`, false, '', note);
}

/**
 * What the start-over line of a completed job scored afresh whole (its output not the job's, or gone; its export grown
 * but not continued) adds: that every row is scored again (`whole`: not for an output gone, whose line says "scoring it
 * afresh"), and the answers kept before in the output's store that this run reads or leaves there (keptBefore), as a
 * new export's line says them. Those lines said only "every row is scored again" beside a store of 10 answers paid for,
 * which an embedded run left for a run back on Workers AI.
 */
async function rescored(ctx: ResumeContext, checkpoint: Checkpoint, whole = true): Promise<string> {
  const before = !ctx.require && !ctx.withoutLock ? ((await ctx.keptBefore?.(checkpoint)) ?? NO_KEPT_WORDS) : NO_KEPT_WORDS;
  // Answers of this run's model read from the store are not scored again: "every row is scored again" would not be true
  // (a mend's copy killed before its checkpoint, its answers kept by a start-over: 0 requests on the way back).
  const again = whole && !before.read ? rescoredNote(checkpoint, ctx.cache === true, ctx.cacheAdvice) : '';
  return again + before.words;
}

/**
 * What the start-over line says of an unfinished job's paid answers (a completed job's too, with `completedToo`): kept
 * for this job (kept-answers.ts), or why not. Not kept when the start-over is refused (--resume require) or writes
 * nothing (no lock): the old job stays as it is.
 */
async function droppedAnswers(ctx: ResumeContext, checkpoint: Checkpoint, completedToo = false): Promise<string> {
  const keep = ctx.keepDropped !== undefined && !ctx.require && !ctx.withoutLock && (completedToo || !checkpoint.completed);
  if (keep) return (ctx.keepDropped as NonNullable<ResumeContext['keepDropped']>)(checkpoint);
  // A completed job of another input: its output's answers are not kept, but those its journal holds are (paid for
  // rows its output does not hold answered). Not when the start-over is refused or writes nothing, as above.
  const journal = checkpoint.completed && !ctx.require && !ctx.withoutLock ? await ctx.keepJournal?.(checkpoint) : undefined;
  if (journal !== undefined) return journal;
  // A new export's start-over keeps nothing of the completed job, but reads the answers a store beside the output kept
  // before (an embedded job left a paid job's: paid-answers-kept.ts): said, as the other start-overs say it. The line
  // said only "the input changed … scoring it afresh", and 80 of 250 rows sent no request.
  const before = checkpoint.completed && !ctx.require && !ctx.withoutLock ? ((await ctx.keptBefore?.(checkpoint))?.words ?? '') : '';
  return before || droppedAnswersNote(checkpoint, ctx.cache === true, ctx.cacheAdvice);
}

/** `advice`: added to a refusal (`--resume require`); `dropped`: added to the start-over line, what it drops (dropped-answers.ts). */
function startOver(ctx: ResumeContext, reason: string, expected = false, advice = '', dropped = ''): StartDecision {
  // `require` promises to continue the job the checkpoint knows, so every start-over is refused under it;
  // without it, a finished job followed by a new export at the same path is the nightly routine, not a surprise.
  if (ctx.require) refuse(ctx, reason, advice);
  if (ctx.withoutLock) return { kind: 'fresh', why: reason };
  if (expected) ctx.log.info(`${reason}: scoring it afresh${dropped}`);
  else ctx.log.warn(`${reason}: starting over${dropped}`);
  return { kind: 'fresh', why: reason };
}

function refuse(ctx: ResumeContext, reason: string, advice = ''): never {
  throw new SentimentBatchError('checkpoint', `${ctx.require}: cannot resume, ${reason}. To start over, run with --resume auto instead (on the command line it overrides a job file)${advice}`);
}

