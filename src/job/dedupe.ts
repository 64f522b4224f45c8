import { createHash } from 'node:crypto';
import type { Outcome } from '../io/record.js';

/** Completed answers kept for later duplicates; bounded so memory does not grow with the input. */
const REMEMBERED = 100_000;

/**
 * A text longer than this is kept by its SHA-256, not whole: REMEMBERED texts of up to 128 MiB each held every large
 * text of a run (40 distinct lines of 15 MiB: 600 MB). Shorter ones, nearly every review, stay the key themselves.
 */
export const LONG_TEXT_KEY = 4096;

/**
 * The key of `text` in the maps. A long text's is a NUL, its length and its digest: no text of LONG_TEXT_KEY
 * characters or fewer is a NUL then the length of a longer one, but one written to be another's digest key.
 */
function keyOf(text: string): string {
  if (text.length <= LONG_TEXT_KEY) return text;
  return `\u0000${text.length}:${createHash('sha256').update(text).digest('base64')}`;
}

export type RowResult = Outcome | { kind: 'abandoned' };

/**
 * Duplicate texts in one run are sent once: a text in flight is shared by
 * every row that has it, and recent answers are remembered (LRU by insertion).
 */
export class Dedupe {
  private readonly inFlight = new Map<string, Promise<RowResult>>();
  private readonly done = new Map<string, Outcome>();

  /** An answer for `text` already known or under way, marked as a duplicate; or undefined. */
  lookup(text: string): RowResult | Promise<RowResult> | undefined {
    const key = keyOf(text);
    const known = this.done.get(key);
    if (known) return asDuplicate(known);
    const pending = this.inFlight.get(key);
    return pending?.then(asDuplicate);
  }

  /**
   * For a later pass of the same run (a resumed run's mend, after its fresh pass): the answer this one got for
   * `text`, its scores or a refusal, marked as a duplicate; undefined for a transient failure, which that pass
   * is there to try again, and for a text not answered here.
   */
  settled(text: string): RowResult | undefined {
    const known = this.done.get(keyOf(text));
    if (!known || (known.kind === 'failed' && known.failure.transient === true)) return undefined;
    return asDuplicate(known);
  }

  track(text: string, result: Promise<RowResult>): void {
    const key = keyOf(text);
    this.inFlight.set(key, result);
    // A rejection is the pipeline's to handle (it stops the run); here it only ends the wait, remembering nothing.
    void result.then(
      (outcome) => {
        this.inFlight.delete(key);
        if (outcome.kind !== 'abandoned') this.keep(key, outcome);
      },
      () => this.inFlight.delete(key),
    );
  }

  remember(text: string, outcome: Outcome): void {
    this.keep(keyOf(text), outcome);
  }

  private keep(key: string, outcome: Outcome): void {
    if (this.done.size >= REMEMBERED) {
      const oldest = this.done.keys().next().value;
      if (oldest !== undefined) this.done.delete(oldest);
    }
    this.done.set(key, outcome);
  }
}

/**
 * The earlier row's outcome for a later row with its text: its scores, or its failure (a refusal, or
 * the retries given up). Either way the later row sent no request: it is among the duplicates, not
 * among the rows sent to the model (the failure rate would count one failed request twice).
 */
function asDuplicate(outcome: RowResult): RowResult {
  if (outcome.kind === 'scored') return { ...outcome, cached: false, duplicate: true };
  if (outcome.kind === 'failed') return { ...outcome, duplicate: true };
  return outcome;
}
