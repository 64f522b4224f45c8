/**
 * The summary's last line after rows were left failed (formatSummary): what a rerun does about them, a mend refused as
 * the input changed included, and what to do when their list is missing or another output's.
 */
import { ExitCode, type MendAgain } from '../errors.js';
import { ANY_ERROR_PLACE } from '../io/error-place.js';
import { failedRowsPathFor } from '../mend/failed-rows.js';
import { lstatOrUndefined } from '../paths/same-file.js';
import { counted } from '../wording/counted.js';
import { kindOf } from '../wording/file-kind.js';
import { groupedNumber } from '../wording/grouped-number.js';
import { typedPath } from '../wording/typed-path.js';
import { mendRefusedLine } from './mend-refused-line.js';
import type { Summary } from './summary.js';

/**
 * A mend refused as the input changed (input-unchanged.ts inputChangedInMend: exit 3, the output complete), for the
 * first line and the last. Not a --report failed exit 3 after a done run: its summary carries `report` (afterRunFailure).
 */
export const mendRefusedForInput = (summary: Summary): boolean => summary.outputComplete === true && summary.exitCode === ExitCode.Input && summary.report === undefined;

/** The last line after rows were left failed: what a rerun does about them (mend.ts), so an outage is never left unnoticed. */
export function failedRowsLine(summary: Summary, typedOutput?: string, mendAgain?: MendAgain): string | undefined {
  const { retry, final } = summary.failedRows ?? { retry: 0, final: 0 };
  const rows = (count: number) => counted(count, 'row');
  const refused = (count: number) => `refused for ${count === 1 ? 'its' : 'their'} text or record (see ${ANY_ERROR_PLACE}) and not retried`;
  const unlisted = unlistedRowsLine(summary, typedOutput);
  if (unlisted) return unlisted;
  // A mend the service stopped (token rejected, no permission, unknown model: exit 4) fails again the same way
  // until that is fixed: the line above says what to fix, so this one must not say "just run it again".
  const again = summary.exitCode === ExitCode.FatalApi ? 'fix what the line above says (the credentials or the model), then run the same command again' : 'run the same command again';
  // A mend refused as the input changed: the next run mends those rows only if the bytes the job read are unchanged,
  // else it scores the new content afresh. "re-score just those rows" promised the first alone (lowfix32).
  if (mendRefusedForInput(summary) && retry > 0) return mendRefusedLine(retry, final, refused, mendAgain);
  // A mend stopped part-way (a budget, a signal) keeps the answers it received: those rows are written, not sent, next time.
  const kept = summary.failedRows?.kept ?? 0;
  const keptNote = kept > 0 ? ` (this run's answers to ${n(kept)} of them are kept: the next run writes them without a request)` : '';
  if (retry > 0 && final > 0) return `${rows(retry + final)} failed: ${again} to re-score just the ${n(retry)} that failed transiently${keptNote} (the other ${n(final)} ${final === 1 ? 'was' : 'were'} ${refused(final)})`;
  if (retry > 0) return `${rows(retry)} failed transiently: ${again} to re-score just ${retry === 1 ? 'that row' : 'those rows'}${keptNote}`;
  if (final > 0) return `${rows(final)} failed, ${refused(final)}; a rerun leaves ${final === 1 ? 'it as it is' : 'them as they are'}`;
  return undefined;
}

/**
 * Failed rows a rerun cannot mend because their list is missing or belongs to another output: say so, and how to score
 * them again. The list is named after the output as the user gave it (`typedOutput`), as the first line names that.
 */
function unlistedRowsLine(summary: Summary, typedOutput?: string): string | undefined {
  const { final, unlisted = 0, list } = summary.failedRows ?? { final: 0 };
  if (unlisted === 0 || !list) return undefined;
  const listPath = failedRowsPathFor(summary.output);
  const listShown = typedPath(listPath, typedOutput);
  const remedy = 'run with --restart (or write to a new -o) to score the input again';
  if (list === 'missing') {
    // Something else at its path (a folder, a named pipe, a link: never read as the list) was said to be missing.
    const there = lstatOrUndefined(listPath);
    const state = there === undefined ? 'is missing' : `is ${kindOf(there)}, not the list (move or remove it)`;
    return `${counted(unlisted, 'row')} failed, and the list of the rows that failed transiently (${listShown}) ${state}, so a rerun cannot tell them from refused ones nor re-score them (${ANY_ERROR_PLACE} names each cause): ${remedy}`;
  }
  const others = final > 0 ? ` (${n(final)} more ${final === 1 ? 'was' : 'were'} refused for their text or record and not retried)` : '';
  return `${counted(unlisted, 'row')} failed transiently, but the output was changed after their list (${listShown}) was written, so a rerun cannot find them to re-score them${others}: ${remedy}`;
}

/** Thousands separators, as the summary's other lines print them. */
function n(value: number): string {
  return groupedNumber(Math.round(value));
}
