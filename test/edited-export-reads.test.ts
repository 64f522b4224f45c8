import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobSettings } from '../src/config/options.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { tempDir } from './support/cli.js';
import { quiet, remoteSettings, wordScorer } from './support/counting-remote.js';
import { syntheticCsv } from './support/reviews.js';

// Every answer read back from a job's output, whoever reads it (the start-over's import, the edited export's check).
const read = vi.hoisted(() => ({ answers: 0 }));
vi.mock('../src/job/partial-answers.js', async (importOriginal) => (await import('./support/counted-answers.js')).countedAnswers(importOriginal, read));

const ROWS = 200;

/**
 * A completed job's export edited by hand: its output is read once to keep its answers to the texts the export still
 * holds (it was read up to its first such answer, then twice through by the import: 385 answers read for 192).
 */
describe('a completed job whose export was edited by hand: its output read once', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const run = (settings: JobSettings, sent: { count: number }) => runJob(settings, { log: quiet(), stop: new StopController(), createScorer: () => wordScorer(sent) });

  it('one text corrected: each answer of the output read once, one text sent', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(ROWS));
    const settings = { ...remoteSettings(input, path.join(dir, 'out.csv')), text: ['review'] };
    const first = await run(settings, { count: 0 });
    expect(first.exitCode).toBe(0);
    // The rows the output holds answers for (the synthetic export's blank texts are not scored).
    const scored = first.totals.scored;
    expect(scored).toBeGreaterThan(150);
    writeFileSync(input, syntheticCsv(ROWS).replace('Review number 120', 'Review number 12O'));
    read.answers = 0;
    const next = { count: 0 };
    expect(await run(settings, next)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(next.count).toBe(1);
    expect(read.answers).toBe(scored);
  });
});
