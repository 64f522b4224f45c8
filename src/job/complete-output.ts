import { rename } from 'node:fs/promises';
import type { AnswerJournal } from '../journal/answer-journal.js';
import type { Logger } from '../log.js';
import type { FailedRowsLog } from '../mend/failed-rows.js';
import type { ConsumedInput } from './consumed-input.js';
import { refuseChangedInput, type WatchedInput } from './input-unchanged.js';
import { keepEarlierAnswers, removeCompletedJobFiles, removeLeftoverAnswers, type PastLimit } from './completed-job-files.js';
import type { KeptAnswers } from './kept-answers.js';
import type { RecordSink } from './open-output.js';
import type { Position } from './pipeline.js';
import { syncCompletedOutput } from './run-figures.js';
import { markEveryRowWritten } from './rows-written.js';
import { keepModeOf } from '../state/kept-mode.js';
import type { Summary } from './summary.js';

export interface CompletedPass {
  file: RecordSink;
  /** Where the pass ended: every record is written. */
  position: Position;
  input: WatchedInput;
  /** Absolute paths of the output and its `.partial`; no output for `-o -` (nothing to rename). */
  output: string | undefined;
  partialPath: string;
  journal: AnswerJournal | undefined;
  /**
   * Rows earlier runs left failed are mended next, by this run (run-end.ts): the journal stays for that mend, which
   * replays it (the answers of a mend killed before this run, which continued a grown export: they were paid again).
   */
  keepJournal: boolean;
  failedRows: FailedRowsLog | undefined;
  consumed: ConsumedInput | undefined;
  inherited: KeptAnswers | undefined;
  /** The run's model costs nothing and `<output>.answers` holds answers paid for: it stays (paid-answers-kept.ts). */
  leavesKeptAnswers: boolean;
  /** The job reached its --limit: the answers paid for rows past it stay (completed-job-files.ts PastLimit). */
  pastLimit: PastLimit | undefined;
  /** Where a leftover it cannot remove is said (completed-job-files.ts). */
  log: Logger;
  /** The last record written ended with a line feed (PipelineEnd, last-row-ending.ts). */
  lastRowEnded: boolean;
  /**
   * Whether the bytes the pass read are still the input's, asked when its size, time, head or tail changed (run-end.ts
   * readPartCheck): for a pass that reached its --limit, rows appended past them are no refusal (it never reads the
   * rest); for one that read to the end, a file only touched, or the same bytes written over it, is none either.
   */
  readPartUnchanged: (() => Promise<boolean>) | undefined;
  checkRemovedPartial(): Promise<void>;
  saveCheckpoint(position: Position, completed: boolean, listedFailures: number | undefined): Promise<void>;
  /** The run's figures, carried by a failure once the output is complete. */
  figures(): Summary;
}

/**
 * A pass that wrote every record: the output is closed, the input checked unchanged, completion recorded before the
 * rename (a crash in between is finished by the next start: finish-rename.ts), the rename made durable, and the files the
 * complete job no longer needs removed.
 */
export async function completeOutput(pass: CompletedPass): Promise<void> {
  const { file, journal, failedRows, output, input } = pass;
  await pass.checkRemovedPartial().catch(async (error: unknown) => {
    await file.close();
    journal?.close();
    throw error;
  });
  await file.close();
  await refuseChangedInput(input).catch(async (error: unknown) => {
    if ((await pass.readPartUnchanged?.().catch(() => false)) === true) return;
    // The rows written are bytes it read, which the next run proves (consumed): kept, their figures and requests too
    // (last-row-ending.ts; a refused save leaves the last checkpoint, as before, and this line is still the one that
    // says what to do).
    if (pass.lastRowEnded) await pass.saveCheckpoint(pass.position, false, failedRows?.count).catch(() => undefined);
    journal?.close();
    throw error;
  });
  if (output === undefined) return;
  // Every row is written: a fault sealing the job is said without "write elsewhere", which would pay for every row again.
  try {
    await failedRows?.complete(pass.partialPath);
    await pass.saveCheckpoint(pass.position, true, failedRows?.count);
  } catch (error) {
    throw markEveryRowWritten(error);
  }
  // Complete: a mend's reads (after this pass) consume nothing more.
  pass.consumed?.stop();
  // Marked too: under --restart its line then names the run that only completes the output (commands/fault-advice.ts).
  await keepModeOf(output, pass.partialPath);
  await rename(pass.partialPath, output).catch((error: unknown) => {
    throw markEveryRowWritten(error);
  });
  await syncCompletedOutput(output, pass.figures);
  await pass.inherited?.close(); // closed before its folder is removed with the journal
  if (!pass.keepJournal) {
    removeCompletedJobFiles(output, pass.log, journal, pass.leavesKeptAnswers, pass.pastLimit);
    return;
  }
  // The earlier runs' answers are kept for the mend, those to rows past the limit among them (mend-earlier-failures.ts).
  keepEarlierAnswers(output, pass.log, journal);
  removeLeftoverAnswers(output, pass.log, pass.leavesKeptAnswers || pass.pastLimit !== undefined);
}
