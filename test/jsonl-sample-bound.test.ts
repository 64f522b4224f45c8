import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_CHARACTERS, SAMPLE_RECORDS, sampleJsonl } from '../src/preflight/jsonl-sample.js';
import { tempDir } from './support/cli.js';

/**
 * The start-up sample holds its lines parsed through the checks, and a parsed line is several times its text: of six
 * lines of 1,000,000 keys (12 MB each) it took the line that passed its character bound too, 146 MB of heap held where
 * one line is 96 MB. It stops before such a line now; the first line is always taken.
 */
describe('the JSONL start-up sample stops before a line that would pass its character bound', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  const line = (characters: number, id: number) => {
    const head = `{"id":${id},"text":"great","pad":"`;
    return `${head}${'x'.repeat(characters - head.length - 3)}"}\n`;
  };
  async function sampleOf(name: string, text: string) {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return sampleJsonl(file, false, ['text']);
  }

  it('two lines of 10 MiB: the sample holds the first alone', async () => {
    const tenMiB = 10 * 1024 * 1024;
    const sample = await sampleOf('two-big.jsonl', line(tenMiB, 0) + line(tenMiB, 1));
    expect(sample.records).toBe(1);
    expect(sample.objects.map((o) => o.id)).toEqual([0]);
  });

  it('a first line near the bound is taken, and a short line that would pass it is not', async () => {
    const sample = await sampleOf('first-near.jsonl', line(SAMPLE_CHARACTERS - 50, 0) + line(100, 1));
    expect(sample.records).toBe(1);
    expect(sample.objects.map((o) => o.id)).toEqual([0]);
  });

  it('lines that reach the bound exactly are all taken', async () => {
    const half = SAMPLE_CHARACTERS / 2;
    const sample = await sampleOf('exact.jsonl', line(half, 0) + line(half, 1) + line(100, 2));
    expect(sample.records).toBe(2);
  });

  it('ordinary lines: the first SAMPLE_RECORDS, as before', async () => {
    const text = Array.from({ length: SAMPLE_RECORDS + 50 }, (_, i) => line(200, i)).join('');
    const sample = await sampleOf('ordinary.jsonl', text);
    expect(sample.records).toBe(SAMPLE_RECORDS);
    expect(sample.objects).toHaveLength(SAMPLE_RECORDS);
  });
});
