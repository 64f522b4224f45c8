import path from 'node:path';
import { checkpointPathFor, hasCheckpoint, readCheckpoint } from '../state/checkpoint.js';

/**
 * What `estimate` says of an earlier Workers AI job's output at the path the same command's run would write. That run
 * takes the output's answers for the texts the export still holds (a completed job's grown export, or the export
 * replaced at the same name: old-output-answers.ts, partial-answers.ts), or finds the job already done, so it sends
 * fewer requests than the estimate counts: tomorrow's export over today's (210 rows, 3 edited, 10 added; newuser24,
 * against serve) was estimated at 177 requests and sent 13. Counting them would mean reading the old output as the run
 * does; the estimate names the output instead (`output`, absolute, for its JSON; `note`, its warn line). Undefined when
 * there is no such job there.
 */
export async function earlierOutputNote(input: string, output: string, modelId: string): Promise<{ output: string; note: string } | undefined> {
  // A regular file only (hasCheckpoint): a named pipe there would never end the read.
  if (!hasCheckpoint(output)) return undefined;
  const loaded = await readCheckpoint(checkpointPathFor(output), { shown: true }).catch(() => undefined);
  if (loaded?.kind !== 'ok') return undefined;
  const { checkpoint } = loaded;
  // Another model's answers (the embedded model's, a local run's) are none for this run, and another input's job is not this one's.
  if (checkpoint.settings.modelId !== `workers-ai:${modelId}`) return undefined;
  if (path.basename(checkpoint.input.path) !== path.basename(input)) return undefined;
  const shown = path.resolve(output);
  const note =
    `${shown} holds the answers of an earlier Workers AI job of this input (${checkpoint.completed ? 'completed' : 'unfinished'}): ` +
    `a score run at that output takes its answers for the texts this export still holds, so it may send fewer requests than counted here`;
  return { output: shown, note };
}
