import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { Checkpoint } from '../state/checkpoint.js';

/** The run's input and how messages name what moves its output, for a run writing the default output. */
export interface DefaultOutputRun {
  /** The input as given (the checkpoint records it so). */
  input: string;
  outputPath: string;
  checkpointPath: string;
  /** `-o`, or `"output" in the job file`. */
  outputSetting: string;
}

/**
 * `x.csv` and `x.csv.gz` (`x.jsonl`, `x.jsonl.gz`, and an export with no extension scored with --format) share the
 * default output `x.scored.csv`, and so its checkpoint. Scored one after the other (the nightly .gz, the plain one once
 * by hand), the second took the first's checkpoint for its own input changed and started over: the first's finished
 * output (or a paused job's rows, paid for) was replaced, exit 0. A default output sits beside its input, so a
 * checkpoint there that names an input of another file name (and not the same bytes: a renamed export is the same job)
 * is another input's job, while that input is still there (`sameInput`: the checkpoint is of this input's file, or of its
 * bytes, job/same-input.ts: a copy, or `gzip -k x.csv`, is the same job): refused, exit 2, before any work. A name given with -o (a job
 * file's "output") is the user's choice of path, and a new export there starts over as before; so does --restart,
 * which starts over on purpose.
 */
export function refuseOtherInputsOutput(checkpoint: Checkpoint, sameInput: boolean, run: DefaultOutputRun): void {
  const recorded = checkpoint.input.path;
  if (path.basename(recorded) === path.basename(run.input) || sameInput) return;
  // The other input gone from beside its output (`gzip x.csv` after scoring it, then x.csv.gz scored): no job of its can
  // run again, and this export is most likely that one's next; it starts over as a new export at one path does.
  if (!existsSync(path.join(path.dirname(run.outputPath), path.basename(recorded)))) return;
  const job = checkpoint.completed ? 'completed' : 'not finished';
  throw new ConfigError(
    `the default output ${run.outputPath} is the output of another input, ${recorded} (its checkpoint ${run.checkpointPath} says so; that job is ${job}): ` +
      `scoring ${run.input} there would replace it. Name this run's output with ${run.outputSetting}, or run with --restart to replace it on purpose`,
  );
}
