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
 * accents) is handed over without the code points the normalizer drops
 * wherever they stand (see #droppable) and with each run of class-0 marks cut
 * to one (see #collapsed), which leaves its normalized form as it is.
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
  readonly #droppableCache = new Map<string, boolean>();
  readonly #separatorCache = new Map<string, boolean>();

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

  /**
   * `text` with each word that is one [UNK] for its length replaced by a short word that is one too, and each other
   * long word without the code points the normalizer drops wherever they stand: the same tokens either way.
   */
  shorten(text: string): string {
    if (text.length < LONG_WORD_CODE_POINTS) return text;
    let out: string[] | undefined;
    let kept = 0;
    for (const [start, end] of longWords(text, LONG_WORD_CODE_POINTS)) {
      const replacement = this.#replacement(text, start, end);
      if (replacement === undefined) continue;
      out ??= [];
      out.push(text.slice(kept, start), replacement);
      kept = end;
    }
    if (out === undefined) return text;
    out.push(text.slice(kept));
    return out.join('');
  }

  // What to hand the library for the word text[start, end): the stand-in when it normalizes to more than
  // maxCharsPerWord code points; otherwise the word without its droppable code points when that is shorter, or
  // undefined to keep it as it is.
  #replacement(text: string, start: number, end: number): string | undefined {
    let length = 0;
    const kept: string[] = [];
    for (let from = start; from < end; ) {
      let to = Math.min(end, from + SLICE_UNITS);
      // Keep a surrogate pair whole: a lone half is a control character to the normalizer, dropped.
      if (to < end && isHighSurrogate(text.charCodeAt(to - 1)) && isLowSurrogate(text.charCodeAt(to))) to += 1;
      const slice = this.#withoutDroppable(text.slice(from, to));
      length += codePoints(this.#normalize(alignWithReference(slice)));
      if (length > this.#maxCharsPerWord) return this.#standIn;
      kept.push(slice);
      from = to;
    }
    // Slices joined may put two separators side by side.
    const shorter = this.#collapsed(kept.join(''));
    return shorter.length < end - start ? shorter : undefined;
  }

  #withoutDroppable(slice: string): string {
    if (!DROP_CANDIDATE.test(slice)) return slice;
    const dropped = slice.replace(DROP_CANDIDATES, (char) => (this.#droppable(char) ? '' : char));
    return this.#collapsed(dropped);
  }

  /**
   * `text` with each run of consecutive separators (see #separator) cut to its first: NFD sorts marks within the
   * stretches between class-0 characters, and several in a row separate as one does; accent stripping drops them.
   */
  #collapsed(text: string): string {
    return text.replace(MARK_RUNS, (run) => {
      let out = '';
      let previousSeparator = false;
      for (const char of run) {
        const separator = this.#separator(char);
        if (!(separator && previousSeparator)) out += char;
        previousSeparator = separator;
      }
      return out;
    });
  }

  // A nonspacing mark of combining class 0 (U+034F COMBINING GRAPHEME JOINER) that every step of the normalizer but
  // the last leaves as it is, and accent stripping removes.
  #separator(char: string): boolean {
    const known = this.#separatorCache.get(char);
    if (known !== undefined) return known;
    const separator =
      NONSPACING.test(char) &&
      char.toLowerCase() === char &&
      char.normalize('NFD') === char &&
      // Class 0: not sorted after a class-1 mark that follows it (so 0 or 1), nor before a class-230 one it follows
      // (so 0 or 230 and above).
      `${char}${CLASS_1_MARK}`.normalize('NFD') === `${char}${CLASS_1_MARK}` &&
      `${CLASS_230_MARK}${char}`.normalize('NFD') === `${CLASS_230_MARK}${char}` &&
      this.#normalize(char) === '';
    this.#separatorCache.set(char, separator);
    return separator;
  }

  /**
   * True for a code point whose removal leaves the normalized form of any word it stands in as it is: one the
   * normalizer's clean-up deletes (a control or format character, NUL, U+FFFD, a lone surrogate), or a nonspacing
   * mark that lower-casing leaves alone and whose decomposition is all nonspacing marks of a nonzero combining class.
   * Such marks are sorted only among marks of a nonzero class, so removing them moves nothing else, and accent
   * stripping drops them anyway. Not a mark of class 0 (U+034F): it separates the runs NFD sorts.
   */
  #droppable(char: string): boolean {
    const known = this.#droppableCache.get(char);
    if (known !== undefined) return known;
    const cleanedAway = CLEANED_AWAY.test(char);
    const sortedMark =
      char.toLowerCase() === char &&
      [...char.normalize('NFD')].every(
        (mark) =>
          NONSPACING.test(mark) &&
          // A nonzero class: sorted before a class-1 mark (above 1), or before a class-230 mark it follows (1 to 229).
          (`${mark}${CLASS_1_MARK}`.normalize('NFD') === `${CLASS_1_MARK}${mark}` ||
            `${CLASS_230_MARK}${mark}`.normalize('NFD') === `${mark}${CLASS_230_MARK}`),
      );
    const droppable = (cleanedAway || sortedMark) && this.#normalize(char) === '';
    this.#droppableCache.set(char, droppable);
    return droppable;
  }
}

// Code points that may be droppable (#droppable decides, once per distinct one).
const DROP_CANDIDATES = /[\p{Mn}\p{Cc}\p{Cf}\p{Co}\p{Cs}\uFFFD]/gu;
const DROP_CANDIDATE = new RegExp(DROP_CANDIDATES.source, 'u');
// What the BertNormalizer's clean_text deletes wherever it stands (tab, line feed and carriage return are white space).
const CLEANED_AWAY = /^(?![\t\n\r])[\p{Cc}\p{Cf}\p{Co}\p{Cs}\uFFFD]$/u;
const NONSPACING = /^\p{Mn}$/u;
// U+0334 COMBINING TILDE OVERLAY, canonical combining class 1: NFD puts a mark of a higher class after it.
const CLASS_1_MARK = '\u0334';
// U+0301 COMBINING ACUTE ACCENT, class 230: NFD puts a mark of a class from 1 to 229 before it.
const CLASS_230_MARK = '\u0301';
// Runs of two or more nonspacing marks, where separators may stand side by side.
const MARK_RUNS = /\p{Mn}{2,}/gu;

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
