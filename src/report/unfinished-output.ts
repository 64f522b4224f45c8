import { existsSync } from 'node:fs';
import { InputError } from '../errors.js';
import { detectInputFormat } from '../io/open-input.js';
import type { InputFormat } from '../io/format.js';
import { checkpointPathFor } from '../state/checkpoint.js';

/**
 * `report OUT` before OUT's run has completed it: score writes `OUT.partial` and renames it to OUT only once
 * complete, so while the first run of a job works, or after it stopped (a signal, an outage, a kill), OUT is not
 * there but that run's partial output is. The reader's "no such file …: check the path" would send
 * the user looking for a typo; this says what the files beside it mean. A file that exists passes.
 */
export function refuseUnfinishedOutput(file: string, format: InputFormat | undefined): void {
  const partial = `${file}.partial`;
  // The partial output is the sign: a checkpoint alone is also what a completed run leaves once its output is moved away.
  if (existsSync(file) || !existsSync(partial)) return;
  const beside = [partial, checkpointPathFor(file)].filter((found) => existsSync(found));
  const partialFormat = plainFormatOf(file, format);
  const look = partialFormat === undefined ? '' : `; to look at the rows written so far: sentiment-batch report ${partial} --input-format ${partialFormat}`;
  throw new InputError(
    `${file} does not exist yet: the run writing it has not completed (${beside.join(' and ')} ${beside.length > 1 ? 'are' : 'is'} beside it): ` +
      `it is still working, or it stopped before the end (run the same score command again to complete it). Report it once that run is done${look}`,
  );
}

/** The format of the output as named (a gzip output's partial is not readable by a name without .gz: no advice). */
function plainFormatOf(file: string, format: InputFormat | undefined): InputFormat | undefined {
  try {
    const found = detectInputFormat(file, format);
    return found.gzip ? undefined : found.format;
  } catch {
    return undefined;
  }
}
