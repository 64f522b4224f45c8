import type { JobSettings } from '../config/options.js';
import type { AnswerJournal } from '../journal/answer-journal.js';
import type { Logger } from '../log.js';
import type { FailedRowsLog } from '../mend/failed-rows.js';
import type { JobLabels } from '../state/label-counts.js';
import type { Totals } from '../state/totals.js';
import type { ConsumedInput } from './consumed-input.js';
import type { RowResult } from './dedupe.js';
import type { ErrorGuard } from './error-guard.js';
import { crEndsRecordsIn } from './last-row-ending.js';
import { lineEndingOwed } from './owed-ending.js';
import type { RecordSink } from './open-output.js';
import { runPipeline, type PipelineEnd, type Position, type WrittenRow } from './pipeline.js';
import { startProgress } from './progress.js';
import { lookAgainOnFailure } from './removed-partial.js';
import type { RowScorer } from './row-scorer.js';
import type { RunTally } from './run-tally.js';
import type { Source } from './source.js';
import type { StopController } from './stop.js';

export interface RecordsPass {
  settings: JobSettings;
  log: Logger;
  stop: StopController;
  source: Source;
  /** The input's size for the progress line's share and ETA (none for a gzip input: its offsets are not the file's). */
  inputSize: number | undefined;
  remote: boolean;
  file: RecordSink;
  rowScorer: RowScorer;
  tally: RunTally;
  /** The whole output's counts per label, counted with the totals. */
  labels: JobLabels;
  consumed: ConsumedInput | undefined;
  guard: ErrorGuard;
  totals: Totals;
  /** Where the pass starts; advanced in place as rows are written. */
  position: Position;
  readAhead: number;
  journal: AnswerJournal | undefined;
  failedRows: FailedRowsLog | undefined;
  /** Throws when the input is no longer the file read (pipeline.ts: asked before a last row with no line feed is written). */
  checkInputUnchanged(): Promise<void>;
  /** Throws once the input's path names another file, or none, after a periodic checkpoint (input-replaced.ts). */
  checkInputReplaced?(): Promise<void>;
  /** Refuses a `.partial` removed under the run before a checkpoint names it. */
  checkRemovedPartial(): Promise<void>;
  saveCheckpoint(position: Position, completed: boolean, listedFailures: number | undefined): Promise<void>;
  /** Told how many records read a fault leaves unwritten (pipeline.ts onFault). */
  onFault(unwritten: number): void;
}

/** The run's one pass through the records from `position`: scored, written, checkpointed, with the progress line running meanwhile. */
export async function passThroughRecords(pass: RecordsPass): Promise<PipelineEnd> {
  const { settings, source, totals, position, failedRows, journal, consumed, tally } = pass;
  let answered = 0;
  const readAtStart = totals.read;
  let firstCostly: { at: number; completed: number } | undefined;
  const countAnswer = (result: RowResult): RowResult => {
    answered += 1;
    if (!firstCostly && costRequest(result)) firstCostly = { at: performance.now(), completed: Math.max(answered, totals.read - readAtStart) };
    return result;
  };
  const stopProgress = startProgress({
    mode: settings.progress,
    logEveryMs: settings.progressIntervalMs,
    log: pass.log,
    totals,
    offset: () => position.inputOffset,
    // Rows failed while reading never reach the scorer, hence the max with what is written.
    completed: () => Math.max(answered, totals.read - readAtStart),
    firstCostly: () => firstCostly,
    remote: pass.remote,
    inputSize: pass.inputSize,
    limit: settings.limit,
  });
  const records = source.records(position.inputOffset, position.nextIndex, await lineEndingOwed(source, position, settings.limit));
  try {
    const end = await runPipeline({
      records,
      score: (text, index) => {
        const result = pass.rowScorer.score(text, index);
        return result instanceof Promise ? result.then(countAnswer) : countAnswer(result);
      },
      format: (record, outcome) => {
        consumed?.advanceTo(record.byteEnd);
        return source.formatRecord(record, outcome);
      },
      // Counted once written, with the totals: a row whose write failed (EFBIG) is in neither.
      onWritten: (record, outcome) => tally.written(record, outcome),
      output: pass.file,
      stop: pass.stop,
      guard: pass.guard,
      totals,
      labels: pass.labels,
      position,
      window: pass.readAhead,
      checkpointIntervalMs: settings.checkpointIntervalMs,
      checkpoint: async (at) => {
        await pass.checkRemovedPartial();
        // The rows failed transiently that the output holds up to `at` are listed durably before it is recorded.
        failedRows?.sync();
        // A rewrite of the journal that `written` makes is told before this checkpoint, which then says the journal no longer holds every answer written.
        journal?.compactsAt(at.nextIndex);
        // Looked at again if the save fails: the folder swapped during it (removed-partial.ts lookAgainOnFailure).
        await lookAgainOnFailure(() => pass.saveCheckpoint(at, false, failedRows?.count), pass.checkRemovedPartial);
        journal?.written(at.nextIndex);
        // After the rows written are recorded: the next run proves them against the file it then finds. An input gone
        // from its path may have gone with the output's folder (a working folder holding both, removed after the save
        // above): looked at again then, so the line is the folder's, which names the input, not "cannot open input file".
        if (pass.checkInputReplaced) await lookAgainOnFailure(pass.checkInputReplaced, pass.checkRemovedPartial);
      },
      graceMs: settings.graceMs,
      checkInputUnchanged: pass.checkInputUnchanged,
      crEndsRecords: crEndsRecordsIn(source.format),
      ...(failedRows ? { onTransientFailure: (row: WrittenRow) => failedRows.append(row) } : {}),
      onFault: pass.onFault,
    });
    // Every end of the pass is checkpointed next (a stop, a pause, the input changed, completion): the rows listed since
    // the last periodic checkpoint are made durable first, as before each periodic one (a refusal: exit 74, naming it).
    failedRows?.sync();
    return end;
  } finally {
    stopProgress();
    failedRows?.close();
  }
}

/** Whether a row's answer cost a request (or a model call), not taken from a store: the cache, the journal, an earlier row's answer. */
function costRequest(result: RowResult): boolean {
  if (result.kind === 'scored') return !result.cached && !result.earlier && !result.duplicate;
  return result.kind === 'failed' && !result.duplicate && !result.earlier;
}
