/**
 * A job whose every row was skipped for an empty text did what it was told:
 * those rows really are empty, and the output says so row by row (`empty_text`).
 * So it ends done, exit 0 (exit 5 is for rows that failed, and none did). But a
 * text column blank from the first row to the last is almost always the wrong
 * column, so the summary ends with a line saying so, naming the likeliest
 * column that does hold text; or, when every field of every row is empty
 * (run-tally.ts blankRows), that the export is.
 */
import { EMPTY_TEXT_CODE } from './row-plan.js';
import type { Summary } from './summary.js';
import type { TextElsewhere } from './text-elsewhere.js';
import { groupedNumber } from '../wording/grouped-number.js';
import { textSetting, type TextNamed } from '../io/text-parts.js';
import { textSubject } from '../wording/text-subject.js';

export interface TextChoice {
  format: 'csv' | 'tsv' | 'jsonl';
  /** The text columns or fields. */
  text: readonly string[];
  /** False for the default `text`, which nobody typed; else the flag or job-file key that named it (text-parts.ts). */
  named: TextNamed;
  /** --long-text skip: an earlier run of a resumed job may have skipped rows for their length, which its checkpoint does not tell apart. */
  longTextSkip: boolean;
}

/** The warning line when every row of the job was skipped for an empty text; undefined otherwise. */
export function allTextEmptyWarning(summary: Pick<Summary, 'totals' | 'run'>, choice: TextChoice, elsewhere: TextElsewhere): string | undefined {
  const { totals: job, run } = summary;
  const emptyThisRun = run.skippedByCode[EMPTY_TEXT_CODE] ?? 0;
  const allEmpty = job.read > 0 && job.skipped === job.read && run.totals.read > 0 && emptyThisRun === run.totals.read;
  if (!allEmpty || (choice.longTextSkip && run.totals.read !== job.read)) return undefined;
  // Every field of every row empty (a sheet cleared of its rows, exported): no column holds text, the export is empty.
  if (run.blankRows === run.totals.read && job.read === run.totals.read) return allBlankWarning(job.read);
  const jsonl = choice.format === 'jsonl';
  const kind = jsonl ? 'field' : 'column';
  const words = textSetting(choice.named, jsonl);
  const several = choice.text.length > 1;
  const what = textSubject(choice.text, choice.named, jsonl, { at: 'inline' });
  const empty = `${several ? 'are' : 'is'} ${jsonl ? 'empty, null or left out' : 'empty'} in ${job.read === 1 ? 'the only row' : `every one of the ${groupedNumber(job.read)} rows`}`;
  const likely = elsewhere.likely();
  const next = likely === undefined ? `if another ${kind} holds the reviews, ${words.use()}` : `the ${kind} '${likely}' holds text: ${words.use(likely)}`;
  return `no row was scored: ${what} ${empty}; ${next}`;
}

/** The warning of a job whose `read` rows are all blank rows: its run's, and its "already done" rerun's (header-only-warning.ts). */
export function allBlankWarning(read: number): string {
  const rows = read === 1 ? 'the only row is empty (a blank row' : `each of the ${groupedNumber(read)} rows is empty (blank rows`;
  return `no row was scored: every field of ${rows}, as a spreadsheet exports a sheet cleared of its rows); check the export`;
}
