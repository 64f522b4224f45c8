import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobSettings } from '../src/config/options.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { tempDir } from './support/cli.js';
import { quiet, remoteSettings, wordScorer } from './support/counting-remote.js';
import { syntheticCsv } from './support/reviews.js';

/**
 * A completed job's export replaced by another of the same name, or rewritten at its start (the export of the last 30
 * days at a fixed name: the oldest rows dropped, new ones appended): the output is read through, so the answers to the
 * texts the new export still holds are kept however many of the first ones changed. Stopping the read once the first
 * 1,000 distinct texts were none of the new export's saved ~1 s of CPU per 100,000 rows and paid for every row again.
 */
describe('a completed job whose export was replaced or rewritten at its start: its output read through', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const run = (settings: JobSettings, sent: { count: number }) => runJob(settings, { log: quiet(), stop: new StopController(), createScorer: () => wordScorer(sent) });

  // 1,500 rows, 1,440 distinct texts.
  const LARGE = 1_500;

  async function completedLarge(): Promise<{ input: string; settings: JobSettings }> {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(LARGE));
    const settings = { ...remoteSettings(input, path.join(dir, 'out.csv')), text: ['review'] };
    const first = await run(settings, { count: 0 });
    expect(first.exitCode).toBe(0);
    return { input, settings };
  }

  it('another export of that name: nothing kept, every text sent', async () => {
    const job = await completedLarge();
    writeFileSync(job.input, syntheticCsv(LARGE, { marker: (i) => ` (new ${i})` }));
    const next = { count: 0 };
    expect(await run(job.settings, next)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(next.count).toBe(LARGE);
    expect(existsSync(path.join(dir, 'out.csv.answers'))).toBe(false);
  });

  it('the same export with its first 1,300 rows rewritten (over 1,000 distinct texts): the rest of its answers kept', async () => {
    const job = await completedLarge();
    // Rows 0-1,299 hold about 1,170 distinct texts (one in ten repeats, one in 25 is empty).
    writeFileSync(job.input, syntheticCsv(LARGE, { marker: (i) => (i < 1_300 ? ' (rewritten)' : '') }));
    const next = { count: 0 };
    expect(await run(job.settings, next)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(next.count).toBeLessThan(1_300);
    expect(next.count).toBeGreaterThan(1_000);
  });
});
