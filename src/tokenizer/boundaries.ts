/**
 * Where the BERT pre-tokenizer splits the raw text into words, found without
 * tokenizing: at whitespace, around punctuation (ASCII or Unicode P*), around
 * the four symbols whose canonical decomposition is punctuation, and around
 * CJK ideographs (the normalizer puts spaces around those). A prefix
 * of the text that ends at such a boundary tokenizes to exactly the pieces of
 * its words in the whole text — what lets fitToWindow and countTokens work on
 * slices of a huge text.
 */

// Same character classes as the reference BertNormalizer / BertPreTokenizer.
// Whitespace is Unicode White_Space less the control characters \v \f (and
// U+FEFF, which JavaScript's \s includes): the normalizer deletes those, so
// "a\vb" is one word, not a boundary.
const SPACE = String.raw`\t\n\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000`;
const PUNCT = String.raw`\p{P}\u0021-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007E`;
// Symbols, not punctuation, that the normalizer's NFD and accent stripping turn into ASCII punctuation:
// ` (U+1FEF) ≠ ≮ ≯ become ` = < >, words of their own. Found by normalizing every code point with the library
// (test/tokenizer-long-words-slow.test.ts checks, through nextBoundary, that this list and the classes above are
// exactly the splitters).
const DECOMPOSES_TO_PUNCT = String.raw`\u1FEF\u2260\u226E\u226F`;
const CJK = String.raw`\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{2A6DF}\u{2A700}-\u{2B81F}\u{2B920}-\u{2CEAF}\u{2F800}-\u{2FA1F}`;

/** One whitespace char (group 1) or one punctuation / CJK char (group 2): each splits words. */
const SPLITTERS = `${SPACE}${PUNCT}${DECOMPOSES_TO_PUNCT}${CJK}`;
const SPLITTER = new RegExp(`([${SPACE}])|([${PUNCT}${DECOMPOSES_TO_PUNCT}${CJK}])`, 'gu');
const WHITESPACE = new RegExp(`[${SPACE}]`, 'g');

/**
 * End positions (UTF-16 offsets, ascending, each > 0 and ≤ `limit`) at which
 * `text.slice(0, end)` ends right after a complete word, with no trailing
 * whitespace: the places where the text may be cut.
 */
export function cutPositions(text: string, limit: number): number[] {
  const ends: number[] = [];
  const push = (end: number): void => {
    if (end > 0 && end <= limit && ends[ends.length - 1] !== end) ends.push(end);
  };
  const splitter = new RegExp(SPLITTER.source, SPLITTER.flags);
  let wordStart = 0; // start of the word being scanned (after the last splitter)
  for (let match = splitter.exec(text); match !== null; match = splitter.exec(text)) {
    if (match.index > limit) break;
    // The word before this splitter, if any, ends here.
    if (match.index > wordStart) push(match.index);
    const after = match.index + match[0].length;
    // A punctuation mark or ideograph is a word of its own.
    if (match[2] !== undefined) push(after);
    wordStart = after;
  }
  if (limit === text.length && text.length > wordStart) push(text.length);
  return ends;
}

/**
 * The first position at or after `from` where a word boundary lies (just
 * before a whitespace, punctuation or CJK character), or `text.length`.
 * `text.slice(0, result)` contains only complete words.
 */
export function nextBoundary(text: string, from: number): number {
  if (from >= text.length) return text.length;
  const splitter = new RegExp(SPLITTER.source, SPLITTER.flags);
  splitter.lastIndex = from;
  const match = splitter.exec(text);
  return match === null ? text.length : match.index;
}

/**
 * Splits `text` into consecutive slices of about `size` characters, each cut
 * just before a whitespace character so no word is split (a slice grows past
 * `size` when a run without whitespace is longer).
 */
export function* whitespaceChunks(text: string, size: number): Generator<string> {
  let start = 0;
  while (text.length - start > size) {
    const whitespace = new RegExp(WHITESPACE.source, WHITESPACE.flags);
    whitespace.lastIndex = start + size;
    const match = whitespace.exec(text);
    if (match === null) break;
    yield text.slice(start, match.index);
    start = match.index;
  }
  yield text.slice(start);
}

/**
 * The words of `text` (maximal runs without a splitter) at least `minCodePoints`
 * code points long, as [start, end) UTF-16 offsets in ascending order. One
 * linear pass: a match can only start at the text's start or at a splitter.
 */
export function* longWords(text: string, minCodePoints: number): Generator<[number, number]> {
  const run = new RegExp(`(?:^|[${SPLITTERS}])([^${SPLITTERS}]{${minCodePoints}})`, 'gu');
  for (let match = run.exec(text); match !== null; match = run.exec(text)) {
    const start = match.index + match[0].length - (match[1] ?? '').length;
    const end = nextBoundary(text, start);
    yield [start, end];
    // Resume at the splitter that ends this word (it may start the next long word).
    run.lastIndex = end;
  }
}
