import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

// JSONL "\ud83d" (a pair cut apart) is a lone surrogate in the text: a text of its own, not U+FFFD, which is what
// hashing it as UTF-8 made of it (state/text-digest.ts). estimate counted such a text and its U+FFFD twin as one.
describe('texts that differ only by a lone surrogate or U+FFFD in its place', () => {
  const { dir, cleanup } = tempDir('sb-lone-surrogate-');
  afterAll(cleanup);

  it('estimate counts each as a unique text', async () => {
    const input = path.join(dir, 'in.jsonl');
    writeFileSync(input, ['bad \\ud83d', 'bad \\ufffd', 'bad \\udfff\\ud800', 'bad \\ufffd\\ufffd', 'bad \\ud83d'].map((t) => `{"text":"${t}"}\n`).join(''));
    const r = await runCli(['estimate', input, '--backend', 'embedded'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rows 5 · non-empty 5 · unique texts 4 ·');
  });
});
