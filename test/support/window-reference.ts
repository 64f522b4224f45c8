/**
 * fitToWindow as it was before the cut was counted in blocks (8a849ced): every prefix the binary search tries is
 * tokenized whole. The identity test (test/tokenizer-window-identity.test.ts) holds the tokenizer's cuts to it.
 */
import { cutPositions, nextBoundary } from '../../src/tokenizer/boundaries.js';
import { SPECIAL_TOKENS, type DistilbertTokenizer, type WindowFit } from '../../src/tokenizer/index.js';

// encode() is the library over the same rewritten text as the tokenizer's own count, [CLS] and [SEP] added.
const pieces = (tokenizer: DistilbertTokenizer, text: string): number =>
  text.length === 0 ? 0 : tokenizer.encode(text).length - SPECIAL_TOKENS;

export function referenceFitToWindow(tokenizer: DistilbertTokenizer, text: string, maxPieces: number): WindowFit {
  let end = Math.min(text.length, maxPieces * 8);
  for (;;) {
    end = nextBoundary(text, end);
    const count = pieces(tokenizer, text.slice(0, end));
    if (count <= maxPieces && end >= text.length) return { text, truncated: false, tokens: count + SPECIAL_TOKENS };
    if (count > maxPieces) break;
    end = Math.min(text.length, end * 2);
  }
  const ends = cutPositions(text, end);
  let best = { end: 0, pieces: 0 };
  let low = 0;
  let high = ends.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const cut = ends[middle] ?? 0;
    const count = pieces(tokenizer, text.slice(0, cut));
    if (count <= maxPieces) {
      if (cut > best.end) best = { end: cut, pieces: count };
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return { text: text.slice(0, best.end), truncated: true, tokens: best.pieces + SPECIAL_TOKENS };
}
