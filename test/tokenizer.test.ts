import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { describe, expect, it } from 'vitest';

import { ConfigError } from '../src/errors.js';
import {
  DistilbertTokenizer,
  MAX_WORD_PIECES,
  MODEL_WINDOW_TOKENS,
  TokenizerFileError,
  findPackageRoot,
  loadTokenizer,
} from '../src/tokenizer/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vocabTxt = path.resolve(repoRoot, '../shared/data/distilbert-sst2/vocab.txt');

const tokenizer = loadTokenizer();

// id → token, from the committed tokenizer.json (to read pieces back in assertions).
const idToToken = new Map<number, string>(
  Object.entries(
    (JSON.parse(readFileSync(path.join(repoRoot, 'model/tokenizer/tokenizer.json'), 'utf8')) as {
      model: { vocab: Record<string, number> };
    }).model.vocab,
  ).map(([token, id]) => [id, token]),
);

/**
 * Expected ids, each looked up by hand in vocab.txt (line number - 1 = id);
 * the last test re-checks every one against vocab.txt when it is present.
 */
const HAND_CHECKED: Array<{ what: string; text: string; ids: number[]; tokens: string[] }> = [
  { what: 'plain words', text: 'hello world', ids: [101, 7592, 2088, 102], tokens: ['hello', 'world'] },
  { what: 'lowercasing', text: 'HELLO World', ids: [101, 7592, 2088, 102], tokens: ['hello', 'world'] },
  { what: 'accents stripped', text: 'Café', ids: [101, 7668, 102], tokens: ['cafe'] },
  { what: 'accents, two words', text: 'naïve résumé', ids: [101, 15743, 13746, 102], tokens: ['naive', 'resume'] },
  {
    what: 'punctuation split',
    text: "I don't like it!!",
    ids: [101, 1045, 2123, 1005, 1056, 2066, 2009, 999, 999, 102],
    tokens: ['i', 'don', "'", 't', 'like', 'it', '!', '!'],
  },
  {
    what: '## pieces',
    text: 'embedding tokenizers',
    ids: [101, 7861, 8270, 4667, 19204, 17629, 2015, 102],
    tokens: ['em', '##bed', '##ding', 'token', '##izer', '##s'],
  },
  { what: 'emoji is unknown', text: '😀 great', ids: [101, 100, 2307, 102], tokens: ['[UNK]', 'great'] },
  { what: 'unknown symbol', text: '☕', ids: [101, 100, 102], tokens: ['[UNK]'] },
  { what: 'CJK split per character', text: '日本語', ids: [101, 1864, 1876, 1950, 102], tokens: ['日', '本', '語'] },
  { what: 'empty string', text: '', ids: [101, 102], tokens: [] },
  // Σ lower-cases to σ character by character in the reference (not to final ς).
  {
    what: 'capital sigma',
    text: 'ΟΔΟΣ',
    ids: [101, 1169, 29722, 29730, 29733, 102],
    tokens: ['ο', '##δ', '##ο', '##σ'],
  },
  // Ideographs outside the BMP are words of their own in the reference.
  { what: 'astral CJK', text: '𠀀𠀀', ids: [101, 100, 100, 102], tokens: ['[UNK]', '[UNK]'] },
];

describe('DistilbertTokenizer.encode / countTokens', () => {
  it.each(HAND_CHECKED)('$what: $text', ({ text, ids }) => {
    expect(tokenizer.encode(text)).toEqual(ids);
    expect(tokenizer.countTokens(text)).toBe(ids.length);
  });

  it('counts the two special tokens: what the model sees', () => {
    expect(tokenizer.countTokens('')).toBe(2);
    expect(tokenizer.countTokens('great')).toBe(3);
  });

  it('counts a long mixed text in slices exactly as in one piece', () => {
    const paragraph =
      "Thé CAFÉ was GREAT!!! Unbelievably good tokenization, 日本語 too 😀. ΟΔΟΣ 𠀀𠀀 a\u000bb x\u2028y ¿Qué? couldn't… ";
    const text = paragraph.repeat(3000); // ~300 KB: many 4 KB slices
    const whole = tokenizer.encode(text).length; // one call, no slicing
    expect(text.length).toBeGreaterThan(200_000);
    expect(tokenizer.countTokens(text)).toBe(whole);
    expect(whole).toBe(3000 * (tokenizer.countTokens(paragraph) - 2) + 2);
  });

  it('hands the library a huge text in slices of about 4 KB, where its tokenize is fastest', () => {
    // The library's tokenize slows down more than linearly with its input: a 10 MB text counted in
    // 64 KB slices took 8.5-10.9 s (docs/cost.md promised 3.3-5.7 s); in 4 KB slices, a third of that.
    const seen: number[] = [];
    const library = {
      encode: (): { ids: number[] } => ({ ids: [] }),
      tokenize: (text: string): string[] => {
        seen.push(text.length);
        return text.split(/\s+/).filter((word) => word !== '');
      },
    };
    const counter = new DistilbertTokenizer(library);
    const text = 'word '.repeat(200_000); // 1,000,000 characters
    expect(counter.countTokens(text)).toBe(200_000 + 2);
    expect(seen.length).toBeGreaterThan(200);
    expect(Math.max(...seen)).toBeLessThanOrEqual(4 * 1024 + 5);
  });
});

describe('DistilbertTokenizer.fitToWindow', () => {
  // Checks every property of a cut: a prefix, within the window, its pieces
  // are exactly the first pieces of the whole text (no word cut mid-piece),
  // and the next whole word would not have fitted (the cut is the longest).
  function expectWellCut(text: string, fit: { text: string; truncated: boolean; tokens: number }): void {
    expect(fit.truncated).toBe(true);
    expect(text.startsWith(fit.text)).toBe(true);
    expect(fit.tokens).toBeLessThanOrEqual(MODEL_WINDOW_TOKENS);
    const cutIds = tokenizer.encode(fit.text);
    expect(cutIds.length).toBe(fit.tokens);
    const wholeIds = tokenizer.encode(text.slice(0, fit.text.length + 10_000));
    const keptPieces = cutIds.slice(1, -1);
    expect(wholeIds.slice(1, 1 + keptPieces.length)).toEqual(keptPieces);
    // The next word's pieces: its first piece and the ## pieces that follow it.
    const next = 1 + keptPieces.length;
    expect(idToToken.get(wholeIds[next] ?? -1)?.startsWith('##')).toBe(false);
    let nextWordPieces = 1;
    while ((idToToken.get(wholeIds[next + nextWordPieces] ?? -1) ?? '').startsWith('##')) nextWordPieces += 1;
    expect(keptPieces.length + nextWordPieces).toBeGreaterThan(MAX_WORD_PIECES);
  }

  it('leaves a short text unchanged', () => {
    expect(tokenizer.fitToWindow('This pizza is great!')).toEqual({
      text: 'This pizza is great!',
      truncated: false,
      tokens: 7,
    });
    expect(tokenizer.fitToWindow('')).toEqual({ text: '', truncated: false, tokens: 2 });
  });

  it('keeps exactly 510 pieces, cuts 511 to 510', () => {
    const words = (n: number): string => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'good' : 'bad')).join(' ');
    expect(tokenizer.fitToWindow(words(510))).toEqual({ text: words(510), truncated: false, tokens: 512 });
    expect(tokenizer.fitToWindow(words(511))).toEqual({ text: words(510), truncated: true, tokens: 512 });
  });

  it('never splits a word: stops before a word whose pieces would cross 510', () => {
    // "embedding" is em ##bed ##ding: 1 + 3 × 169 = 508 pieces fit, a 170th word would make 511.
    const text = `great ${'embedding '.repeat(300)}`;
    const fit = tokenizer.fitToWindow(text);
    expect(fit).toEqual({ text: `great ${'embedding '.repeat(169).trimEnd()}`, truncated: true, tokens: 510 });
    expectWellCut(text, fit);
  });

  it('cuts mixed text with punctuation after the last whole word', () => {
    const text = 'Unbelievably, the embeddings’ tokenization was GREAT! '.repeat(100);
    expectWellCut(text, tokenizer.fitToWindow(text));
  });

  it('cuts text without spaces between CJK ideographs', () => {
    const text = '日本語'.repeat(400);
    const fit = tokenizer.fitToWindow(text);
    expect(fit).toEqual({ text: text.slice(0, 510), truncated: true, tokens: 512 });
  });

  it('treats a run longer than 100 characters as one [UNK], as WordPiece does', () => {
    expect(tokenizer.fitToWindow('a'.repeat(100_000))).toEqual({
      text: 'a'.repeat(100_000),
      truncated: false,
      tokens: 3,
    });
  });

  it('cuts a 10 MB text by tokenizing only a prefix', () => {
    const paragraph = 'Thé CAFÉ was great!!! Unbelievably good, 日本語 too 😀 — tokenization “works”. ';
    const text = paragraph.repeat(Math.ceil(10_000_000 / paragraph.length));
    expect(text.length).toBeGreaterThanOrEqual(10_000_000);
    const fit = tokenizer.fitToWindow(text);
    expectWellCut(text, fit);
    expect(fit.text.length).toBeLessThan(10_000);
  });

  it('honours a smaller window', () => {
    const fit = tokenizer.fitToWindow('one two three four five', 3);
    expect(fit).toEqual({ text: 'one two three', truncated: true, tokens: 5 });
  });

  it('rejects a window that is not a positive integer', () => {
    expect(() => tokenizer.fitToWindow('x', 0)).toThrow(ConfigError);
    expect(() => tokenizer.fitToWindow('x', 1.5)).toThrow(/positive integer, got 1.5/);
  });
});

describe('loadTokenizer', () => {
  it('finds the package root from src/, dist/src/ and the bundle in dist/bin/', () => {
    expect(findPackageRoot(import.meta.url)).toBe(repoRoot);
    const fromDist = pathToFileURL(path.join(repoRoot, 'dist/src/tokenizer/locate.js')).href;
    expect(findPackageRoot(fromDist)).toBe(repoRoot);
    const fromBundle = pathToFileURL(path.join(repoRoot, 'dist/bin/cli.js')).href;
    expect(findPackageRoot(fromBundle)).toBe(repoRoot);
  });

  it('says what is missing when there is no package above', () => {
    expect(() => findPackageRoot(pathToFileURL('/nonexistent-root/x/y.js').href)).toThrow(TokenizerFileError);
  });

  it('reports a missing or broken tokenizer file as a TokenizerFileError', () => {
    expect(() => loadTokenizer('/nonexistent/tokenizer.json')).toThrow(
      /Cannot read the tokenizer file \/nonexistent\/tokenizer.json: ENOENT/,
    );
    const notJson = path.join(repoRoot, 'model/tokenizer/NOTICE.md');
    expect(() => loadTokenizer(notJson)).toThrow(TokenizerFileError);
  });

  it('loads an explicit path', () => {
    const explicit = loadTokenizer(path.join(repoRoot, 'model/tokenizer/tokenizer.json'));
    expect(explicit.encode('hello world')).toEqual([101, 7592, 2088, 102]);
  });
});

describe.skipIf(!existsSync(vocabTxt))('hand-checked ids against vocab.txt (../shared, absent in a clone)', () => {
  it('every expected id is the expected token on line id + 1', () => {
    const lines = readFileSync(vocabTxt, 'utf8').split('\n');
    for (const { ids, tokens } of HAND_CHECKED) {
      expect(ids[0]).toBe(101);
      expect(lines[101]).toBe('[CLS]');
      expect(ids[ids.length - 1]).toBe(102);
      expect(lines[102]).toBe('[SEP]');
      expect(ids.slice(1, -1).map((id) => lines[id])).toEqual(tokens);
    }
  });
});
