import type { Mending } from '../mend/finish-mend.js';
import { CHECKPOINT_VERSION, writeCheckpoint, type Checkpoint, type ConsumedSegment } from '../state/checkpoint.js';
import type { FailureCounts } from '../state/failure-counts.js';
import type { Totals } from '../state/totals.js';
import type { Position } from './pipeline.js';
import type { RowFigures } from './run-tally.js';
import type { SavedPoint } from './saved-figures.js';

/** What every checkpoint of one run records the same: the input, the settings that shape the output, where it goes. */
export type CheckpointFrame = Pick<Checkpoint, 'input' | 'settings' | 'settingsHash' | 'output'>;

/**
 * The job's checkpoint as one run writes it: the frame, where the output stands, and the job's totals and failure
 * counts as they are when it is saved (both are the run's live counters). It remembers the last checkpoint written
 * (at first, the one the run resumed from), which is what the next run continues from: a fault's figures are those
 * (saved-figures.ts), this run's figures per row (`tally`: labels, codes) with them, as they stood at that checkpoint.
 * A run without a checkpoint (`-o -`, standard input) writes nothing and has no saved point.
 */
export class JobCheckpoint {
  #saved: SavedPoint | undefined;

  constructor(
    private readonly file: string | undefined,
    private readonly frame: CheckpointFrame,
    private readonly totals: Totals,
    private readonly failureCounts: FailureCounts | undefined,
    start: Position,
    private readonly tally: { rowFigures(): RowFigures },
    /** The input bytes consumed up to a position, when the run can tell them (consumed-input.ts). */
    private readonly consumed?: { at(offset: number): ConsumedSegment[] | undefined },
    /** What the completed checkpoint notes of the job's rows (a text field renamed partway: renamed-text-field.ts). */
    private readonly onComplete?: () => Pick<Checkpoint, 'renamedTextField'>,
  ) {
    this.#saved = file === undefined ? undefined : { totals: { ...totals }, nextIndex: start.nextIndex, figures: tally.rowFigures() };
  }

  /** Where the last checkpoint written stands; undefined without a checkpoint. */
  get saved(): SavedPoint | undefined {
    return this.#saved;
  }

  /** Writes the checkpoint at `position` (a function of its own: the mend passes take it as `saveCheckpoint`). */
  readonly save = async (position: Position, completed = false, listedFailures?: number, mending?: Mending): Promise<void> => {
    if (this.file === undefined) return;
    // Taken with the totals below, as the rows stand at this position.
    const figures = this.tally.rowFigures();
    const consumed = this.consumed?.at(position.inputOffset);
    const checkpoint: Checkpoint = {
      version: CHECKPOINT_VERSION,
      tool: 'sentiment-batch',
      ...this.frame,
      position,
      totals: { ...this.totals },
      completed,
      ...(listedFailures !== undefined ? { listedFailures } : {}),
      ...(this.failureCounts ? { failureCounts: { ...this.failureCounts } } : {}),
      ...(mending ? { mending } : {}),
      ...(consumed ? { consumed } : {}),
      ...(completed ? this.onComplete?.() : {}),
      updatedAt: new Date().toISOString(),
    };
    await writeCheckpoint(this.file, checkpoint);
    this.#saved = { totals: checkpoint.totals, nextIndex: position.nextIndex, figures };
  };
}
