import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Figures } from '../src/report/index.js';
import { runCli, tempDir } from './support/cli.js';

// A text over 512 tokens under --long-text skip is skipped, as the run's summary says ("skipped by code:
// text_too_long 1"); under --long-text fail it failed. The report reads which from the job's checkpoint, and must count
// the row as the run did: counted failed after a skip, the report and the summary disagree on the same output.
describe('report after a run with --long-text skip or fail (embedded model)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('sb-report-long-')));
  afterEach(() => cleanup());

  for (const [mode, skipped, failed] of [
    ['skip', 1, 0],
    ['fail', 0, 1],
  ] as const) {
    it(`--long-text ${mode}: the long row is counted ${mode === 'skip' ? 'skipped' : 'failed'}, as in the run's summary`, async () => {
      const input = path.join(dir, 'in.csv');
      writeFileSync(input, `text\ngood film\n${Array(600).fill('word').join(' ')}\nbad film\n`);
      const output = path.join(dir, 'out.csv');
      const run = await runCli(['score', input, '--long-text', mode, '-o', output]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`${mode === 'skip' ? 'skipped' : 'failed'} by code: text_too_long 1`);
      const json = path.join(dir, 'r.json');
      const report = await runCli(['report', output, '--format', 'json', '-o', json]);
      expect(report.code).toBe(0);
      const totals = (JSON.parse(readFileSync(json, 'utf8')) as Figures).totals;
      expect([totals.rows, totals.scored, totals.skipped, totals.failed]).toEqual([3, 2, skipped, failed]);
      expect(mode === 'skip' ? totals.skippedByCode : totals.failedByCode).toEqual({ text_too_long: 1 });
    });
  }
});
