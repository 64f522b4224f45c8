/**
 * The honest held-out split of SST-2's train.tsv.
 *
 * train.tsv holds ~6,900 full sentences AND every sub-phrase of their parse
 * trees, each as its own labelled line. A random line split would leak: the
 * phrases of a held-out sentence would sit in training. So:
 *  1. full sentences are the lines of at least `minWords` words that are not
 *     a word span of any other line;
 *  2. a seeded shuffle of them picks the held-out and the calibration
 *     sentences;
 *  3. every line that occurs (as a character substring) inside any held-out
 *     or calibration sentence is removed from training.
 * Accuracy on the held-out full sentences is then comparable to SST-2 dev.
 */
import { createRng, shuffleInPlace } from './rng.js';
import type { Sst2Example } from './sst2.js';

/** Options of `splitSst2`; the model file records them so the split can be recomputed. */
export interface SplitOptions {
  seed: number;
  /** Full sentences held out to measure accuracy. */
  heldOut: number;
  /** Further full sentences held out to fit the probability calibration. */
  calibration: number;
  /** Shortest line (in words) that counts as a candidate full sentence. */
  minWords: number;
}

export const DEFAULT_SPLIT: Omit<SplitOptions, 'seed'> = { heldOut: 1000, calibration: 600, minWords: 5 };

export interface Sst2Split {
  /** Lines that occur in no held-out and no calibration sentence: fits the model whose margins are calibrated. */
  train: Sst2Example[];
  /** Lines that occur in no held-out sentence: fits the final model (calibration sentences included). */
  trainWithCalibration: Sst2Example[];
  calibration: Sst2Example[];
  heldOut: Sst2Example[];
  /** All full sentences found (held out or not). */
  sentences: Sst2Example[];
  /** Lines dropped from `train` because they occur inside a held-out or calibration sentence. */
  removedAsLeaky: number;
  /** Lines dropped from `trainWithCalibration` because they occur inside a held-out sentence. */
  removedAsLeakyFromHeldOut: number;
}

/** Lines that are not a word span of any other line (and have at least `minWords` words), in file order. */
export function findFullSentences(examples: readonly Sst2Example[], minWords: number): Sst2Example[] {
  const words = examples.map((e) => e.text.split(' '));
  const inner = innerSpanLines(words, minWords);
  const seen = new Set<string>();
  const sentences: Sst2Example[] = [];
  examples.forEach((example, i) => {
    if ((words[i] as string[]).length < minWords || inner.has(i)) return;
    if (seen.has(example.text)) return;
    seen.add(example.text);
    sentences.push(example);
  });
  return sentences;
}

/**
 * The lines (indexes) of at least `minWords` words whose words are a span of
 * another line's (or of their own line's at another place). Listing every span
 * of every line as a string costs seconds on SST-2's 67,349 lines: each line's
 * words are looked up instead, starting with the `minWords` words a candidate
 * begins with.
 */
function innerSpanLines(words: readonly string[][], minWords: number): Set<number> {
  const byOpening = new Map<string, number[]>();
  words.forEach((w, i) => {
    if (w.length < minWords) return;
    const opening = w.slice(0, minWords).join(' ');
    const list = byOpening.get(opening);
    if (list) list.push(i);
    else byOpening.set(opening, [i]);
  });
  const inner = new Set<number>();
  for (const w of words) {
    if (w.length <= minWords) continue;
    for (let start = 0; start + minWords <= w.length; start++) {
      for (const candidate of byOpening.get(w.slice(start, start + minWords).join(' ')) ?? []) {
        const span = words[candidate] as string[];
        if (inner.has(candidate) || start + span.length > w.length || (start === 0 && span.length === w.length)) continue;
        if (sameWordsFrom(w, start, span, minWords)) inner.add(candidate);
      }
    }
  }
  return inner;
}

/** Whether `span` continues as `line` does from `start` on, its first `checked` words already known to match. */
function sameWordsFrom(line: readonly string[], start: number, span: readonly string[], checked: number): boolean {
  for (let k = checked; k < span.length; k++) if (line[start + k] !== span[k]) return false;
  return true;
}

/** The full sentences `splitSst2` reserves (steps 1 and 2), without filtering the training lines (step 3). */
export type ReservedSentences = Pick<Sst2Split, 'heldOut' | 'calibration' | 'sentences'>;

/**
 * The held-out and calibration sentences of `splitSst2` for the same examples
 * and options, at a fraction of its cost: a check of accuracy on the held-out
 * sentences does not need the training lines filtered.
 */
export function reservedSentences(examples: readonly Sst2Example[], options: SplitOptions): ReservedSentences {
  const sentences = findFullSentences(examples, options.minWords);
  const shuffled = shuffleInPlace([...sentences], createRng(options.seed));
  const heldOut = shuffled.slice(0, options.heldOut);
  const calibration = shuffled.slice(options.heldOut, options.heldOut + options.calibration);
  return { heldOut, calibration, sentences };
}

/** Deterministic for a given `examples` order and options. */
export function splitSst2(examples: readonly Sst2Example[], options: SplitOptions): Sst2Split {
  const { heldOut, calibration, sentences } = reservedSentences(examples, options);
  // One haystack per reserved set, newline-separated (no line contains a
  // newline), so a single `includes` checks a line against every sentence.
  const heldOutText = heldOut.map((e) => e.text).join('\n');
  const calibrationText = calibration.map((e) => e.text).join('\n');
  const train: Sst2Example[] = [];
  const trainWithCalibration: Sst2Example[] = [];
  for (const example of examples) {
    if (example.text === '' || heldOutText.includes(example.text)) continue;
    trainWithCalibration.push(example);
    if (!calibrationText.includes(example.text)) train.push(example);
  }
  return {
    train,
    trainWithCalibration,
    calibration,
    heldOut,
    sentences,
    removedAsLeaky: examples.length - train.length,
    removedAsLeakyFromHeldOut: examples.length - trainWithCalibration.length,
  };
}
