/**
 * fitToWindow counts the prefix it cuts in blocks (distilbert.ts #blockCut) rather than tokenizing every prefix
 * its binary search tries: a speed-up only. These hold its results to the whole-prefix search of 8a849ced
 * (support/window-reference.ts) on real reviews and on generated texts.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadReviewSets } from '../bench/review-sets.js';
import { createRng, type Rng } from '../src/model/rng.js';
import { loadTokenizer } from '../src/tokenizer/index.js';
import { REPO_ROOT } from './support/cli.js';
import { hostileText } from './support/hostile-words.js';
import { referenceFitToWindow } from './support/window-reference.js';

const tokenizer = loadTokenizer();
const reviewsDir = path.resolve(REPO_ROOT, '../shared/data/reviews');
const sst2 = path.resolve(REPO_ROOT, '../shared/data/sst2/train.tsv');

function expectSame(texts: readonly string[], windows: readonly number[]): number {
  let truncated = 0;
  for (const [i, text] of texts.entries()) {
    for (const window of windows) {
      const fit = tokenizer.fitToWindow(text, window);
      if (fit.truncated) truncated += 1;
      expect(fit, `text ${i} (${text.length} units, ${JSON.stringify(text.slice(0, 60))}…), window ${window}`).toEqual(
        referenceFitToWindow(tokenizer, text, window),
      );
    }
  }
  return truncated;
}

const pick = <T>(next: Rng, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

describe.skipIf(!existsSync(reviewsDir) || !existsSync(sst2))('fitToWindow on the shared reviews and SST-2 (needs ../shared/data)', () => {
  it('every review long enough to be cut, at the model window and at smaller ones', () => {
    const long = loadReviewSets(reviewsDir).flatMap((set) => set.examples.map((example) => example.text)).filter((text) => text.length > 1500);
    expect(long.length).toBeGreaterThan(300);
    // Windows that fall mid-review too, so most cuts land inside some block but the first.
    expect(expectSame(long, [510, 300, 97])).toBeGreaterThan(long.length);
  });

  it('SST-2 sentences cut to a few pieces', () => {
    const lines = readFileSync(sst2, 'utf8').split('\n').slice(1, 3001);
    const sentences = lines.map((line) => line.split('\t')[0] ?? '').filter((text) => text !== '');
    expect(expectSame(sentences, [3, 7, 20])).toBeGreaterThan(sentences.length);
  });
});

describe('fitToWindow on generated texts', () => {
  it('emoji, CJK (BMP and astral), accents, Σ, punctuation runs and plain words, 300 texts', () => {
    const next = createRng(41);
    const parts = ['😀', '👍🏽', '日本語', '𠀀𠀁', 'naïve', 'e\u0301', 'ΟΔΟΣ', '!!!', '...', '—', 'word', 'tokenizers', ' ', '  ', '\n', '\u200B', 'x'.repeat(300)];
    const texts = Array.from({ length: 300 }, () => {
      const count = 50 + Math.floor(next() * 1500);
      let text = '';
      for (let i = 0; i < count; i += 1) text += pick(next, parts) + (next() < 0.6 ? ' ' : '');
      return text;
    });
    expect(expectSame(texts, [510, 64, 3])).toBeGreaterThan(300);
  });

  it('the long-word tests’ hostile texts, with and without added tokens ([UNK], [CLS]) in them', () => {
    const next = createRng(42);
    const texts = Array.from({ length: 150 }, () => hostileText(next));
    expectSame(texts, [510, 7, 2]);
    expectSame(texts.map((text) => text.replaceAll('[UNK]', '[ UNK ]').replaceAll('[CLS]', '( CLS )')), [510, 7, 2]);
  });

  it('texts at the window exactly, one piece over, and with the limit at every place in a block', () => {
    const texts: string[] = [];
    for (const words of [509, 510, 511]) texts.push(Array.from({ length: words }, (_, i) => `w${i % 10}`).join(' '));
    // Words of 1-3 pieces ("tokenizers" = token ##izer ##s) shifted one word at a time past the 510th piece.
    for (let shift = 0; shift < 40; shift += 1) {
      texts.push(['a '.repeat(shift), 'tokenizers great, embedding! '.repeat(120)].join(''));
    }
    expectSame(texts, [510, 509, 511]);
  });

  it('a 10 MB text and one 10 MB word', () => {
    const paragraph = 'The pasta was AMAZING, but the service... not so much! 😕 日本 ';
    expectSame([paragraph.repeat(Math.ceil(10_000_000 / paragraph.length)), 'x'.repeat(10_000_000)], [510, 5]);
  });
});
