import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scoreHelp } from '../src/commands/help.js';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';

// `run --help` listed the options and never said what a job file holds: a user with only --help could not write one.
// It now shows one, and that one runs as written.
describe('run --help says what a job file holds', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('with an example job file that runs as written', async () => {
    const help = scoreHelp('run');
    expect(help).toContain('Job file: one JSON object of the same settings in camelCase');
    expect(help).toContain('Every key: docs/options.md#job-files');
    const example = /\n {2}(\{[^]*?\})\n/.exec(help)?.[1];
    expect(example).toBeDefined();
    const job = path.join(dir, 'job.json');
    writeFileSync(job, example!.replace(/\n\s*/g, ' '));
    mkdirSync(path.join(dir, 'in'));
    copyFileSync(path.join(REPO_ROOT, 'fixtures/reviews.csv'), path.join(dir, 'in/reviews.csv'));
    const r = await runCli(['run', job]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(path.join(dir, 'out/reviews.summary.json'), 'utf8')) as { status: string; totals: { read: number } };
    expect(summary).toMatchObject({ status: 'done', totals: { read: 30 } });
    expect(readFileSync(path.join(dir, 'out/reviews.scored.csv'), 'utf8').split('\n')[0]).toMatch(/,sentiment_label,/);
  });
});
