import path from 'node:path';
import { InputError } from '../errors.js';
import { journalPathFor } from '../journal/answer-journal.js';
import { failedRowsPathFor } from '../mend/failed-rows.js';
import { checkpointPathFor } from '../state/checkpoint.js';
import { lockPathFor } from '../state/output-lock.js';
import { isRunSummary } from './report-target.js';

/** The files score keeps beside an output, by what each is. */
const KEPT_BESIDE: ReadonlyArray<[(output: string) => string, string]> = [
  [checkpointPathFor, 'the checkpoint'],
  [failedRowsPathFor, 'the list of failed rows'],
  [journalPathFor, 'the answer journal'],
  [lockPathFor, 'the lock'],
];

/**
 * A file of a job given where the scored file goes (`report out.scored.csv.checkpoint.json`, `report
 * nightly.summary.json`): without this, "cannot tell the format … name the format with --input-format", which leads
 * to "not a scored file" at best. Says which output to give instead; with --input-format, the file is taken as named.
 */
export function refuseJobFileInput(file: string, format: string | undefined): void {
  // A format named is the user's word that the file is one, whatever its name.
  if (format !== undefined) return;
  for (const [pathFor, what] of KEPT_BESIDE) {
    const output = file.slice(0, file.length - pathFor('').length);
    if (output !== '' && pathFor(output) === file) {
      throw new InputError(`${file} is ${what} of the job writing ${output}, not a scored file: run sentiment-batch report ${output}`);
    }
  }
  // A summary's name is the user's choice: it is known by its content, when its name says nothing of a scored file's format.
  const summary = path.extname(file).toLowerCase() === '.json' ? isRunSummary(file) : undefined;
  if (summary !== undefined) {
    throw new InputError(
      `${file} is the summary (--summary-json) of the run that wrote ${summary.output}, not a scored file: run sentiment-batch report ${summary.output} (it reads this summary when it is beside that file; else add --summary ${file})`,
    );
  }
}
