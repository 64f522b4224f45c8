/**
 * Checks the tokenizer (the @huggingface/tokenizers library plus our two
 * corrections) against an independent, deliberately plain implementation of
 * the reference algorithm written here from its specification: the Rust
 * `tokenizers` crate's BertNormalizer + BertPreTokenizer + WordPiece +
 * [CLS] A [SEP] template, as configured by tokenizer.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';

import { loadTokenizer } from '../src/tokenizer/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reviewsDir = path.resolve(repoRoot, '../shared/data/reviews');
const vocabTxt = path.resolve(repoRoot, '../shared/data/distilbert-sst2/vocab.txt');

const tokenizerJson = JSON.parse(readFileSync(path.join(repoRoot, 'model/tokenizer/tokenizer.json'), 'utf8')) as {
  model: { vocab: Record<string, number>; max_input_chars_per_word: number };
  added_tokens: Array<{ content: string; id: number }>;
};
const vocab = new Map(Object.entries(tokenizerJson.model.vocab));

// ---- the reference, one rule per line of its specification ----------------

// Reference is_chinese_char (its own range list, 0x2B920 included).
const CJK_RANGES: Array<[number, number]> = [
  [0x4e00, 0x9fff], [0x3400, 0x4dbf], [0x20000, 0x2a6df], [0x2a700, 0x2b73f],
  [0x2b740, 0x2b81f], [0x2b920, 0x2ceaf], [0xf900, 0xfaff], [0x2f800, 0x2fa1f],
];
const isChinese = (cp: number): boolean => CJK_RANGES.some(([from, to]) => cp >= from && cp <= to);
const isWhitespace = (c: string): boolean => c === '\t' || c === '\n' || c === '\r' || /^\p{White_Space}$/u.test(c);
// Reference is_control: not \t \n \r, and Unicode "other" = Cc | Cf | Co (no Cn).
const isControl = (c: string): boolean => c !== '\t' && c !== '\n' && c !== '\r' && /^[\p{Cc}\p{Cf}\p{Co}]$/u.test(c);
const isPunctuation = (c: string): boolean => /^[\p{P}]$/u.test(c) || /^[!-/:-@[-`{-~]$/.test(c);

function referenceNormalize(text: string): string {
  let cleaned = '';
  for (const c of text) {
    const cp = c.codePointAt(0) ?? 0;
    if (cp === 0 || cp === 0xfffd || isControl(c)) continue;
    cleaned += isWhitespace(c) ? ' ' : c;
  }
  let spaced = '';
  for (const c of cleaned) spaced += isChinese(c.codePointAt(0) ?? 0) ? ` ${c} ` : c;
  // strip_accents (null → follows lowercase=true): NFD, drop Mn; then lowercase char by char.
  const stripped = spaced.normalize('NFD').replace(/\p{Mn}/gu, '');
  let lowered = '';
  for (const c of stripped) lowered += c.toLowerCase();
  return lowered;
}

function referencePreTokenize(text: string): string[] {
  const words: string[] = [];
  let word = '';
  for (const c of text) {
    if (isWhitespace(c) || isPunctuation(c)) {
      if (word !== '') words.push(word);
      word = '';
      if (isPunctuation(c)) words.push(c);
    } else {
      word += c;
    }
  }
  if (word !== '') words.push(word);
  return words;
}

function referenceWordPiece(word: string): number[] {
  const chars = [...word];
  if (chars.length > tokenizerJson.model.max_input_chars_per_word) return [100];
  const ids: number[] = [];
  let start = 0;
  while (start < chars.length) {
    let found: number | undefined;
    let end = chars.length;
    for (; end > start; end -= 1) {
      const piece = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
      found = vocab.get(piece);
      if (found !== undefined) break;
    }
    if (found === undefined) return [100]; // the whole word becomes [UNK]
    ids.push(found);
    start = end;
  }
  return ids;
}

function referenceEncode(text: string): number[] {
  // Added tokens are matched in the raw text first (normalized: false).
  const added = new Map(tokenizerJson.added_tokens.map((t) => [t.content, t.id]));
  const pattern = new RegExp([...added.keys()].map((k) => k.replace(/[[\]]/g, '\\$&')).join('|'), 'g');
  const ids: number[] = [101];
  let last = 0;
  const section = (s: string): void => {
    for (const word of referencePreTokenize(referenceNormalize(s))) ids.push(...referenceWordPiece(word));
  };
  for (const match of text.matchAll(pattern)) {
    section(text.slice(last, match.index));
    ids.push(added.get(match[0]) ?? 100);
    last = match.index + match[0].length;
  }
  section(text.slice(last));
  ids.push(102);
  return ids;
}

// ---- the checks -----------------------------------------------------------

const tokenizer = loadTokenizer();

describe('tokenizer vs an independent reference implementation', () => {
  it.each([
    'hello world',
    'Thé CAFÉ was GREAT!!! ¿Qué? couldn’t… “quoted”',
    'ΟΔΟΣ ΣΟΦΟΣ Σ',
    '𠀀𠀀 𪜀x 日本語テスト 한국어',
    'a\u000bb a\u000cb a\u200bb a\ufeffb x\u2028y z\u00a0w tab\there\r\nline',
    'İstanbul ǅemal ﬁne ＡＢＣ ½',
    'emoji 😀👍🏽 and ☕ and 🇫🇷 and 👨‍👩‍👧',
    '[CLS] literal [SEP] and [MASK] and [unk] and [UNK]',
    `${'x'.repeat(100)} ${'y'.repeat(101)} supercalifragilisticexpialidocious`,
    '   ',
    '\u0000\ufffd\u0085',
  ])('matches on %j', (text) => {
    expect(tokenizer.encode(text)).toEqual(referenceEncode(text));
  });

  it.skipIf(!existsSync(vocabTxt))('uses the same vocabulary as vocab.txt (../shared)', () => {
    const lines = readFileSync(vocabTxt, 'utf8').split('\n').filter((line) => line !== '');
    expect(lines.length).toBe(vocab.size);
    lines.forEach((token, id) => expect(vocab.get(token)).toBe(id));
  });
});

interface ReviewSource {
  file: string;
  column: string;
  take: number;
}
const SOURCES: ReviewSource[] = [
  { file: 'yelp-reviews-4k.csv', column: 'text', take: 200 },
  { file: 'chatgpt-app-reviews.csv', column: 'review', take: 200 },
  { file: 'imdb-labelled-sentences-bom.csv', column: 'text', take: 150 },
  { file: 'booking-515k-hotel-reviews-sample.csv', column: 'Negative_Review', take: 100 },
  { file: 'imdb-50k-reviews-sample.csv', column: 'review', take: 22 },
];

describe.skipIf(!existsSync(reviewsDir))('real review exports (../shared/data/reviews, absent in a clone)', () => {
  it.each(SOURCES)('$file: ids equal the reference for the first $take texts', ({ file, column, take }) => {
    const rows = parse(readFileSync(path.join(reviewsDir, file)), {
      columns: true,
      bom: true,
      to: take,
      relax_column_count: true,
    }) as Array<Record<string, string>>;
    const texts = rows.map((row) => row[column]).filter((text): text is string => typeof text === 'string');
    expect(texts.length).toBe(take);
    let tokens = 0;
    for (const text of texts) {
      const expected = referenceEncode(text);
      expect(tokenizer.encode(text)).toEqual(expected);
      expect(tokenizer.countTokens(text)).toBe(expected.length);
      tokens += expected.length;
    }
    expect(tokens).toBeGreaterThan(take * 3);
  });
});
