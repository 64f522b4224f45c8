import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ExitCode, SentimentBatchError } from '../src/errors.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { quiet, remoteScorer, remoteSettings } from './support/counting-remote.js';
import { useTempDir } from './support/e2e-dir.js';

/** What runs between a checkpoint's temporary file made and its rename (writeFileAtomic keeps the mode there). */
const betweenTempAndRename = vi.hoisted(() => ({ hook: (_target: string) => {} }));
vi.mock('../src/state/kept-mode.js', async (original) => {
  const kept = await original<typeof import('../src/state/kept-mode.js')>();
  return {
    ...kept,
    keepModeOnHandle: async (target: string, handle: FileHandle) => {
      betweenTempAndRename.hook(target);
      await kept.keepModeOnHandle(target, handle);
    },
  };
});

/**
 * A periodic checkpoint (or a stop's) whose save failed because the output's folder was swapped under it (`mv out out.old && mkdir
 * out`) between its temporary file made and its rename: the temporary file went with the folder, the rename found none.
 * The checkpoint looked at the folder before the save only, as the run's first writes did before lowfix82 made them look
 * again after a failed one: with another run's lock in the new folder, the run ended on the rename's fault (74) where
 * the lost lock's line (75) is due, as every other step that finds that lock says it.
 */
describe("a periodic checkpoint's save failing as the output's folder is swapped", () => {
  const dir = useTempDir();

  // `at`: the checkpoint whose save the swap comes in: a periodic one, or the one a stop (SIGTERM) saves where the pass ended.
  it.each(['periodic', 'stop'] as const)("at a %s checkpoint, another run's lock in the new folder: the lost lock's line (75), that run's checkpoint left alone", async (at) => {
    const input = dir.path('in.csv');
    writeFileSync(input, `id,text\n${Array.from({ length: 30 }, (_, i) => `${i},review ${i} was good and then it was not`).join('\n')}\n`);
    const folder = dir.path('out');
    mkdirSync(folder);
    const output = path.join(folder, 'out.csv');
    const otherCheckpoint = '{"another run": "its checkpoint"}\n';
    let armed = false;
    let swapped = false;
    betweenTempAndRename.hook = (target) => {
      if (!armed || swapped || target !== `${output}.checkpoint.json`) return;
      swapped = true;
      renameSync(folder, `${folder}.old`);
      mkdirSync(folder);
      mkdirSync(`${output}.lock`);
      writeFileSync(path.join(`${output}.lock`, 'owner.json'), JSON.stringify({ tool: 'sentiment-batch', host: hostname(), pid: process.pid + 1, since: new Date().toISOString() }));
      writeFileSync(`${output}.checkpoint.json`, otherCheckpoint);
    };
    try {
      // Past the run's first checkpoint (its first request comes after it): the swap comes at the next one saved.
      const settings = { ...remoteSettings(input, output), ...(at === 'periodic' ? { checkpointIntervalMs: 0 } : {}) };
      const stop = new StopController();
      const armAt = (n: number) => {
        if (n !== 5) return;
        armed = true;
        if (at === 'stop') stop.request({ kind: 'interrupt', signal: 'SIGTERM' });
      };
      const refused = await runJob(settings, { log: quiet(), stop, createScorer: () => remoteScorer(() => false, { count: 0 }, armAt) }).catch((error: unknown) => error);
      expect(swapped).toBe(true);
      expect(readFileSync(`${output}.checkpoint.json`, 'utf8')).toBe(otherCheckpoint);
      expect(readdirSync(folder).sort()).toEqual(['out.csv.checkpoint.json', 'out.csv.lock']);
      expect(refused).toBeInstanceOf(SentimentBatchError);
      expect([(refused as SentimentBatchError).exitCode, (refused as Error).message]).toEqual([
        ExitCode.Paused,
        `lost the lock ${output}.lock (another run's lock is there now: host ${hostname()}, pid ${process.pid + 1}); another run may be writing this output, stopping at once`,
      ]);
    } finally {
      betweenTempAndRename.hook = () => {};
    }
  });
});
