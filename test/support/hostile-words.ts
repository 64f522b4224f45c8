/**
 * Hostile texts for the long-word tests (test/tokenizer-long-words*.test.ts), and the check they share: the
 * tokenizer's counts, ids and cuts equal the library's own, reading every word whole.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Tokenizer } from '@huggingface/tokenizers';
import { expect } from 'vitest';

import { alignWithReference } from '../../src/tokenizer/compat.js';
import { DistilbertTokenizer, loadTokenizer } from '../../src/tokenizer/index.js';
import { REPO_ROOT } from './cli.js';

export interface Library {
  encode(text: string, options?: { add_special_tokens?: boolean }): { ids: number[] };
  tokenize(text: string): string[];
  normalizer: (text: string) => string;
  pre_tokenizer: (text: string) => string[];
}

const folder = path.join(REPO_ROOT, 'model', 'tokenizer');
export const library = new Tokenizer(
  JSON.parse(readFileSync(path.join(folder, 'tokenizer.json'), 'utf8')) as object,
  JSON.parse(readFileSync(path.join(folder, 'tokenizer_config.json'), 'utf8')) as object,
) as unknown as Library;

const tokenizer = loadTokenizer();
// The same class over the library without its normalizer: every word is handed to the library whole.
const whole = new DistilbertTokenizer({ encode: (text, options) => library.encode(text, options), tokenize: (text) => library.tokenize(text) });

// Characters inside a word: letters, precomposed and decomposed accents, combining marks alone, Hangul (NFD makes
// 2-3 jamo of one syllable), İ (lower-cases to i + a mark), Σ, emoji and other astral symbols, control and format
// characters the normalizer drops, U+FFFD, lone surrogates (halves of 😀 too), spacing marks with a combining class
// (U+1D165, U+1D16D), the class-0 mark U+034F, U+0345 and ᾼ (A + U+0345).
const WORD_CHARS = [
  'x', 'a', 'Z', '7', 'é', 'e\u0301', '\u0301', '\u0308\u0301', '한', 'İ', 'Σ', 'ß', 'ﬁ', 'K', '😀', '\u{1F3FB}',
  '\u0000', '\u0007', '\u200B', '\uFEFF', '\u00AD', '\uFFFD', '\uD800', '\uDC00', '\u{1D165}', '\u0F73', 'ǅ',
  '\u034F', '\u0345', '\u{1D16D}', '\uD83D', '\uDE00', '\u0334', '\u0F39', 'ᾼ',
];
// Splitters: white space, punctuation, the symbols NFD turns into punctuation, CJK (BMP and astral), added tokens.
const SEPARATORS = [' ', '.', '—', '¿', "'", '\u3000', '\n', '日', '𠀀', '≠', '\u1FEF', '≮', '[UNK]', '[CLS]', '\u000B'];
const RUN_LENGTHS = [1, 50, 99, 100, 101, 102, 150, 199, 200, 201, 255, 256, 257, 300, 513, 1023, 1024, 1025, 2100];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

export function hostileText(next: () => number): string {
  const parts: string[] = [];
  const segments = 1 + Math.floor(next() * 5);
  for (let s = 0; s < segments; s += 1) {
    const length = pick(next, RUN_LENGTHS);
    const kind = next();
    if (kind < 0.35) {
      parts.push(pick(next, WORD_CHARS).repeat(length)); // one character repeated
    } else if (kind < 0.5) {
      // A letter, then marks that normalize to nothing, then more: the normalized length is not the raw one.
      parts.push(pick(next, ['a', 'x', '😀', 'é']) + pick(next, ['\u0301', '\u200B', '\u0007', '\u0301\u034F', '\u0345', '\u0F73']).repeat(length) + pick(next, WORD_CHARS).repeat(pick(next, RUN_LENGTHS)));
    } else {
      let word = '';
      for (let i = 0; i < length; i += 1) word += next() < 0.03 ? pick(next, SEPARATORS) : pick(next, WORD_CHARS);
      parts.push(word);
    }
    parts.push(next() < 0.8 ? pick(next, SEPARATORS) : '');
  }
  return parts.join('');
}

export function expectSameAsWhole(text: string): void {
  const ids = library.encode(alignWithReference(text)).ids;
  expect(tokenizer.encode(text)).toEqual(ids);
  expect(tokenizer.countTokens(text)).toBe(ids.length);
  for (const window of [510, 7, 2]) expect(tokenizer.fitToWindow(text, window)).toEqual(whole.fitToWindow(text, window));
}

