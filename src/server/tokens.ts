/**
 * Token counting for the 512-token window and the neuron charge.
 *
 * Until the real DistilBERT tokenizer is passed in (`countTokens` option), the
 * server approximates it: one token per run of letters/digits, one per other
 * non-space character, plus 2 for [CLS] and [SEP]. WordPiece splits rare words
 * into several pieces, so this under-counts long or unusual words a little.
 */

/** The model's window (DistilBERT position embeddings), special tokens included. */
export const MAX_INPUT_TOKENS = 512;

const TOKEN_PATTERN = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;

/** Approximate DistilBERT token count: words + punctuation + 2. */
export function approximateTokenCount(text: string): number {
  let count = 2;
  TOKEN_PATTERN.lastIndex = 0;
  while (TOKEN_PATTERN.exec(text) !== null) count += 1;
  return count;
}

/**
 * The longest prefix of `text`, cut at a whitespace boundary, whose count is
 * at most `limit`; found by binary search, so it works with any monotone
 * `countTokens` (the approximation or the real tokenizer).
 */
export function truncateToTokens(text: string, limit: number, countTokens: (text: string) => number): string {
  if (countTokens(text) <= limit) return text;
  const cuts: number[] = [];
  const boundary = /\s+/g;
  for (let match = boundary.exec(text); match !== null; match = boundary.exec(text)) cuts.push(match.index);
  let low = 0; // cuts[low - 1] is known to fit (0 means: only the empty prefix is known to fit)
  let high = cuts.length; // cuts[high] and beyond are known (or assumed) not to fit
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (countTokens(text.slice(0, cuts[mid])) <= limit) low = mid + 1;
    else high = mid;
  }
  if (low > 0) return text.slice(0, cuts[low - 1]);
  // Not even the first word fits (one enormous "word"): cut by characters instead.
  let chars = Math.min(text.length, limit);
  while (chars > 0 && countTokens(text.slice(0, chars)) > limit) chars = Math.floor(chars / 2);
  return text.slice(0, chars);
}
