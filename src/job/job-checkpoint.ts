import { jobMemoryLimit } from '../io/record-bound.js';
import type { Mending } from '../mend/finish-mend.js';
import { CHECKPOINT_VERSION, writeCheckpoint, type Checkpoint, type ConsumedSegment } from '../state/checkpoint.js';
import type { FailureCounts } from '../state/failure-counts.js';
import type { JobLabels } from '../state/label-counts.js';
import type { JobBlankRows } from '../state/blank-row-count.js';
import { completedOutputSha256 } from '../state/output-digest.js';
import type { Totals } from '../state/totals.js';
import type { Position } from './pipeline.js';
import type { RowFigures } from './run-tally.js';
import type { SavedPoint } from './saved-figures.js';

/** What every checkpoint of one run records the same: the input, the settings that shape the output, where it goes. */
export type CheckpointFrame = Pick<Checkpoint, 'input' | 'settings' | 'settingsHash' | 'output'>;

/**
 * The job's checkpoint as one run writes it: the frame, where the output stands, and the job's totals, failure
 * counts and counts per label as they are when it is saved (all are the run's live counters). It remembers the last checkpoint written
 * (at first, the one the run resumed from), which is what the next run continues from: a fault's figures are those
 * (saved-figures.ts), this run's figures per row (`tally`: labels, codes) with them, as they stood at that checkpoint.
 * A run without a checkpoint (`-o -`, standard input) writes nothing and has no saved point.
 */
export class JobCheckpoint {
  #saved: SavedPoint | undefined;
  /** The completed output's digest this run last recorded: kept by the saves made while a mend writes its copy. */
  #outputSha256: string | undefined;

  constructor(
    private readonly file: string | undefined,
    private readonly frame: CheckpointFrame,
    /** The job's live counters, saved as they stand: its totals, failure counts, counts per label and blank rows. */
    private readonly job: { totals: Totals; failureCounts: FailureCounts | undefined; labels: JobLabels; blankRows: JobBlankRows },
    start: Position,
    private readonly tally: { rowFigures(): RowFigures },
    /** The input bytes consumed up to a position, when the run can tell them (consumed-input.ts). */
    private readonly consumed?: { at(offset: number): ConsumedSegment[] | undefined },
    /** What the checkpoint notes of the job's rows (a text field renamed partway: renamed-text-field.ts), `completed` or not. */
    private readonly notes?: (completed: boolean) => Pick<Checkpoint, 'renamedTextField'>,
    /** The partial output written to: the CRC-32 of its durable bytes, recorded in a paused checkpoint (`partialCrc32`). */
    private readonly output?: { crc32At(bytes: number): number | undefined },
    /** Whether the journal holds every answer of the output's rows: said in a paused checkpoint (answers-journaled.ts). */
    private readonly journaled?: { fields(): Pick<Checkpoint, 'answersJournaled' | 'journaledAnswers' | 'journalId'> },
  ) {
    const labels = job.labels.counts;
    const figures = tally.rowFigures();
    const numberOnly = job.labels.numberOnlyWith(figures.numberOnly);
    const blankRows = job.blankRows.with(figures.blankRows);
    this.#saved = file === undefined ? undefined : { totals: { ...job.totals }, ...(labels ? { labels } : {}), ...(numberOnly ? { numberOnly } : {}), ...blankRowsField(blankRows), nextIndex: start.nextIndex, figures };
  }

  /** Where the last checkpoint written stands; undefined without a checkpoint. */
  get saved(): SavedPoint | undefined {
    return this.#saved;
  }

  /**
   * Writes the checkpoint at `position` (a function of its own: the mend passes take it as `saveCheckpoint`).
   * `digest` 'kept': the completed output is unchanged since this run recorded its digest (a mend writing its copy saves
   * the requests it sent): that digest is recorded again, not the half-written copy's.
   */
  readonly save = async (position: Position, completed = false, listedFailures?: number, mending?: Mending, digest: 'read' | 'kept' = 'read'): Promise<void> => {
    if (this.file === undefined) return;
    // The output as completed (its partial output, or a mend's copy, about to be renamed): a grown export continues it
    // only if it is still those bytes (grown-input.ts). Unreadable, none is recorded: the grown export starts afresh.
    // Read before the live counters below are taken, which the await would let move. While a mend writes its copy at
    // the partial output's path, that copy is not the output: its digest, recorded, made the run after a kill -9 find
    // the output changed and score every row again.
    const outputSha256 = !completed
      ? undefined
      : digest === 'kept'
        ? this.#outputSha256
        : await completedOutputSha256({ outputPath: this.frame.output.path, partialPath: this.frame.output.partialPath }).catch(() => undefined);
    // Taken with the totals below, as the rows stand at this position.
    const figures = this.tally.rowFigures();
    // Of exactly the bytes the position records, or none (a resume then does without the check). Not of a completed
    // output: its sha256 proves it, and a mend rewrites its rows at other lengths without this writer.
    const partialCrc32 = completed ? undefined : this.output?.crc32At(position.outputBytes);
    const consumed = this.consumed?.at(position.inputOffset);
    const { totals, failureCounts } = this.job;
    const labels = this.job.labels.counts;
    // The earlier runs' texts only a number and this run's up to this position (`figures`): an "already done" rerun says them.
    const numberOnly = this.job.labels.numberOnlyWith(figures.numberOnly);
    // So are its blank rows: an "already done" rerun of an export of blank rows says so, not to check the text column.
    const blankRows = this.job.blankRows.with(figures.blankRows);
    const checkpoint: Checkpoint = {
      version: CHECKPOINT_VERSION,
      tool: 'sentiment-batch',
      ...this.frame,
      position,
      totals: { ...totals },
      completed,
      ...(listedFailures !== undefined ? { listedFailures } : {}),
      ...(failureCounts ? { failureCounts: { ...failureCounts } } : {}),
      ...(labels ? { labels } : {}),
      ...(numberOnly ? { numberOnly } : {}),
      ...blankRowsField(blankRows),
      ...(mending ? { mending } : {}),
      ...(consumed ? { consumed } : {}),
      ...this.notes?.(completed),
      ...(outputSha256 !== undefined ? { outputSha256 } : {}),
      ...(partialCrc32 !== undefined ? { partialCrc32 } : {}),
      ...(completed ? {} : this.journaled?.fields()),
      // The limit the job started under (this run's, or the one its checkpoint recorded): a resume judges records under it.
      memoryLimit: jobMemoryLimit(),
      updatedAt: new Date().toISOString(),
    };
    await writeCheckpoint(this.file, checkpoint);
    this.#outputSha256 = outputSha256;
    this.#saved = { totals: checkpoint.totals, ...(labels ? { labels } : {}), ...(numberOnly ? { numberOnly } : {}), ...blankRowsField(blankRows), nextIndex: position.nextIndex, figures };
  };
}

/** The count of blank rows, 0 included (known to be none); left out when unknown. */
function blankRowsField(rows: number | undefined): Pick<Checkpoint, 'blankRows'> {
  return rows === undefined ? {} : { blankRows: rows };
}
