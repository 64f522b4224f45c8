import path from 'node:path';
import { STDOUT_PATH } from '../io/format.js';
import { checkpointPathFor, readCheckpoint } from '../state/checkpoint.js';
import { findRunContext, type RunContext } from './run-info.js';

/**
 * The job output a file stands for when no summary or checkpoint names it: the unfinished output `<output>.partial`
 * of a run that has not completed it, or a gzip copy `<output>.gz` of a complete one (`gzip out.scored.csv`).
 */
export type CopyOf =
  /** `savedRows`: the rows its checkpoint has saved; rows after them the next run of the job writes again. */
  | { kind: 'unfinished'; output: string; checkpoint: string; savedRows: number }
  | { kind: 'gzip'; output: string };

/**
 * The run context of the job output `file` stands for, with what it is (`copyOf`), or undefined when it stands for
 * none: a name of neither form, or no checkpoint or summary of that output beside it. Without this, the partial
 * output `report` itself advises looking at was read with the default text column (exit 2 for an export whose
 * reviews are in `review`), and its figures or a gzip copy's came with "no summary JSON or checkpoint beside the file".
 */
export async function jobOutputContext(file: string): Promise<(RunContext & { copyOf: CopyOf }) | undefined> {
  // A gzip output's partial is a gzip stream cut where the run stopped: not read (unfinished-output.ts gives no advice for it).
  if (file.endsWith('.partial') && !file.endsWith('.gz.partial')) return unfinishedOutputContext(file, file.slice(0, -'.partial'.length));
  if (file.endsWith('.gz')) {
    const output = file.slice(0, -'.gz'.length);
    const context = await findRunContext(output);
    if (context.run === null && context.settings === null) return undefined;
    return { ...context, copyOf: { kind: 'gzip', output } };
  }
  return undefined;
}

async function unfinishedOutputContext(file: string, output: string): Promise<(RunContext & { copyOf: CopyOf }) | undefined> {
  const checkpointPath = checkpointPathFor(output);
  const loaded = await readCheckpoint(checkpointPathFor(path.resolve(output)), { shown: true }).catch(() => ({ kind: 'none' as const }));
  if (loaded.kind !== 'ok') return undefined;
  const checkpoint = loaded.checkpoint;
  // Its run's partial output, by name (the two may have been moved together); a completed run's is no partial output.
  const names = path.basename(checkpoint.output.path) === path.basename(output) && path.basename(checkpoint.output.partialPath) === path.basename(file);
  if (!names || checkpoint.completed) return undefined;
  return {
    // What that run has sent and spent is not final, and no page of it would say so: left out, as the sentence explains.
    run: null,
    model: checkpoint.settings.modelId,
    settings: checkpoint.settings,
    jobFiles: { inputs: [checkpoint.input.path].filter((input) => input !== '' && input !== STDOUT_PATH), inputIdentity: checkpoint.input.identity },
    copyOf: { kind: 'unfinished', output, checkpoint: checkpointPath, savedRows: checkpoint.position.nextIndex },
  };
}
