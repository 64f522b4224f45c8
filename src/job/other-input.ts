import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { Checkpoint } from '../state/checkpoint.js';
import { groupedNumber } from '../wording/grouped-number.js';
import { typedPath } from '../wording/typed-path.js';

/** The run's input and how messages name what moves its output, for a run writing the default output. */
export interface DefaultOutputRun {
  /** The input as given (the checkpoint records it so). */
  input: string;
  outputPath: string;
  checkpointPath: string;
  /** `-o`, or `"output" in the job file`. */
  outputSetting: string;
  /** --cache given: the answers an unfinished job paid for are kept there, whichever way this run goes. */
  cache?: boolean;
  /** The output as derived from the input as given (`x.scored.csv` beside `x.csv`): the refusal names it, and its checkpoint, so. */
  typedOutput?: string;
}

/**
 * `x.csv` and `x.csv.gz` (`x.jsonl`, `x.jsonl.gz`, and an export with no extension scored with --format) share the
 * default output `x.scored.csv`, and so its checkpoint. Scored one after the other (the nightly .gz, the plain one once
 * by hand), the second took the first's checkpoint for its own input changed and started over: the first's finished
 * output (or a paused job's rows, paid for) was replaced, exit 0. A default output sits beside its input, so a
 * checkpoint there that names an input of another file name (and not the same bytes: a renamed export is the same job)
 * is another input's job, while that input is still there, or, gone, when its checkpoint's `consumed` shows this input
 * is not the bytes it read (`sameInput`: the checkpoint is of this input's file, or of its bytes, job/same-input.ts: a
 * copy, `gzip -k x.csv`, or `gzip x.csv`, is the same job): refused, exit 2, before any work. A name given with -o (a job
 * file's "output") is the user's choice of path, and a new export there starts over as before; so does --restart,
 * which starts over on purpose.
 */
export function refuseOtherInputsOutput(checkpoint: Checkpoint, sameInput: boolean, run: DefaultOutputRun): void {
  const recorded = checkpoint.input.path;
  if (path.basename(recorded) === path.basename(run.input) || sameInput) return;
  // The other input gone from beside its output (`gzip x.csv` after scoring it, then x.csv.gz scored): no job of its can
  // run again. Its checkpoint's `consumed` (the sha256 of the bytes it read) tells whether this input is those bytes
  // (`sameInput`: its gzip continues the job, or is already done), so one that is not is another export, refused as
  // while the other input was there: it replaced that job's finished output (or its paid rows), exit 0. A checkpoint
  // that records no `consumed` (an older version's) cannot tell: this export, most likely that one's next, starts over
  // as a new export at one path does.
  const gone = !existsSync(path.join(path.dirname(run.outputPath), path.basename(recorded)));
  if (gone && checkpoint.consumed === undefined) return;
  const job = checkpoint.completed ? 'completed' : 'not finished';
  const bytes = gone ? `, no longer beside it, and ${run.input} is not the bytes that job read` : '';
  throw new ConfigError(
    `the default output ${typedPath(run.outputPath, run.typedOutput)} is the output of another input, ${recorded} (its checkpoint ${typedPath(run.checkpointPath, run.typedOutput)} says so; that job is ${job})${bytes}: ` +
      `scoring ${run.input} there would replace it. ${choices(checkpoint, run)}`,
  );
}

/**
 * Another output first: it keeps the other job as it is. An unfinished job's paid answers (without --cache, kept
 * nowhere else) are dropped by --restart, which discards its journal and `<output>.answers` too: said, so that the
 * cheaper choice reads as such.
 */
function choices(checkpoint: Checkpoint, run: DefaultOutputRun): string {
  const { requests } = checkpoint.totals;
  if (checkpoint.completed || run.cache === true || requests === 0) {
    return `Name this run's output with ${run.outputSetting}, or run with --restart to replace it on purpose`;
  }
  const paid = requests === 1 ? 'the 1 request' : `the ${groupedNumber(requests)} requests`;
  return `Name this run's output with ${run.outputSetting}, which keeps ${paid} that job paid for, or run with --restart to replace it on purpose and drop them (a text among them is sent again)`;
}
