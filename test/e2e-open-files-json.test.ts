import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everyLineJson, runCli, tempDir } from './support/cli.js';

/**
 * The too-few-open-files line (src/cli.ts) is written before any module of the tool loads, so it was plain text also
 * with --log-format json, the one line a JSON-only log collector could not parse on the night that needed a person.
 * It is JSON now when the raw arguments ask for it by name (score and run, as process/error-line.ts words any other
 * closing line), read from argv alone: nothing is loaded for it.
 */
describe('the too-few-open-files line with --log-format json', () => {
  let dir: string;
  let cleanup: () => void;
  let input: string;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,text\n1,good\n');
  });
  afterAll(() => cleanup());

  const LINE = /^too few open files allowed \(EMFILE\): it could open only \d+ more and needs about 128 at once; raise the number of files this process may open \(ulimit -n, e\.g\. to 1024\), then run the same command again$/;

  it.each([
    ['score, --log-format json', ['score', 'IN', '--log-format', 'json']],
    ['score, --log-format=json', ['score', 'IN', '--log-format=json']],
    ['run, the last --log-format json', ['run', 'job.json', '--log-format', 'pretty', '--log-format', 'json']],
  ])('%s: one JSON line at error with exitCode 74', async (_name, args) => {
    const result = await runCli(args.map((arg) => (arg === 'IN' ? input : arg)), { fileLimit: 50 });
    expect(result.code).toBe(74);
    const lines = everyLineJson(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual({ level: 50, time: expect.any(Number), exitCode: 74, msg: expect.stringMatching(LINE) });
  });

  it.each([
    ['no --log-format', ['score', 'IN']],
    ['--log-format pretty', ['score', 'IN', '--log-format', 'pretty']],
    ['json past --', ['score', 'IN', '--', '--log-format', 'json']],
    ['another command', ['report', 'IN', '--log-format', 'json']],
  ])('%s: plain, as before', async (_name, args) => {
    const result = await runCli(args.map((arg) => (arg === 'IN' ? input : arg)), { fileLimit: 50 });
    expect(result.code).toBe(74);
    expect(result.stderr).toMatch(/^sentiment-batch: too few open files allowed \(EMFILE\)/);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
