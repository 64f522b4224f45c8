import type { JobSettings } from '../config/options.js';
import { textNamed } from '../config/setting-names.js';
import { ExitCode } from '../errors.js';
import type { Totals } from '../state/totals.js';
import { allTextEmptyWarning } from './empty-text.js';
import { headerOnlyWarning } from './header-only-warning.js';
import { summaryWarnings } from './summary-warning.js';
import type { ErrorGuard } from './error-guard.js';
import type { SummaryOf } from './run-context.js';
import { oneShotOf } from '../io/format.js';
import { startsOver } from './stopped-summary.js';
import type { Source } from './source.js';
import type { Summary } from './summary.js';

/**
 * The summary of a pass that wrote every record, with nothing left to mend. Judged over the whole job, as a rerun of the
 * completed job judges it again (job-failures.ts): a guard's stop on this run's last rows that did not keep the output
 * from completing is not the verdict. The output is complete either way, but a job whose rows failed over the limit is
 * no success.
 */
export function completedPassSummary(pass: {
  settings: JobSettings;
  source: Source;
  guard: ErrorGuard;
  totals: Totals;
  /** The job's totals when this run started (none read: the verdict is on "this run"). */
  resumedFrom: Totals;
  summaryOf: SummaryOf;
  /** False for `-o -`: no output file. */
  outputComplete: boolean;
  failedRowsList: Pick<Summary, 'failedRows'>;
}): Summary {
  const { settings, source, totals, summaryOf, failedRowsList } = pass;
  const tripped = pass.guard.finalForJob(totals, pass.resumedFrom.read > 0 ? 'the whole job' : 'this run');
  if (tripped) {
    // A run on standard input or output keeps no checkpoint: its rerun scores the input from the beginning.
    const oneShot = oneShotOf(settings);
    const message = oneShot === undefined ? tripped.message : startsOver(tripped.message, oneShot, totals.read);
    return { ...summaryOf('failed', ExitCode.TooManyErrors, totals, message), outputComplete: pass.outputComplete, ...failedRowsList };
  }
  const done = summaryOf('done', ExitCode.Done, totals);
  // Reviews in another language, then in a font generator's letters, follow, each said as at start-up
  // (summary-warning.ts): the others say the rows were not read as meant at all, so they come first.
  return { ...done, ...failedRowsList, ...summaryWarnings(notReadAsMeant(done, settings, source), source) };
}

/**
 * The warning of a done pass's rows not read as meant, judged on `done` (its `run`: this pass's rows): every text empty,
 * a text field left out of most records, one renamed partway, or no row at all. At most one of these applies: a job that
 * read no row had none to skip. A text field left out of most records is said when some rows were scored (with none,
 * the first says it of every row). A resumed run that mends after its pass says the same (mend/mend-after-resume.ts).
 */
export function notReadAsMeant(done: Summary, settings: JobSettings, source: Source): string | undefined {
  return (
    allTextEmptyWarning(done, { format: source.format, text: settings.text ?? [source.text], named: textNamed(settings, source.format === 'jsonl'), longTextSkip: settings.longText === 'skip' }, source.textElsewhere) ??
    source.leftOutWarning ??
    source.renamedTextField?.warning({ ...(done.run.leftOutRows !== undefined ? { leftOutRows: done.run.leftOutRows } : {}), read: done.run.totals.read }) ??
    headerOnlyWarning(done)
  );
}
