import path from 'node:path';
import type { Logger } from '../log.js';
import { readCheckpoint, removeCheckpoint, type Checkpoint } from '../state/checkpoint.js';
import { droppedAnswersNote } from './dropped-answers.js';
import { putCompletedOutputInPlace } from './unrenamed-output.js';

/**
 * How a run that keeps no checkpoint starts (standard input cannot be read again, standard output cannot be appended
 * to: such runs are never resumed). One writing to standard output says so. One reading standard input at a file
 * output (`zcat export.csv.gz | sentiment-batch score - --format csv -o out.csv`) writes that output's partial file and,
 * once complete, removes its answer journal and its answer store: an unfinished job left there (another input's,
 * paused by a budget) lost every answer it paid for without a word, paid again by the next run. Its answers are kept
 * first, as when another input's file starts over there (`keepDropped`: kept-answers.ts; without it, a run that cannot
 * cut texts to the model's window, the line says what is dropped), and the start-over line says so.
 */
export async function startUnresumable(run: {
  toStdout: boolean;
  checkpointPath: string;
  /** The output and its partial file: a completed job's output still to be renamed is put in place first. */
  paths: { outputPath: string; partialPath: string };
  cache: boolean;
  /** --restart: the job there is discarded, as a file's run discards it (nothing is kept, nor said). */
  restart: boolean;
  log: Logger;
  keepDropped: ((checkpoint: Checkpoint) => Promise<string>) | undefined;
}): Promise<{ kind: 'fresh' }> {
  if (run.toStdout) {
    run.log.info('writing the records to standard output: no checkpoint is kept, so this run cannot be resumed');
    return { kind: 'fresh' };
  }
  // A checkpoint that cannot be read was ignored by such runs before: it still is (nothing of it can be kept).
  const loaded = await readCheckpoint(run.checkpointPath).catch(() => undefined);
  if (loaded?.kind !== 'ok') return { kind: 'fresh' };
  // A completed job killed before the rename of its output: this run writes its partial output from its first row, and
  // stopped before it completed, left no output of either job (its checkpoint still says complete). Put in place first,
  // as a file's run does (resume.ts), it stays until this run completes; --restart discards it as a file's run does.
  if (loaded.checkpoint.completed) {
    if (!run.restart) await putCompletedOutputInPlace(loaded.checkpoint, run.paths);
    return { kind: 'fresh' };
  }
  const { checkpoint } = loaded;
  if (!run.restart) {
    const dropped = run.keepDropped ? await run.keepDropped(checkpoint) : droppedAnswersNote(checkpoint, run.cache);
    run.log.warn(`the checkpoint is of an unfinished job of ${path.basename(checkpoint.input.path)}, which this run cannot continue (it reads standard input, and keeps no checkpoint): starting over${dropped}`);
  }
  // Its answers kept (or said dropped) and its partial output about to be replaced, it describes a job that is no more:
  // left there, every later run on standard input said this line again, its partial output "edited by hand?". Not
  // removed, the next such run says so once more: nothing else depends on it.
  await removeCheckpoint(run.checkpointPath).catch(() => undefined);
  return { kind: 'fresh' };
}
