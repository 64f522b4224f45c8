/**
 * What a machine fault's line advises (machine-fault.ts words the fault): the setting that moves the file refused, and
 * what running the same command again does, for each state a job's files can be in when the fault stops it. Which of
 * these a stopped `score` or `run` gives is commands/fault-advice.ts's choice.
 */

const RUN_AGAIN = 'then run the same command again (it continues from the checkpoint)';

/**
 * What a fault's line advises: the flag that chooses another path, and what
 * running the command again does. A scoring job's files (-o) resume from the
 * checkpoint; a report or a summary file is simply written again.
 */
export interface FaultAdvice {
  flag: string;
  again: string;
  /** The command only reads the file refused (a report reading a job's checkpoint): read access is all it asks for. */
  readsOnly?: boolean;
  /**
   * The job's files stay where they are: every row is written (its output complete, or only to be renamed), so "write
   * elsewhere (-o)" would start a new job there and score, and pay for, every row again. The line says only the remedy.
   */
  keepPath?: boolean;
  /**
   * The same command continues from the checkpoint, beside the output: another path (-o) starts a new job there, so
   * the line says writing elsewhere after the run that continues, with what it costs (operator25: "… or write
   * elsewhere (-o), then run the same command again (it continues from the checkpoint)" promised both).
   */
  continues?: boolean;
}

const JOB_ADVICE: FaultAdvice = { flag: '-o', again: RUN_AGAIN, continues: true };

/**
 * Where nobody says better: a fault worded where it happened (a checkpoint's read, the answer journal's write), before
 * anyone knows whether the next run continues from a checkpoint (none yet, the output complete, a run starting over).
 * It promised "(it continues from the checkpoint)"; commands/score.ts words it again with what it knows (refusalOf).
 */
export const DEFAULT_ADVICE: FaultAdvice = { flag: '-o', again: 'then run the same command again' };

/**
 * For the job's files (-o): the next run continues from the checkpoint, when there is one (none before a first run
 * wrote it). `output`: the setting that moves them, as advice names it (`"output" in the job file` in a job-file run:
 * a -o would move one run's, and the file's next run would write where it failed).
 */
export function jobAdvice(hasCheckpoint: boolean, output = '-o'): FaultAdvice {
  return hasCheckpoint ? { ...JOB_ADVICE, flag: output } : writtenAgainAdvice(output);
}

/**
 * For the job's files once its output is complete (a mend a full disk stopped: `outputComplete` in --summary-json): the
 * next run has no pass to continue from a checkpoint; it finds the job complete and re-scores just the rows listed as
 * failed transiently, if any (it said "it continues from the checkpoint", which a complete output has no use for).
 */
export function completeOutputAdvice(output = '-o'): FaultAdvice {
  return { flag: output, keepPath: true, again: 'then run the same command again (the output is complete: it re-scores just the rows that failed transiently, if any)' };
}

/**
 * For the job's files once every row is written and the checkpoint says the job is complete, the output not yet at its
 * path (the rename that completes it refused: a folder remounted read-only, a full disk): the next run finishes that
 * rename (job/finish-rename.ts) and scores nothing; elsewhere (-o) it would score every row again.
 */
export function writtenOutputAdvice(output = '-o', restart?: string): FaultAdvice {
  return { flag: output, keepPath: true, again: runAgain('it only completes the output, scoring nothing again', restart) };
}

/**
 * For the job's files when a completed job whose export grew was being made a paused one (job/grown-input.ts): the
 * checkpoint still says completed, and the next run continues the job; elsewhere (-o) it would score every row again.
 */
export function grownJobAdvice(output = '-o'): FaultAdvice {
  return { flag: output, keepPath: true, again: 'then run the same command again (it continues the completed job, scoring only the rows appended to the input)' };
}

/**
 * For the job's files once every row is written, a fault met while the job was sealed (its list of failed rows made
 * final, the checkpoint that says "completed"): the next run continues from the last checkpoint, the rows past it
 * answered from the journal; elsewhere (-o) it would score, and pay for, every row again.
 */
export function sealingAdvice(output = '-o', restart?: string): FaultAdvice {
  return { flag: output, keepPath: true, again: runAgain('it continues from the checkpoint, paying for no answer again', restart) };
}

/**
 * "Run the same command again" once every row is written; `restart` names the setting (--restart, a job file's
 * "restart") when it was given: the same command would then start over and pay for every row again, and the run that
 * keeps the answers is the one without it, which continues from this run's checkpoint.
 */
function runAgain(does: string, restart: string | undefined): string {
  if (restart === undefined) return `then run the same command again (every row is written: ${does})`;
  return `then run the same command again without ${restart} (every row is written: ${does}; with ${restart} it would score, and pay for, every row again)`;
}

/**
 * The flag that writes elsewhere, said among the remedies before "then run the same command again": undefined when the
 * job's files must stay where they are (keepPath), or when the same command continues a job, whose other path
 * startsAfresh says after it.
 */
export function elsewhereFlag(advice: FaultAdvice): string | undefined {
  return advice.keepPath === true || advice.continues === true ? undefined : advice.flag;
}

/** " or write elsewhere (-o)" after a remedy, or nothing (elsewhereFlag). */
export function orElsewhere(advice: FaultAdvice): string {
  const flag = elsewhereFlag(advice);
  return flag === undefined ? '' : ` or write elsewhere (${flag})`;
}

/**
 * After "then run the same command again (it continues from the checkpoint)": what writing elsewhere does instead (a
 * new job, its own checkpoint; the paid answers it reuses are only --cache's), or nothing.
 */
export function startsAfresh(advice: FaultAdvice): string {
  if (advice.continues !== true || advice.keepPath === true) return '';
  return `; or write elsewhere (${advice.flag}) to start afresh, scoring every row again (on Workers AI, paid again unless --cache holds its answer)`;
}

/** For a file that is simply written again (a report, a summary file): `flag` moves it, no checkpoint is involved. */
export function writtenAgainAdvice(flag: string): FaultAdvice {
  return { flag, again: 'then run the same command again' };
}
