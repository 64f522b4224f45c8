/**
 * An export that came out empty but for its header is scored as such: exit 0, `rows 0`, and a header-only output
 * (an empty file is exit 3, an input error; a header alone is a valid export of a day with no reviews). But a
 * nightly job then replaces last night's output with that header-only file, and "Done" alone reads like any other
 * night. So the summary ends with a warning line (`warning` in --summary-json, a warn line in JSON logs), which
 * is what an operator is told to check: the night needs a look at the export, not at the tool. So too for exports
 * joined with `cat`, each a header alone (every row read repeats the header, skipped as such: io/csv-row.ts).
 */
import { REPEATED_HEADER } from '../io/csv-reader.js';
import { STDOUT_PATH } from '../io/format.js';
import type { Totals } from '../state/totals.js';
import type { Summary } from './summary.js';
import { groupedNumber } from '../wording/grouped-number.js';
import { allBlankWarning } from './empty-text.js';

/** The warning line when the job read no row but headers (the input held only its header, or headers joined); undefined otherwise. */
export function headerOnlyWarning(summary: Pick<Summary, 'totals' | 'output' | 'run'>): string | undefined {
  const { totals: job, run } = summary;
  // Every row this run read, and so the whole job's (not resumed), a header repeated: none of them a review.
  const joined = job.read > 0 && run.totals.read === job.read && (run.skippedByCode[REPEATED_HEADER] ?? 0) === job.read;
  if (job.read > 0 && !joined) return undefined;
  const toStdout = summary.output === STDOUT_PATH;
  const what = joined ? 'those headers alone' : 'a header-only file';
  const written = toStdout ? `only ${joined ? 'those headers were' : 'the header was'} written to standard output` : `the output is now ${what}, replacing any earlier output at its path`;
  const had = joined ? 'the exports had no rows: every row read repeats the header (exports joined, each its header alone)' : 'the export had no rows: the input holds only its header';
  return `${had}, and ${written}; check the export`;
}

/**
 * The warning of an "already done" rerun of a job that read no row (completed-rerun.ts): the export is still its
 * header alone; or of one that skipped every row it read (everyRowSkipped). The first run warned; the rerun said only "Already done", and a nightly operator who reads the last
 * run's output alone never saw it. Said of the earlier run's output, which this run did not write. Headers joined
 * (`cat`) and an export whose every text is empty are not told apart: the checkpoint keeps no count of skips per code.
 * Its count of blank rows (`blankRows`, absent in older checkpoints) tells an export of blank rows alone, said as its
 * first run said it (empty-text.ts), not to check the text column.
 */
export function headerOnlyRerunWarning(jobTotals: Pick<Totals, 'read' | 'skipped'> & { blankRows?: number | undefined }, errorPlace: string, jsonl: boolean): string | undefined {
  if (jobTotals.read > 0 && jobTotals.blankRows === jobTotals.read) return allBlankWarning(jobTotals.read);
  if (jobTotals.read > 0) return jobTotals.skipped === jobTotals.read ? everyRowSkipped(jobTotals.read, errorPlace, jsonl) : undefined;
  return 'the export had no rows: the input holds only its header, and the output is the header-only file an earlier run of it wrote; check the export';
}

/**
 * The rerun of a job whose every row was skipped (exports joined, each its header alone; a text column empty in every
 * row): the first run warned, naming why (empty-text.ts, headerOnlyWarning); the checkpoint keeps no skips per code, so
 * the rerun says what it knows, and where each row's reason is. `errorPlace`: `the sentiment_error column` (error-place.ts).
 */
function everyRowSkipped(read: number, errorPlace: string, jsonl: boolean): string {
  const rows = read === 1 ? 'the only row was skipped, with its reason' : `every one of the ${groupedNumber(read)} rows was skipped, each with its reason`;
  return `no row was scored: ${rows} in ${errorPlace} of the output an earlier run of it wrote; check the export and the text ${jsonl ? 'field' : 'column'}`;
}
