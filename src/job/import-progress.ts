import type { Logger } from '../log.js';
import { groupedNumber } from '../wording/grouped-number.js';
import { startTicker, type ProgressMode } from './progress-ticker.js';

/** Where a dropped job's answers are shown being kept: the run's --progress, its log, and (tests) the stream and interval. */
export interface ImportProgressOptions {
  mode: ProgressMode;
  log: Logger;
  /** --progress-interval: how often a log line is written off a terminal. */
  logEveryMs?: number;
  stream?: NodeJS.WriteStream;
  everyMs?: number;
}

/** The two passes of an import (kept-answers.ts): the partial output read through to check it, then its answers put in the store. */
export type ImportStep = 'check' | 'keep';

const STEP_WORDS: Record<ImportStep, string> = {
  check: 'checking its partial output',
  keep: 'putting them in the store',
};

/** A completed job's rows are read from its output (kept-answers.ts): the check is of that file. */
const COMPLETED_STEP_WORDS: Record<ImportStep, string> = { ...STEP_WORDS, check: 'checking its output' };

export interface ImportProgress {
  /** A pass begins: the count starts again from 0. */
  step(step: ImportStep): void;
  /** One more answer read (check) or kept (keep). */
  count(): void;
  stop(): void;
}

/**
 * The progress of keeping an unfinished job's answers (a completed job's: `completed`) before it is started over: 93 s
 * a million rows (about half since a row not cut is not tokenized again), during which the run had logged nothing.
 * Shown as the run's own progress is (progress-ticker.ts): redrawn in place on a terminal, a `progress` log line every
 * --progress-interval otherwise, with `step`, `answers`, `of` (the scored rows its checkpoint counts), `percent` and `answersPerSecond`.
 */
export function startImportProgress(options: ImportProgressOptions, total: number, completed = false): ImportProgress {
  const [whose, words] = completed ? ['the answers of the completed job', COMPLETED_STEP_WORDS] : ['the answers the unfinished job paid for', STEP_WORDS];
  let step: ImportStep = 'check';
  let done = 0;
  // Elapsed time on the monotonic clock, as the run's own progress line (progress.ts): a wall clock stepped is no rate.
  let started = performance.now();
  const line = () => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const percent = total > 0 ? Math.floor((Math.min(done, total) / total) * 1000) / 10 : 100;
    const n = (value: number) => groupedNumber(Math.round(value));
    return {
      text: `keeping ${whose}, ${words[step]}: ${n(done)} of ${n(total)} answers (${percent}%) · ${n(rate)} answers/s`,
      fields: { step: `keeping the answers of the ${completed ? 'completed' : 'unfinished'} job: ${words[step]}`, answers: done, of: total, percent, answersPerSecond: Math.round(rate) },
    };
  };
  const stop = startTicker({ ...options, line });
  return {
    step: (next) => {
      [step, done, started] = [next, 0, performance.now()];
    },
    count: () => {
      done += 1;
    },
    stop,
  };
}
