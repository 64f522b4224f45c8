import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULTS, type JobSettings } from '../src/config/options.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { formatSummary } from '../src/job/summary.js';
import { toScores, type Scorer } from '../src/scoring/scorer.js';
import { tempDir } from './support/cli.js';
import { quiet } from './support/counting-remote.js';

// Operator review: the first run of a header-only export warned "the export had no rows", its rerun said only
// "Already done" (exit 0, no warning): a nightly operator who reads only the last run's output never saw it.

const scorer: Scorer = { modelId: 'test:fixed', remote: false, score: async () => toScores(0.7, 0.3), close: async () => {} };

describe('a header-only export run again', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const run = (input: string) => {
    const settings: JobSettings = { ...DEFAULTS, input, output: path.join(dir, 'out.csv'), backend: 'embedded', progress: 'off' };
    return runJob(settings, { log: quiet(), stop: new StopController(), createScorer: () => scorer });
  };

  it('warns again on the "already done" rerun, saying the output is the earlier run\'s header-only file', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,text\n');
    const first = await run(input);
    expect(first.warning).toMatch(/^the export had no rows: the input holds only its header/);
    const again = await run(input);
    expect(again.status).toBe('already-done');
    expect(again.exitCode).toBe(0);
    expect(again.warning).toBe('the export had no rows: the input holds only its header, and the output is the header-only file an earlier run of it wrote; check the export');
    // Its last line on the terminal, as the first run's is (the "already done" summary printed no warning).
    expect(formatSummary(again).trimEnd().split('\n').at(-1)).toBe(`  ${again.warning}`);
    // No row was scored: the rows line said '(scored by an earlier run; …)' all the same.
    expect(formatSummary(again).split('\n')[1]).toBe('  rows 0: scored 0, skipped 0, failed 0 (written by an earlier run, which scored none; this run did nothing)');
  });

  // Two header-only exports joined with `cat`, and an export whose every text is empty: the first run warned (every row
  // read repeats the header; the text column is empty in every row), the rerun said only "Already done". The checkpoint
  // keeps no skips per code, so the rerun says what it knows: every row skipped, and where each row's reason is.
  it.each([
    ['two header-only exports joined', 'in.csv', 'id,text\nid,text\n', 'the only row was skipped, with its reason', 'the sentiment_error column', 'column'],
    ['an export whose every text is empty', 'in.csv', 'id,text\n1,\n2,\n3,  \n', 'every one of the 3 rows was skipped, each with its reason', 'the sentiment_error column', 'column'],
    ['a JSONL export whose every text is empty', 'in.jsonl', '{"text":""}\n{"text":null}\n', 'every one of the 2 rows was skipped, each with its reason', 'the "error" inside the "sentiment" field', 'field'],
  ])('%s: the "already done" rerun warns that no row was scored', async (_what, name, content, rows, place, kind) => {
    const input = path.join(dir, name);
    writeFileSync(input, content);
    const first = await run(input);
    expect(first.warning).toBeDefined();
    const again = await run(input);
    expect(again.status).toBe('already-done');
    expect(again.exitCode).toBe(0);
    expect(again.warning).toBe(`no row was scored: ${rows} in ${place} of the output an earlier run of it wrote; check the export and the text ${kind}`);
    expect(formatSummary(again).trimEnd().split('\n').at(-1)).toBe(`  ${again.warning}`);
    expect(formatSummary(again).split('\n')[1]).toMatch(/^ {2}rows \d+: scored 0, skipped \d+, failed 0 \(written by an earlier run, which scored none; this run did nothing\)$/);
  });

  it('says nothing of the kind on the rerun of an export that had rows', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,text\n1,good\n2,\n');
    await run(input);
    const again = await run(input);
    expect(again.status).toBe('already-done');
    expect(again.warning).toBeUndefined();
    expect(formatSummary(again).split('\n')[1]).toBe('  rows 2: scored 1, skipped 1, failed 0 (scored by an earlier run; this run did nothing)');
  });
});
