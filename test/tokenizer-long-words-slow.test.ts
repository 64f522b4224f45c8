/**
 * The slow half of the long-word checks (test/tokenizer-long-words.test.ts has the quick one): 400 more generated
 * hostile texts, every code point against the splitters of boundaries.ts, and 15 MiB words under a small heap.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { createRng } from '../src/model/rng.js';
import { nextBoundary } from '../src/tokenizer/boundaries.js';
import { alignWithReference } from '../src/tokenizer/compat.js';
import { REPO_ROOT } from './support/cli.js';
import { expectSameAsWhole, hostileText, library } from './support/hostile-words.js';
import { transpiledChildFolder } from './support/transpile.js';

describe('long words, slow checks', () => {
  it('generated hostile texts: counts, ids and cuts identical to the library reading words whole (400 texts)', () => {
    const next = createRng(7);
    for (let i = 0; i < 400; i += 1) {
      const text = hostileText(next);
      try {
        expectSameAsWhole(text);
      } catch (error) {
        throw new Error(`text ${i} (${text.length} units, ${JSON.stringify(text.slice(0, 80))}…) differs`, { cause: error });
      }
    }
  });

  it('boundaries.ts splits at exactly the code points the normalizer and pre-tokenizer split at (all 1,114,112)', () => {
    const differ: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp += 1) {
      const char = String.fromCodePoint(cp);
      const words = library.pre_tokenizer(library.normalizer(alignWithReference(`a${char}a`)));
      // A boundary at 0: the code point is a splitter (a word of its own, or whitespace), else the boundary is its end.
      if ((words.length !== 1) !== (nextBoundary(char, 0) === 0)) differ.push(cp.toString(16));
    }
    expect(differ).toEqual([]);
  });
});

// Counts, cuts and encodes 15 MiB words in a child under a 96 MB heap: reading such a word whole took about 800 MB
// of heap (the normalizer's array of one string per character), so the child ran out of memory (exit 134).
const CHILD = `
import { loadTokenizer } from './src/tokenizer/index.js';
const tokenizer = loadTokenizer(process.argv[2]);
const mib15 = 15 * 1024 * 1024;
const results = {};
for (const [name, word] of [['letters', 'x'.repeat(mib15)], ['decomposed accents', 'e\\u0301'.repeat(mib15 / 2)], ['emoji', '😀'.repeat(mib15 / 2)], ['a letter and accents', 'a' + '\\u0301'.repeat(mib15 / 2)], ['a letter and U+034F', 'a' + '\\u034F'.repeat(mib15 / 2)]]) {
  const text = 'great day number 3 ' + word;
  const fit = tokenizer.fitToWindow(text);
  results[name] = { fit: { truncated: fit.truncated, tokens: fit.tokens, whole: fit.text === text }, count: tokenizer.countTokens(text), ids: tokenizer.encode(text) };
}
console.log(JSON.stringify(results));
`;

describe('a 15 MiB word without a splitter', () => {
  let work: string | undefined;
  afterAll(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('is counted, cut and encoded under a 96 MB heap: one [UNK], or the letter its accents normalize to', () => {
    work = transpiledChildFolder('sb-long-words-', 'src/tokenizer/index.ts', { 'child.mjs': CHILD });
    const result = spawnSync(
      process.execPath,
      ['--max-old-space-size=96', path.join(work, 'child.mjs'), path.join(REPO_ROOT, 'model', 'tokenizer', 'tokenizer.json')],
      { encoding: 'utf8', maxBuffer: 1024 * 1024 },
    );
    expect(result.stderr).not.toMatch(/heap out of memory/);
    expect(result.status).toBe(0);
    const one = { fit: { truncated: false, tokens: 7, whole: true }, count: 7, ids: [101, 2307, 2154, 2193, 1017, 100, 102] };
    // 'a' + accents normalizes to 'a', a token of its own (1037).
    const a = { fit: { truncated: false, tokens: 7, whole: true }, count: 7, ids: [101, 2307, 2154, 2193, 1017, 1037, 102] };
    expect(JSON.parse(result.stdout)).toEqual({ letters: one, 'decomposed accents': one, emoji: one, 'a letter and accents': a, 'a letter and U+034F': a });
  });
});
