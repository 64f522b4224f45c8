import { CutShortError, InputError } from '../errors.js';
import type { CopyOf } from './job-output-context.js';

/**
 * A scored file that ends inside a row, read by `report`: the reader's line spoke to score's input ("the export looks
 * cut short … let it finish or export it again … a ragged row, written with its error"), which is no advice for a job's
 * output. The partial output of a run that stopped in the middle of a row (a full disk, a machine that went down; a
 * signal or a kill leaves whole rows) is completed by the same score command, which first cuts it back to the rows its
 * checkpoint saved (or starts over, when the cut is before them), so that it reads whole again while that run works. Any other scored file is a copy cut short or a
 * file still being written. Exit 3 either way, as before: the cut row is not a row to count, and leaving it out unsaid
 * would lose it. Undefined for an error that says no cut.
 */
export function cutShortOutputError(error: unknown, file: string, copyOf: CopyOf | undefined): InputError | undefined {
  if (!(error instanceof CutShortError)) return undefined;
  const place = error.place;
  const where = place.startsWith('the input ') ? `${file} ${place.slice('the input '.length)}` : namesFile(place, file) ? place : `${file}: ${place}`;
  if (copyOf?.kind === 'unfinished') {
    return new InputError(
      `${where}; it is the unfinished output of a run that stopped in the middle of writing that row (a full disk, a machine that went down), and a report counts no cut row: ` +
        `run the same score command again to complete ${copyOf.output} (it writes again every row its checkpoint has not saved, the cut one among them), then report on ${copyOf.output} (or on ${file} while that run works: its rows are whole again)`,
      { cause: error },
    );
  }
  return new InputError(`${where}; the scored file looks cut short (a copy that stopped, or a file still being written), and a report counts no cut row: copy it again or let it be written whole, then run the same report command`, { cause: error });
}

/** A place that already names the file as report was given it (the gzip reader's `cannot decompress 'x.csv.gz' as gzip: …`): said once, not after `x.csv.gz: ` again. */
function namesFile(place: string, file: string): boolean {
  return place.startsWith(`cannot decompress '${file}' `);
}
