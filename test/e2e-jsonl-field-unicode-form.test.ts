import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

// "Å" has three spellings: U+00C5 (NFC, what keyboards type), A + U+030A (NFD, what macOS file names and a name pasted
// from one hold) and U+212B ANGSTROM SIGN (what some legacy converters write), all the same name once normalized. A
// --text-field typed in one form finds the field written in another, whichever two they are: looked up by the typed
// form instead of its normalized one, the decomposed name missed the Angstrom-sign key and the run stopped with exit 2.
const codePoints = (text: string): string => [...text].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');

describe('--text-field in one Unicode form, the JSONL key in another (built CLI, embedded model)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('sb-jsonl-form-')));
  afterEach(() => cleanup());

  for (const [typed, written] of [
    ['A\u030a', '\u212b'],
    ['A\u030a', '\u00c5'],
    ['\u00c5', '\u212b'],
  ] as const) {
    it(`--text-field ${codePoints(typed)} finds the key ${codePoints(written)}`, async () => {
      const input = path.join(dir, 'in.jsonl');
      writeFileSync(input, ['good film', 'bad film'].map((text) => `${JSON.stringify({ [written]: text, id: 1 })}\n`).join(''));
      const output = path.join(dir, 'out.jsonl');
      const r = await runCli(['score', input, '--text-field', typed, '-o', output]);
      expect(r.code).toBe(0);
      const labels = readFileSync(output, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { sentiment: { label: string } }).sentiment.label);
      expect(labels).toEqual(['POSITIVE', 'NEGATIVE']);
    });
  }
});
