// A run's memory is bounded by a few times its largest record, not by how many large records it reads: the start-up
// sample (100 lines) was held parsed, and kept through the run by the guess of another text field; the run's window
// (256 records), the duplicate answers (100,000 texts) and the records lacking the text field (100) held each whole.
// 40 JSONL lines of 15 MiB peaked at 1,053,068 kB (embedded). Under a heap cap this file of 24 lines of 6 MiB blew
// (V8 out of memory at start-up); now it is scored.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

const LINES = 24;
const HEAP_CAP = '--max-old-space-size=160';

describe('many large records under a heap cap', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
  });
  afterAll(() => cleanup());

  it('JSONL: 24 distinct lines of 6 MiB are scored in a 160 MB heap', async () => {
    const input = path.join(dir, 'large.jsonl');
    const body = 'great '.repeat(1024 * 1024);
    const fd = openSync(input, 'w');
    // Distinct texts: the duplicate answers kept each one whole.
    for (let i = 0; i < LINES; i++) writeSync(fd, `${JSON.stringify({ id: i, text: `review ${i} ${body}` })}\n`);
    closeSync(fd);
    const output = path.join(dir, 'large.scored.jsonl');
    const result = await runCli(['score', input, '-o', output, '--backend', 'embedded'], { env: { NODE_OPTIONS: HEAP_CAP } });
    expect(result.stderr).not.toMatch(/internal error|out of memory/i);
    expect(result.code).toBe(0);
    const ids = readFileSync(output, 'utf8').trimEnd().split('\n').map((line) => {
      const record = JSON.parse(line) as { id: number; sentiment?: { label?: string } };
      expect(record.sentiment?.label).toBe('POSITIVE');
      return record.id;
    });
    expect(ids).toEqual([...Array(LINES).keys()]);
  }, 120_000);
});
