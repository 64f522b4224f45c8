import type { JobSettings } from '../config/options.js';
import type { ExitCodeValue } from '../errors.js';
import type { JournalKey } from '../journal/journal-format.js';
import type { AnswerJournal } from '../journal/answer-journal.js';
import type { JournalRead } from '../journal/journal-lines.js';
import type { Logger } from '../log.js';
import type { JobLabels } from '../state/label-counts.js';
import type { JobBlankRows } from '../state/blank-row-count.js';
import type { Totals } from '../state/totals.js';
import type { Dedupe } from './dedupe.js';
import type { WatchedInput } from './input-unchanged.js';
import type { LocklessRun } from './lockless-done.js';
import type { KeptCacheFault } from './run-cache.js';
import type { RowScorer } from './row-scorer.js';
import type { Source } from './source.js';
import type { StopController } from './stop.js';
import type { Summary } from './summary.js';

/** A summary of this run with the job's totals as they are now. */
export type SummaryOf = (status: Summary['status'], exitCode: ExitCodeValue, totals: Totals, message?: string) => Summary;

/** Requests and neurons this run already spent before a scorer was made (its --max-requests / --max-neurons share). */
export interface BudgetSpent {
  requests: number;
  neurons: number;
}

/** What one run of a job has set up, handed to the parts of the run that live in their own modules. */
export interface RunContext {
  settings: JobSettings;
  log: Logger;
  stop: StopController;
  source: Source;
  /** The input as the run found it at its start: a mend checks it unchanged before its copy replaces the output (mend-job.ts). */
  input: WatchedInput;
  /** Absolute paths of the output, its `.partial` and its checkpoint. */
  output: string;
  partialPath: string;
  checkpointPath: string;
  /** Set when the output's folder cannot be written (lockless-done.ts). */
  lockless: LocklessRun | undefined;
  /** A machine fault opening --cache, kept while the job may be found already done (run-cache.ts): thrown before a mend scores. */
  cacheFault: KeptCacheFault;
  /** The run's model costs nothing (embedded, local) and `<output>.answers` holds answers paid for: its job completing leaves them (paid-answers-kept.ts). */
  leavesKeptAnswers: boolean;
  /** How many records may be read ahead of the oldest one not yet written. */
  readAhead: number;
  summaryOf: SummaryOf;
  /** The whole output's counts per label, which summaryOf gives: set from the checkpoint of the job the run finds. */
  labels: JobLabels;
  /** The whole output's blank rows, which summaryOf gives: set from the checkpoint of the job the run finds, as `labels`. */
  blankRows: JobBlankRows;
  /**
   * The answer journal for the rows `ahead` says this run still has to write (remote, resumable runs only). `read`: the
   * file as this run read it already (a resume's line count, journaledAtStart), replayed instead of read again.
   */
  openJournal(ahead: (index: number) => boolean, read?: JournalRead): AnswerJournal | undefined;
  /** The header of this run's journal (openJournal): the one left beside an output complete at its --limit is read by it. */
  journalKey: JournalKey;
  /** A row scorer counting into `totals`; `answers`: where answers are shared with this run's other rows (dedupe.ts). */
  rowScorerFor(totals: Totals, journal: AnswerJournal | undefined, budgetSpent?: BudgetSpent, answers?: { dedupe?: Dedupe; earlier?: Dedupe }): RowScorer;
}
