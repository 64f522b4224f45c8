import { createHash } from 'node:crypto';
import { updateWithText } from '../state/text-digest.js';
import type { Outcome } from '../io/record.js';

/** Completed answers kept for later duplicates; bounded so memory does not grow with the input. */
const REMEMBERED = 100_000;

/**
 * A text longer than this is kept by its SHA-256, not whole: REMEMBERED texts of up to 128 MiB each held every large
 * text of a run (40 distinct lines of 15 MiB: 600 MB). Shorter ones, nearly every review, stay the key themselves.
 */
export const LONG_TEXT_KEY = 4096;

/** A long text's key: its length and SHA-256, the one thing a row hashes its text for (dedupeKey). */
export class LongTextKey {
  constructor(readonly digest: string) {}
}

/**
 * A text as the calls below take it: a short one is its own key; a long one is best given as dedupeKey's answer,
 * computed once for the row and passed to each call (lookup, then track or remember): given as it is, each call
 * hashes it again (a row over LONG_TEXT_KEY characters was hashed twice at least, once to look up, once to track).
 */
export type DedupeKey = string | LongTextKey;

/** The key of `text` (DedupeKey): for a short text, one length check, nothing allocated. */
export function dedupeKey(text: string): DedupeKey {
  if (text.length <= LONG_TEXT_KEY) return text;
  return new LongTextKey(`${text.length}:${updateWithText(createHash('sha256'), text).digest('base64')}`);
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

  /** The maps `key` belongs in. */
  private mapsOf(key: DedupeKey): Answers {
    return typeof key === 'string' ? this.short : this.long;
  }

  /** An answer for the text already known or under way, marked as a duplicate; or undefined. */
  lookup(text: DedupeKey): RowResult | Promise<RowResult> | undefined {
    const key = asKey(text);
    const answers = this.mapsOf(key);
    const id = idOf(key);
    const known = answers.done.get(id);
    if (known) return asDuplicate(known);
    const pending = answers.inFlight.get(id);
    return pending?.then(asDuplicate);
  }

  /**
   * For a later pass of the same run (a resumed run's mend, after its fresh pass): the answer this one got for
   * the text, its scores or a refusal, marked as a duplicate; undefined for a transient failure, which that pass
   * is there to try again, and for a text not answered here.
   */
  settled(text: DedupeKey): RowResult | undefined {
    const key = asKey(text);
    const known = this.mapsOf(key).done.get(idOf(key));
    if (!known || (known.kind === 'failed' && known.failure.transient === true)) return undefined;
    return asDuplicate(known);
  }

  track(text: DedupeKey, result: Promise<RowResult>): void {
    const key = asKey(text);
    const answers = this.mapsOf(key);
    const id = idOf(key);
    answers.inFlight.set(id, result);
    // A rejection is the pipeline's to handle (it stops the run); here it only ends the wait, remembering nothing.
    void result.then(
      (outcome) => {
        answers.inFlight.delete(id);
        if (outcome.kind !== 'abandoned') keep(answers, id, outcome);
      },
      () => answers.inFlight.delete(id),
    );
  }

  remember(text: DedupeKey, outcome: Outcome): void {
    const key = asKey(text);
    keep(this.mapsOf(key), idOf(key), outcome);
  }
}

/** `text`'s key: a long text given as it is hashed here (a short one, or a key already made, is one check). */
function asKey(text: DedupeKey): DedupeKey {
  return typeof text === 'string' && text.length > LONG_TEXT_KEY ? dedupeKey(text) : text;
}

/** The key's string in its maps (Dedupe.mapsOf): a short text itself, a long one its digest. */
function idOf(key: DedupeKey): string {
  return typeof key === 'string' ? key : key.digest;
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
