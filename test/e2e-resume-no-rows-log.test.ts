import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

/**
 * A run stopped by an input error before its first row leaves a checkpoint of no row. The next run, stopped at once
 * by the same error, logged 'resuming from the checkpoint' while its summary said `resumed: false` (and printed no
 * "whole job across resumes" line): one run, two accounts. A checkpoint of no row is said as such now, not as a
 * resume; a checkpoint with rows still logs 'resuming from the checkpoint' (test/e2e-local.test.ts and others).
 */
describe('a checkpoint of no row: the next run does not say it resumes', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('logs that the checkpoint holds no row, as its summary says resumed: false', async () => {
    const input = path.join(dir, 'bad.csv');
    writeFileSync(input, 'id,text\n1,"bad row\n2,good\n');
    const output = path.join(dir, 'out.csv');
    const summaryJson = path.join(dir, 'summary.json');
    const args = ['score', input, '--backend', 'embedded', '-o', output, '--summary-json', summaryJson, '--log-format', 'json'];
    expect((await runCli(args)).code).toBe(3);
    const again = await runCli(args);
    expect(again.code).toBe(3);
    const summary = JSON.parse(readFileSync(summaryJson, 'utf8')) as { resumed: boolean };
    expect(summary.resumed).toBe(false);
    expect(again.stderr).not.toContain('resuming from the checkpoint');
    expect(again.stderr).toContain('"msg":"the checkpoint holds no row yet: scoring from the first row"');
  });
});
