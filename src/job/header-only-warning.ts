/**
 * An export that came out empty but for its header is scored as such: exit 0, `rows 0`, and a header-only output
 * (an empty file is exit 3, an input error; a header alone is a valid export of a day with no reviews). But a
 * nightly job then replaces last night's output with that header-only file, and "Done" alone reads like any other
 * night. So the summary ends with a warning line (`warning` in --summary-json, a warn line in JSON logs), which
 * is what an operator is told to check: the night needs a look at the export, not at the tool.
 */
import { STDOUT_PATH } from '../io/format.js';
import type { Summary } from './summary.js';

/** The warning line when the job read no row at all (the input held only its header); undefined otherwise. */
export function headerOnlyWarning(summary: Pick<Summary, 'totals' | 'output'>): string | undefined {
  if (summary.totals.read > 0) return undefined;
  const written =
    summary.output === STDOUT_PATH
      ? 'only the header was written to standard output'
      : 'the output is now a header-only file, replacing any earlier output at its path';
  return `the export had no rows: the input holds only its header, and ${written}; check the export`;
}
