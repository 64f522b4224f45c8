import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { failureSummaryTarget } from '../src/commands/failure-summary-target.js';
import type { JobSettings } from '../src/config/options.js';
import { ExitCode, SentimentBatchError } from '../src/errors.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { swappedFolderLine } from '../src/state/swapped-folder.js';
import { quiet, remoteScorer, remoteSettings } from './support/counting-remote.js';
import { useTempDir } from './support/e2e-dir.js';

/**
 * A rerun mending the rows a completed job left failed, its output's folder swapped under it (`mv out out.old && mkdir
 * out`) and then stopped (SIGINT, SIGTERM, a budget) before its lock's heartbeat noticed: the mend's checkpoint on the
 * stop was saved by path, into the folder there now, with no look at it as a run's stop takes (run-end.ts, review73).
 * With another run's lock there, it replaced that run's checkpoint with this job's; with none, it left a completed job's
 * checkpoint in an empty folder, of an output that is not there.
 */
describe("a mend stopped after its output's folder was swapped", () => {
  const dir = useTempDir();

  /** A completed job in `out/` whose rows 3 and 7 failed transiently, and the mend's rerun, stopped at its first request after `swap`. */
  const mendSwapped = async (swap: (folder: string, output: string) => void) => {
    const input = dir.path('in.csv');
    writeFileSync(input, `id,text\n${Array.from({ length: 12 }, (_, i) => `${i},review ${i} was good and then it was not`).join('\n')}\n`);
    const folder = dir.path('out');
    mkdirSync(folder);
    const output = path.join(folder, 'out.csv');
    const settings = { ...remoteSettings(input, output), maxErrorRate: 1 };
    const failing = (text: string) => text.startsWith('review 3 ') || text.startsWith('review 7 ');
    const first = await runJob(settings, { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(failing, { count: 0 }) });
    expect(first.totals.failed).toBe(2);
    expect(existsSync(`${output}.failed-rows`)).toBe(true);
    const stop = new StopController();
    const mended = await runJob(settings, {
      log: quiet(),
      stop,
      createScorer: () =>
        remoteScorer(() => false, { count: 0 }, (n) => {
          if (n !== 1) return;
          swap(folder, output);
          stop.request({ kind: 'interrupt', signal: 'SIGINT' });
        }),
    }).catch((error: unknown) => error);
    return { folder, output, mended };
  };

  it("another run's lock in the new folder: its checkpoint is left alone, and the mend ends with the lost lock's line (75)", async () => {
    const otherCheckpoint = '{"another run": "its checkpoint"}\n';
    const { folder, output, mended } = await mendSwapped((folder, output) => {
      renameSync(folder, `${folder}.old`);
      mkdirSync(folder);
      mkdirSync(`${output}.lock`);
      writeFileSync(path.join(`${output}.lock`, 'owner.json'), JSON.stringify({ tool: 'sentiment-batch', host: hostname(), pid: process.pid + 1, since: new Date().toISOString() }));
      writeFileSync(`${output}.checkpoint.json`, otherCheckpoint);
    });
    expect(readFileSync(`${output}.checkpoint.json`, 'utf8')).toBe(otherCheckpoint);
    expect(readdirSync(folder).sort()).toEqual(['out.csv.checkpoint.json', 'out.csv.lock']);
    expect(mended).toBeInstanceOf(SentimentBatchError);
    expect([(mended as SentimentBatchError).exitCode, (mended as Error).message]).toEqual([
      ExitCode.Paused,
      `lost the lock ${output}.lock (another run's lock is there now: host ${hostname()}, pid ${process.pid + 1}); another run may be writing this output, stopping at once`,
    ]);
    // --summary-json is left to that run, as after a run's stop that finds its lock there (removed-output-folder.test.ts).
    expect(failureSummaryTarget('score', [], { summaryJson: dir.path('night.json') } as JobSettings, undefined, mended)).toBeUndefined();
    // The job's files are where the folder went, as the mend left them: its output complete, its list of failed rows.
    expect(readdirSync(`${folder}.old`)).toEqual(expect.arrayContaining(['out.csv', 'out.csv.checkpoint.json', 'out.csv.failed-rows']));
  });

  it("the folder made again empty: nothing is written into it, and the mend ends with the swapped folder's line (74)", async () => {
    const { folder, mended } = await mendSwapped((folder) => {
      renameSync(folder, `${folder}.old`);
      mkdirSync(folder);
    });
    expect(readdirSync(folder)).toEqual([]);
    expect(mended).toBeInstanceOf(SentimentBatchError);
    expect([(mended as SentimentBatchError).exitCode, (mended as Error).message]).toEqual([ExitCode.MachineFault, swappedFolderLine(folder)]);
  });
});
