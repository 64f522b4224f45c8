import { createHash } from 'node:crypto';
import type { Outcome } from '../io/record.js';

/** Completed answers kept for later duplicates; bounded so memory does not grow with the input. */
const REMEMBERED = 100_000;

/**
 * A text longer than this is kept by its SHA-256, not whole: REMEMBERED texts of up to 128 MiB each held every large
 * text of a run (40 distinct lines of 15 MiB: 600 MB). Shorter ones, nearly every review, stay the key themselves.
 */
export const LONG_TEXT_KEY = 4096;

/** The key of `text` in its maps (Dedupe.mapsOf): a short text itself, a long one its length and SHA-256. */
function keyOf(text: string): string {
  if (text.length <= LONG_TEXT_KEY) return text;
  return `${text.length}:${createHash('sha256').update(text).digest('base64')}`;
}

/** The answers known and under way for one kind of key. */
interface Answers {
  readonly inFlight: Map<string, Promise<RowResult>>;
  readonly done: Map<string, Outcome>;
}

export type RowResult = Outcome | { kind: 'abandoned' };

/**
 * Duplicate texts in one run are sent once: a text in flight is shared by
 * every row that has it, and recent answers are remembered (LRU by insertion).
 */
export class Dedupe {
  /**
   * Short texts are their own keys, long ones their digests, each in maps of their own: a short text could spell
   * out a long one's digest key, and in one map it would take that text's answer. Each bounded by REMEMBERED.
   */
  private readonly short: Answers = { inFlight: new Map(), done: new Map() };
  private readonly long: Answers = { inFlight: new Map(), done: new Map() };

  /** The maps `text` belongs in; with keyOf, two length checks and nothing allocated for a short text. */
  private mapsOf(text: string): Answers {
    return text.length <= LONG_TEXT_KEY ? this.short : this.long;
  }

  /** An answer for `text` already known or under way, marked as a duplicate; or undefined. */
  lookup(text: string): RowResult | Promise<RowResult> | undefined {
    const answers = this.mapsOf(text);
    const key = keyOf(text);
    const known = answers.done.get(key);
    if (known) return asDuplicate(known);
    const pending = answers.inFlight.get(key);
    return pending?.then(asDuplicate);
  }

  /**
   * For a later pass of the same run (a resumed run's mend, after its fresh pass): the answer this one got for
   * `text`, its scores or a refusal, marked as a duplicate; undefined for a transient failure, which that pass
   * is there to try again, and for a text not answered here.
   */
  settled(text: string): RowResult | undefined {
    const answers = this.mapsOf(text);
    const key = keyOf(text);
    const known = answers.done.get(key);
    if (!known || (known.kind === 'failed' && known.failure.transient === true)) return undefined;
    return asDuplicate(known);
  }

  track(text: string, result: Promise<RowResult>): void {
    const answers = this.mapsOf(text);
    const key = keyOf(text);
    answers.inFlight.set(key, result);
    // A rejection is the pipeline's to handle (it stops the run); here it only ends the wait, remembering nothing.
    void result.then(
      (outcome) => {
        answers.inFlight.delete(key);
        if (outcome.kind !== 'abandoned') keep(answers, key, outcome);
      },
      () => answers.inFlight.delete(key),
    );
  }

  remember(text: string, outcome: Outcome): void {
    const answers = this.mapsOf(text);
    const key = keyOf(text);
    keep(answers, key, outcome);
  }
}

function keep(answers: Answers, key: string, outcome: Outcome): void {
  if (answers.done.size >= REMEMBERED) {
    const oldest = answers.done.keys().next().value;
    if (oldest !== undefined) answers.done.delete(oldest);
  }
  answers.done.set(key, outcome);
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
