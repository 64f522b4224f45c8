import { rm } from 'node:fs/promises';
import { SentimentBatchError } from '../errors.js';
import { OutputFile } from '../io/output-file.js';
import type { Logger } from '../log.js';
import { emptyTotals, type Totals } from '../state/totals.js';
import type { Position } from './pipeline.js';
import { typedPath } from '../wording/typed-path.js';
import type { StartDecision } from './resume.js';

/** What the pipeline writes to: the partial output file, or standard output for `-o -`. */
export type RecordSink = Pick<OutputFile, 'write' | 'writeBytes' | 'flush' | 'bytes' | 'sync' | 'close'>;

export interface OpenedOutput {
  file: RecordSink;
  totals: Totals;
  start: Position;
}

/**
 * The partial output a run writes to: the checkpointed one, cut back to its
 * recorded length, or a new one holding just the header. A partial output
 * that is missing or shorter than its checkpoint cannot be trusted and is
 * started over (or refused with --resume require).
 */
export async function openOutput(
  decision: StartDecision,
  // `typedOutput`: the output as the user gave it, after which the refusal names the partial output (wording/typed-path.ts).
  options: { partialPath: string; header: string; firstRecordOffset: number; requireResume: string | undefined; log: Logger; typedOutput?: string },
): Promise<OpenedOutput> {
  const { partialPath, log } = options;
  if (decision.kind === 'resume') {
    const { position, totals } = decision.checkpoint;
    const file = await OutputFile.resume(partialPath, position.outputBytes, decision.checkpoint.partialCrc32);
    if (file) {
      // A checkpoint of no row (its run stopped before the first was written) resumes nothing: said so, as the
      // summary's `resumed: false` says it (job/run-summary.ts).
      if (position.nextIndex === 0) log.info({ rowsDone: 0, inputOffset: position.inputOffset }, 'the checkpoint holds no row yet: scoring from the first row');
      else log.info({ rowsDone: position.nextIndex, inputOffset: position.inputOffset }, 'resuming from the checkpoint');
      return { file, totals: { ...totals }, start: { ...position } };
    }
    if (options.requireResume) {
      throw new SentimentBatchError('checkpoint', `${options.requireResume}: the partial output ${typedPath(partialPath, options.typedOutput)} is missing or shorter than the checkpoint says`);
    }
    log.warn({ partialPath }, 'the partial output is missing or shorter than the checkpoint says: starting over');
  }
  const file = await OutputFile.create(partialPath);
  try {
    await file.write(options.header);
    return { file, totals: emptyTotals(), start: { inputOffset: options.firstRecordOffset, outputBytes: await file.sync(), nextIndex: 0 } };
  } catch (error) {
    // Not even the header fitted (a full disk): the empty file goes, or it stays beside a completed output that
    // later runs find already done, and never remove.
    await file.close().catch(() => undefined);
    await rm(partialPath, { force: true });
    throw error;
  }
}

/**
 * Closes the output of a run a fault ends (a refused fsync, exit 74): the CLI exits right after, but an in-process
 * caller kept its descriptor open until garbage collection (Node's DEP0137 warning). Idempotent: a fault after the
 * normal close changes nothing. The answer journal stays open: answers of requests still in flight are kept in it.
 */
export async function closeAfterFault(output: Pick<RecordSink, 'close'>): Promise<void> {
  await output.close().catch(() => undefined);
}
