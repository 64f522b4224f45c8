import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULTS, type JobSettings } from '../src/config/options.js';
import { ScoringError } from '../src/errors.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { machineFaultOf } from '../src/machine-fault.js';
import { toScores, type Scorer } from '../src/scoring/scorer.js';
import type { Checkpoint } from '../src/state/checkpoint.js';
import { tempDir } from './support/cli.js';
import { quiet } from './support/counting-remote.js';

/** While `refuseList`, an fsync of the list of failed rows fails as NFS or a thin volume fails one at write-back. */
const disk = vi.hoisted(() => ({ refuseList: false, listSyncs: 0, events: [] as string[] }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const fsyncSync = (fd: number): void => {
    const file = real.readlinkSync(`/proc/self/fd/${fd}`);
    if (file.endsWith('.failed-rows')) {
      disk.listSyncs += 1;
      disk.events.push('list synced');
      if (disk.refuseList) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO', errno: -5, syscall: 'fsync' });
    }
    real.fsyncSync(fd);
  };
  return { ...real, default: { ...real, fsyncSync }, fsyncSync };
});
/** A checkpoint is recorded when its temporary file is renamed over it (state/atomic-write.ts). */
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const rename = async (from: string, to: string): Promise<void> => {
    await real.rename(from, to);
    if (to.endsWith('.checkpoint.json')) disk.events.push('checkpoint');
  };
  return { ...real, default: { ...real, rename }, rename };
});
/** The list's appends, in order with its fsyncs and the checkpoints. */
vi.mock('../src/state/no-follow.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/state/no-follow.js')>();
  const { readlinkSync } = await import('node:fs');
  return {
    ...real,
    writeAllSync: (fd: number, ...rest: unknown[]) => {
      if (readlinkSync(`/proc/self/fd/${fd}`).endsWith('.failed-rows')) disk.events.push('list appended');
      return (real.writeAllSync as (...args: unknown[]) => unknown)(fd, ...rest);
    },
  };
});

/** A remote scorer, a little slow (the run lasts several checkpoints): texts with "odd" fail with a 500. */
const remote: Scorer = {
  modelId: 'workers-ai:test',
  endpoint: 'http://127.0.0.1:9/test',
  remote: true,
  score: async (text: string) => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (text.includes('odd')) throw new ScoringError('retry', 'http_500', 'server error', { status: 500 });
    return toScores(0.7, 0.3);
  },
  close: async () => {},
};

/**
 * The output is fsynced for each checkpoint, and the list of the rows that failed transiently (`.failed-rows`,
 * appended as they are written) was not: after a power cut the output kept rows failed transiently that the list had
 * lost, and a rerun took them for rows refused for their text (never scored again). The list is now fsynced before
 * each checkpoint, and an fsync refused stops the run before that checkpoint, naming the list.
 */
describe('the list of failed rows at a checkpoint', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    disk.listSyncs = 0;
    disk.events = [];
  });
  afterEach(() => {
    disk.refuseList = false;
    cleanup();
  });

  const ROWS = 40;
  const settingsFor = (output: string): JobSettings => ({
    ...DEFAULTS,
    input: path.join(dir, 'in.csv'),
    output,
    backend: 'workers-ai',
    progress: 'off',
    maxAttempts: 1,
    maxErrorRate: 1,
    concurrency: 2,
    checkpointIntervalMs: 100,
  });

  it('is made durable before each checkpoint; one the disk refuses stops the run before it is recorded (exit 74)', async () => {
    writeFileSync(path.join(dir, 'in.csv'), `id,text\n${Array.from({ length: ROWS }, (_, i) => `${i},${i % 3 === 0 ? 'odd' : 'fine'} review ${i}`).join('\n')}\n`);
    const output = path.join(dir, 'out.csv');
    const done = await runJob(settingsFor(output), { log: quiet(), stop: new StopController(), createScorer: () => remote });
    expect(done.exitCode).toBe(0);
    expect(disk.listSyncs).toBeGreaterThan(0);

    disk.refuseList = true;
    const refused = path.join(dir, 'refused.csv');
    const error = await runJob(settingsFor(refused), { log: quiet(), stop: new StopController(), createScorer: () => remote }).catch((e: unknown) => e);
    expect(machineFaultOf(error)?.message).toMatch(new RegExp(`^input/output error on the device holding ${refused.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.failed-rows`));
    // The first checkpoint after the run began was refused: the one on disk is the run's first, before any row.
    const checkpoint = JSON.parse(readFileSync(`${refused}.checkpoint.json`, 'utf8')) as Checkpoint;
    expect(checkpoint.completed).toBe(false);
    expect(checkpoint.position.nextIndex).toBe(0);
  });

  it('is made durable before the checkpoint of a run stopped between checkpoints (a stop: the rows listed since the last one)', async () => {
    writeFileSync(path.join(dir, 'in.csv'), `id,text\n${Array.from({ length: ROWS }, (_, i) => `${i},${i % 3 === 0 ? 'odd' : 'fine'} review ${i}`).join('\n')}\n`);
    const output = path.join(dir, 'out.csv');
    const stop = new StopController();
    let scored = 0;
    // No periodic checkpoint: the rows listed after the first checkpoint are recorded only by the stop's.
    const stopping: Scorer = {
      ...remote,
      score: (text) => {
        scored += 1;
        if (scored === 20) stop.request({ kind: 'interrupt', signal: 'SIGTERM' });
        return remote.score(text);
      },
    };
    const done = await runJob({ ...settingsFor(output), checkpointIntervalMs: 3_600_000 }, { log: quiet(), stop, createScorer: () => stopping });
    expect(done.status).toBe('interrupted');
    const checkpoint = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Checkpoint;
    expect(checkpoint.position.nextIndex).toBeGreaterThan(0);
    const lastAppend = disk.events.lastIndexOf('list appended');
    const lastCheckpoint = disk.events.lastIndexOf('checkpoint');
    expect(lastAppend).toBeGreaterThan(-1);
    expect(lastCheckpoint).toBeGreaterThan(lastAppend);
    // Between the list's last append and the checkpoint that counts it, the list was fsynced.
    expect(disk.events.slice(lastAppend, lastCheckpoint)).toContain('list synced');
  });
});

