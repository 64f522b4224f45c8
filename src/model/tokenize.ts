/**
 * Tokeniser shared by training and scoring, so that a raw review is cut the
 * way SST-2's pre-tokenised sentences are: lowercase words, punctuation as its
 * own token, and Penn-Treebank clitics split off ("doesn't" -> "does n't",
 * "can't" -> "ca n't", "it's" -> "it 's"). Running it on SST-2's own text
 * (already split on spaces) gives back essentially the same tokens.
 *
 * It never throws: any string (NUL bytes, lone surrogates, emoji, scripts
 * without spaces) is just a sequence of UTF-16 code units to classify.
 */

import { restoreContractions } from './contractions.js';

const enum CharClass {
  Space = 0,
  Word = 1,
  Punct = 2,
  Apostrophe = 3,
  /** A UTF-16 surrogate: emoji and other astral symbols become one token each. */
  Surrogate = 4,
}

/** Clitics SST-2 writes as separate tokens after an apostrophe. */
const CLITICS = new Set(['s', 're', 've', 'll', 'd', 'm']);

/** Identical punctuation in a row ("!!!!!!") collapses to at most this many characters. */
const MAX_PUNCT_RUN = 3;

function classify(code: number): CharClass {
  if (code < 0x80) {
    if (code <= 32 || code === 0x7f) return CharClass.Space;
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90)) return CharClass.Word;
    if (code === 39) return CharClass.Apostrophe;
    return CharClass.Punct;
  }
  if (code === 0x2019 || code === 0x2018) return CharClass.Apostrophe;
  if (code >= 0xd800 && code <= 0xdfff) return CharClass.Surrogate;
  if (code === 0x85 || code === 0xa0 || code === 0x1680 || code === 0x3000 || code === 0xfeff) return CharClass.Space;
  if (code >= 0x2000 && code <= 0x200f) return CharClass.Space; // spaces and zero-width marks
  if (code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f) return CharClass.Space;
  // Latin-1 symbols (« » ¡ ¿ © …), general punctuation (“ ” – — …), CJK punctuation.
  if (code <= 0xbf || (code >= 0x2010 && code <= 0x206f) || (code >= 0x3001 && code <= 0x303f)) return CharClass.Punct;
  if (code === 0xd7 || code === 0xf7) return CharClass.Punct;
  return CharClass.Word;
}

function isWordAt(text: string, index: number): boolean {
  return index < text.length && classify(text.charCodeAt(index)) === CharClass.Word;
}

/** Maps typographic quotes and dashes to the ASCII forms SST-2 uses. */
function normalisePunct(code: number): string {
  switch (code) {
    case 0x201c: // “
    case 0x201e: // „
      return '``';
    case 0x201d: // ”
      return "''";
    case 0x2013: // –
    case 0x2014: // —
      return '--';
    case 0x2026: // …
      return '...';
    default:
      return String.fromCharCode(code);
  }
}

/**
 * Splits `text` into lowercase tokens. `text` should already be bounded in
 * length by the caller (see `boundText`): the work is linear in its length.
 */
export function tokenize(text: string): string[] {
  const s = text.toLowerCase();
  const tokens: string[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    const code = s.charCodeAt(i);
    const cls = classify(code);
    if (cls === CharClass.Space) {
      i++;
    } else if (cls === CharClass.Word) {
      let j = i + 1;
      // Words run on through letters and through single inner hyphens ("well-made").
      while (j < n) {
        if (isWordAt(s, j)) j++;
        else if (s.charCodeAt(j) === 45 && j + 1 < n && isWordAt(s, j + 1)) j += 2;
        else break;
      }
      const word = s.slice(i, j);
      // "doesn't" / "can't": split the "n't" clitic the way the Penn Treebank does.
      if (
        word.endsWith('n') &&
        j + 1 < n &&
        classify(s.charCodeAt(j)) === CharClass.Apostrophe &&
        s.charCodeAt(j + 1) === 116 /* t */ &&
        !isWordAt(s, j + 2)
      ) {
        if (word.length > 1) tokens.push(word.slice(0, -1));
        tokens.push("n't");
        i = j + 2;
      } else {
        tokens.push(word);
        i = j;
      }
    } else if (cls === CharClass.Apostrophe) {
      // "''" closes a double quote in SST-2; "'s", "'re", ... are tokens of their own;
      // any other apostrophe is a single quote mark.
      if (i + 1 < n && classify(s.charCodeAt(i + 1)) === CharClass.Apostrophe) {
        let j = i + 2;
        while (j < n && classify(s.charCodeAt(j)) === CharClass.Apostrophe) j++;
        tokens.push("''");
        i = j;
        continue;
      }
      let j = i + 1;
      while (j < n && isWordAt(s, j)) j++;
      const clitic = s.slice(i + 1, j);
      if (j > i + 1 && CLITICS.has(clitic)) {
        tokens.push("'" + clitic);
        i = j;
      } else {
        tokens.push("'");
        i++;
      }
    } else if (cls === CharClass.Surrogate) {
      const high = code >= 0xd800 && code <= 0xdbff;
      const low = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      const pair = high && low >= 0xdc00 && low <= 0xdfff;
      // A lone surrogate is kept as an (unknown) token; it never breaks anything downstream.
      tokens.push(s.slice(i, pair ? i + 2 : i + 1));
      i += pair ? 2 : 1;
    } else {
      let j = i + 1;
      while (j < n && s.charCodeAt(j) === code) j++;
      const mark = normalisePunct(code);
      tokens.push(mark.length > 1 ? mark : mark.repeat(Math.min(j - i, MAX_PUNCT_RUN)));
      i = j;
    }
  }
  return restoreContractions(tokens);
}

/**
 * Bounds the text a single score looks at: the first and last `maxChars / 2`
 * code units. Reviews state their verdict at the start or the end; a 10 MB
 * cell must not cost seconds.
 */
export function boundText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const half = Math.floor(maxChars / 2);
  return text.slice(0, half) + ' ' + text.slice(text.length - half);
}

const LINE_BREAK = /[\n\r\u2028\u2029]/;
const LINE_BREAKS = /\r\n|[\n\r\u2028\u2029]/;

/** True for tokens that carry a word (not only punctuation or symbols). */
function isWordToken(token: string): boolean {
  return classify(token.charCodeAt(token.length - 1)) === CharClass.Word;
}

/** A token made only of sentence-final marks: ".", "!", "?", "...", "?!". */
function endsSentence(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c !== 46 && c !== 33 && c !== 63) return false;
  }
  return true;
}

/**
 * Tokens of `text` cut into sentences: at line breaks and after ".", "!",
 * "?". Segments without a word are merged into the previous one; a text
 * without any word gives a single segment (possibly empty) so that it is
 * still scored.
 */
export function tokenizeSentences(text: string): string[][] {
  const segments: string[][] = [];
  const lines = LINE_BREAK.test(text) ? text.split(LINE_BREAKS) : [text];
  for (const line of lines) {
    let current: string[] = [];
    let hasWord = false;
    for (const token of tokenize(line)) {
      // Never segments[-1]: V8 reads a negative index as a named property, up the prototype chain, every time (it
      // was a third of this function's time, on every token of a text's first sentence).
      if (current.length === 0 && segments.length > 0 && endsSentence(token)) {
        (segments[segments.length - 1] as string[]).push(token); // "?!" or "!!! ..." after a sentence's end belong to it
        continue;
      }
      current.push(token);
      if (isWordToken(token)) hasWord = true;
      if (hasWord && endsSentence(token)) {
        segments.push(current);
        current = [];
        hasWord = false;
      }
    }
    if (hasWord) segments.push(current);
    else if (current.length > 0) {
      if (segments.length > 0) (segments[segments.length - 1] as string[]).push(...current);
      else segments.push(current);
    }
  }
  // Punctuation-only segments pushed before any word-bearing one are folded in too.
  const withWords = segments.filter((s) => s.some(isWordToken));
  if (withWords.length === 0) return [segments.flat()];
  return withWords;
}
