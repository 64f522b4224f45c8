// A JSONL record of 1,000,000 keys (12 MB): the start-up checks listed its field paths whole, a Set and an array of
// 1,000,000 paths in each check (Object.entries' pairs besides), the sample was parsed twice and held through the run.
// 545 MB at the peak for one such line, 0.9 GB for six. Under a 160 MB heap V8 ran out of memory (in Object.entries)
// scoring it and refusing a --text-field it lacks; now it is scored, and the refusal says how many fields it left out.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

const KEYS = 1_000_000;
const HEAP_CAP = '--max-old-space-size=160';

describe('a record of 1,000,000 keys under a heap cap', () => {
  let dir: string;
  let cleanup: () => void;
  let input: string;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    input = path.join(dir, 'wide.jsonl');
    const keys = Array.from({ length: KEYS }, (_, i) => `"k${i}":1`).join(',');
    writeFileSync(input, `{"text":"great",${keys}}\n`);
  });
  afterAll(() => cleanup());

  it('is scored in a 160 MB heap', async () => {
    const output = path.join(dir, 'wide.scored.jsonl');
    const result = await runCli(['score', input, '-o', output, '--backend', 'embedded'], { env: { NODE_OPTIONS: HEAP_CAP } });
    expect(result.stderr).not.toMatch(/internal error|out of memory/i);
    expect(result.code).toBe(0);
    // The line kept whole, the answer added before its last brace.
    const scored = readFileSync(output, 'utf8');
    expect(scored.startsWith('{"text":"great","k0":1,')).toBe(true);
    expect(scored.slice(-120)).toMatch(/"k999999":1,"sentiment":\{"label":"POSITIVE",[^\n]*\}\}\n$/);
  }, 180_000);

  it('a --text-field it lacks is refused, naming 30 fields and how many more', async () => {
    const result = await runCli(['score', input, '-o', path.join(dir, 'none.jsonl'), '--backend', 'embedded', '--text-field', 'review'], { env: { NODE_OPTIONS: HEAP_CAP } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^sentiment-batch: --text-field 'review' is not in the first record; its fields are: 'text', 'k0', .*'k28', and 999,971 more \(did you mean 'text'\?\)\n$/);
  }, 180_000);
});
