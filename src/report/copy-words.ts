import type { Figures } from './figures.js';
import { baseName, count } from './html-text.js';

/**
 * What the page and the command say of a file that stands for a job output (job-output-context.ts): the rows of an
 * unfinished output after its checkpoint are counted, though the next run writes them again; a gzip copy is given
 * the figures and settings of the run that wrote the output of its name.
 */
export function copyOfSentence(figures: Figures): string | undefined {
  const copy = figures.copyOf;
  if (copy === undefined) return undefined;
  if (copy.kind === 'gzip') {
    const head = `No summary or checkpoint names this file: it is taken for a gzip copy of ${baseName(copy.output)}`;
    // Only a later run's checkpoint may be there (the job working again): its settings, but no figures of this file's run.
    if (figures.run === null) return `${head}, and read with the settings (text column, prefix, delimiter) of the job that writes ${baseName(copy.output)}`;
    return `${head}, and the run's figures and settings (text column, prefix, delimiter) are those of the run that wrote ${baseName(copy.output)}`;
  }
  const rows = (n: number): string => `${count(n)} row${n === 1 ? '' : 's'}`;
  const head = `This is the unfinished output of a run that has not completed ${baseName(copy.output)}`;
  const saved = `its checkpoint ${baseName(copy.checkpoint)} has saved ${copy.savedRows === 0 ? 'no row yet' : `the first ${rows(copy.savedRows)}`}`;
  if (copy.rowsPastCheckpoint === 0) return `${head} (${saved}): every row counted here is saved; the rest of the input is not in it yet`;
  const past = copy.savedRows === 0 ? `the ${rows(copy.rowsPastCheckpoint)} counted here are` : `the ${rows(copy.rowsPastCheckpoint)} after them, counted here too, are`;
  // A run still working saves them at its next checkpoint; one that stopped left them for the next run to write again.
  return `${head}: ${saved}; ${past} not saved yet: if the run has stopped, the next run of the job writes them again; the rest of the input is not in it yet`;
}
