/**
 * Words the library would read as one [UNK] for their length, found without
 * handing it the whole word. WordPiece reads a word of more than
 * max_input_chars_per_word (100) code points, counted after normalization, as
 * one [UNK] — but the library gets there by normalizing and splitting the
 * whole word first, which for a 15 MiB word without a splitter is about 800 MB
 * and seconds. Such a word is replaced, before the library sees the text, by a
 * short word it also reads as one [UNK]: the tokens are the same, so counts,
 * cuts and ids are too.
 *
 * Why a word's normalized length can be summed slice by slice: inside a word
 * (no splitter, see boundaries.ts) the BertNormalizer works code point by code
 * point — control characters dropped, lower-casing (Σ, the one context-sensitive
 * case, is rewritten first by compat.ts), NFD and the dropping of Mn marks; the
 * only effect across code points is NFD's reordering of combining marks, which
 * moves characters without adding or removing any. So the normalized length of
 * a word is the sum over any slicing that keeps surrogate pairs whole, and it
 * only grows with the word: once a prefix passes 100, the word is an [UNK].
 * A word that stays at 100 or under (a letter and thousands of combining
 * accents) is left as it is for the library to read.
 */

import { longWords } from './boundaries.js';
import { alignWithReference } from './compat.js';

// Words shorter than this (code points) go to the library unchanged: measuring them would cost more than it saves.
const LONG_WORD_CODE_POINTS = 256;
// A long word is normalized in slices of this many UTF-16 units, so memory stays small whatever its length.
const SLICE_UNITS = 1024;

export class LongWords {
  readonly #normalize: (text: string) => string;
  readonly #maxCharsPerWord: number;
  readonly #standIn: string;

  /**
   * `normalize` is the library's own normalizer; `maxCharsPerWord` its WordPiece
   * model's max_input_chars_per_word.
   */
  constructor(normalize: (text: string) => string, maxCharsPerWord: number) {
    this.#normalize = normalize;
    this.#maxCharsPerWord = maxCharsPerWord;
    // ASCII letters: the normalizer keeps each as one code point, so the stand-in is one word of max + 1.
    this.#standIn = 'x'.repeat(maxCharsPerWord + 1);
  }

  /** `text` with each word that is one [UNK] for its length replaced by a short word that is one too. */
  shorten(text: string): string {
    if (text.length < LONG_WORD_CODE_POINTS) return text;
    let out: string[] | undefined;
    let kept = 0;
    for (const [start, end] of longWords(text, LONG_WORD_CODE_POINTS)) {
      if (!this.#tooLong(text, start, end)) continue;
      out ??= [];
      out.push(text.slice(kept, start), this.#standIn);
      kept = end;
    }
    if (out === undefined) return text;
    out.push(text.slice(kept));
    return out.join('');
  }

  // True when text[start, end), one word, normalizes to more than maxCharsPerWord code points.
  #tooLong(text: string, start: number, end: number): boolean {
    let length = 0;
    for (let from = start; from < end; ) {
      let to = Math.min(end, from + SLICE_UNITS);
      // Keep a surrogate pair whole: a lone half is a control character to the normalizer, dropped.
      if (to < end && isHighSurrogate(text.charCodeAt(to - 1)) && isLowSurrogate(text.charCodeAt(to))) to += 1;
      length += codePoints(this.#normalize(alignWithReference(text.slice(from, to))));
      if (length > this.#maxCharsPerWord) return true;
      from = to;
    }
    return false;
  }
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}
