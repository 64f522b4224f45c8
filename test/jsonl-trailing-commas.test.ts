import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refuseNotJsonLines, sampleJsonl } from '../src/preflight/jsonl-sample.js';
import { runCli, tempDir } from './support/cli.js';

/**
 * A JSON array's records with its brackets removed: a comma after every object but the last. The start-up check did not
 * refuse it, as the last line is a JSON object: each other row failed invalid_json (the sed line in each row's error),
 * and the run ended exit 5, "too many rows failed", after paying for the last row (7 of 8 failed on
 * /tmp/nu15-data/stripped.jsonl). Refused at start-up now when half the sampled lines or more have that shape, with the
 * same advice (an array of two records: one row failed, the run done).
 */
describe('JSONL whose lines are objects followed by a comma, the last without one', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  const object = (i: number) => `{"id":${i},"review":{"text":"review number ${i}, a fine one"}}`;
  /** `n` objects, the first `commas` of them followed by a comma. */
  const lines = (n: number, commas: number) => Array.from({ length: n }, (_, i) => `${object(i)}${i < commas ? ',' : ''}\n`).join('');
  const SED = "sed 's/,[[:space:]]*$//' in.jsonl > fixed.jsonl";

  async function refusal(name: string, text: string): Promise<string> {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    const sample = await sampleJsonl(file, false, ['review.text']);
    try {
      refuseNotJsonLines(sample);
    } catch (error) {
      return (error as Error).message;
    }
    return 'not refused';
  }

  it.each([
    ['8 lines, a comma after all but the last', lines(8, 7), `7 of the first 8 non-blank lines are not JSON, so this is not JSON Lines: its lines end in a comma after the object, as the records of a JSON array do with its brackets removed: remove it, e.g. ${SED}`],
    ['3 lines, 2 with a comma', lines(3, 2), '2 of the first 3 non-blank lines are not JSON'],
    // An array of two records: the run scored the second and ended done, the first row failed.
    ['2 lines, the first with a comma', lines(2, 1), '1 of the first 2 non-blank lines is not JSON, so this is not JSON Lines: its lines end in a comma'],
    ['half of them', lines(8, 4), '4 of the first 8 non-blank lines are not JSON'],
  ])('%s: refused', async (name, text, expected) => {
    const message = await refusal(`${name.replace(/\W+/g, '-')}.jsonl`, text);
    expect(message.startsWith(expected), message).toBe(true);
  });

  it.each([
    ['one stray comma among 8 lines', lines(8, 1)],
    ['3 of 8 lines', lines(8, 3)],
    // Objects run together with no line break are another shape (json-line-shape.ts 'concatenated'), not counted as
    // commas: their rows fail saying what they are, not refused with the comma's sed line.
    ['4 of 8 lines two objects run together', Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? `${object(i)} ${object(i + 100)}\n` : `${object(i)}\n`)).join('')],
  ])('%s: not refused (the rows fail one by one, each told why)', async (name, text) => {
    expect(await refusal(`${name.replace(/\W+/g, '-')}.jsonl`, text)).toBe('not refused');
  });

  it('the run stops before any output or request, exit 3', async () => {
    const input = path.join(dir, 'stripped.jsonl');
    writeFileSync(input, lines(8, 7));
    const output = path.join(dir, 'stripped.scored.jsonl');
    const r = await runCli(['score', input, '--text-field', 'review.text', '-o', output, '--backend', 'embedded']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`sentiment-batch: 7 of the first 8 non-blank lines are not JSON, so this is not JSON Lines: its lines end in a comma after the object`);
    expect(existsSync(`${output}.partial`)).toBe(false);
    expect(existsSync(output)).toBe(false);
  });
});
