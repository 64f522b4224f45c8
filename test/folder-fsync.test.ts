import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULTS, type JobSettings } from '../src/config/options.js';
import { OutputKeptError } from '../src/errors.js';
import { runJob } from '../src/job/run.js';
import { runFiguresOf } from '../src/job/run-figures.js';
import { StopController } from '../src/job/stop.js';
import { machineFaultOf } from '../src/machine-fault.js';
import { jobAdvice } from '../src/machine-fault-advice.js';
import { syncDirectory, writeFileAtomic } from '../src/state/atomic-write.js';
import type { Checkpoint } from '../src/state/checkpoint.js';
import { tempDir } from './support/cli.js';
import { descriptorsOn } from './support/descriptors.js';
import { quiet } from './support/counting-remote.js';

/**
 * While `refuse` says so for a folder, its fsync fails with `code`, as a failing disk (EIO) or a filesystem that
 * does not fsync folders (EINVAL, ENOTSUP) answers one.
 */
const disk = vi.hoisted(() => ({ code: 'EIO', refuse: (_dir: string): boolean => false, refuseFile: (_file: string): boolean => false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open = async (...args: Parameters<typeof real.open>) => {
    const handle = await real.open(...args);
    const target = String(args[0]);
    const folder = (await handle.stat()).isDirectory();
    if (folder ? !disk.refuse(target) : target.endsWith('.tmp-' + process.pid)) return handle;
    const sync = handle.sync.bind(handle);
    handle.sync = async () => {
      if (folder || disk.refuseFile(target)) throw Object.assign(new Error(`${disk.code}: refused, fsync`), { code: disk.code, syscall: 'fsync' });
      return sync();
    };
    return handle;
  };
  return { ...real, default: { ...real, open }, open };
});

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * syncDirectory swallowed every error, EIO included: a rename whose folder never reached a failing disk counted as
 * saved (a checkpoint, the completed output). Only a filesystem that does not fsync folders is ignored now.
 */
describe("a folder's fsync after a rename", () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
  });
  afterEach(() => {
    disk.refuse = () => false;
    disk.refuseFile = () => false;
    disk.code = 'EIO';
    cleanup();
  });

  it('an I/O error is thrown naming the folder (exit 74); a filesystem that does not sync folders is not an error', async () => {
    disk.refuse = () => true;
    const error = await syncDirectory(dir).catch((e: unknown) => e);
    expect(machineFaultOf(error)?.message).toMatch(new RegExp(`^input/output error on the device holding ${escaped(dir)}: check the disk or volume`));
    for (const code of ['EINVAL', 'ENOTSUP', 'EOPNOTSUPP']) {
      disk.code = code;
      await expect(syncDirectory(dir)).resolves.toBeUndefined();
    }
  });

  it('writeFileAtomic: the file is in place, and the failure is said', async () => {
    disk.refuse = () => true;
    const file = path.join(dir, 's.json');
    await expect(writeFileAtomic(file, '{}\n')).rejects.toMatchObject({ code: 'EIO', path: dir });
    expect(readFileSync(file, 'utf8')).toBe('{}\n');
  });

  const settingsFor = (output: string): JobSettings => ({ ...DEFAULTS, input: path.join(dir, 'in.csv'), output, backend: 'embedded', progress: 'off', text: ['text'] });

  it('a job whose checkpoint folder fails its fsync stops with exit 74 naming the folder, not done', async () => {
    writeFileSync(path.join(dir, 'in.csv'), `id,text\n${Array.from({ length: 30 }, (_, i) => `${i},a fine review ${i}`).join('\n')}\n`);
    const output = path.join(dir, 'out.csv');
    disk.refuse = () => true;
    const error = await runJob(settingsFor(output), { log: quiet(), stop: new StopController() }).catch((e: unknown) => e);
    expect(machineFaultOf(error)?.message).toMatch(new RegExp(`^input/output error on the device holding ${escaped(dir)}: check the disk or volume, then run the same command again`));
    expect(existsSync(output)).toBe(false);
    // The output's partial file is closed, not left open until garbage collection (Node's DEP0137 warning on stderr).
    expect(descriptorsOn(`${output}.partial`)).toBe(0);
  });

  it('at completion: the output is renamed, so the failure says the output is complete (it said Stopped: out.csv.partial), and the next run finds the job done', async () => {
    writeFileSync(path.join(dir, 'in.csv'), `id,text\n${Array.from({ length: 30 }, (_, i) => `${i},a fine review ${i}`).join('\n')}\n`);
    const output = path.join(dir, 'out.csv');
    // Only the rename that completes the output: the folder holds it then.
    disk.refuse = () => existsSync(output);
    const error = await runJob(settingsFor(output), { log: quiet(), stop: new StopController() }).catch((e: unknown) => e);
    // Said as a failure once the output is complete (OutputKeptError): the summary's output is the file, not its .partial.
    expect(error).toBeInstanceOf(OutputKeptError);
    expect(machineFaultOf((error as Error).cause)?.message).toMatch(new RegExp(`^input/output error on the device holding ${escaped(dir)}: check the disk or volume`));
    expect(runFiguresOf((error as Error).cause)).toMatchObject({ status: 'failed', exitCode: 74, outputComplete: true, totals: { read: 30, scored: 30 } });
    expect(readFileSync(output, 'utf8')).toMatch(/^id,text,sentiment_label/);
    expect((JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Checkpoint).completed).toBe(true);
    disk.refuse = () => false;
    const again = await runJob(settingsFor(output), { log: quiet(), stop: new StopController() });
    expect(again).toMatchObject({ exitCode: 0, status: 'already-done' });
  });

  it("the partial output's fsync refused: exit 74 naming it, the figures those of the last checkpoint, and the next run ends byte for byte as a run never refused", async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `${i},${i % 2 ? 'a fine' : 'an awful'} review number ${i}`);
    writeFileSync(path.join(dir, 'in.csv'), `id,text\n${rows.join('\n')}\n`);
    const clean = path.join(dir, 'clean.csv');
    expect((await runJob(settingsFor(clean), { log: quiet(), stop: new StopController() })).exitCode).toBe(0);
    const output = path.join(dir, 'out.csv');
    const partial = `${output}.partial`;
    let syncs = 0;
    // The third fsync of the partial output (two checkpoints made) fails, as a failing disk's does.
    disk.refuseFile = (file) => file === partial && ++syncs === 3;
    const settings = { ...settingsFor(output), checkpointIntervalMs: 1 };
    const error = await runJob(settings, { log: quiet(), stop: new StopController() }).catch((e: unknown) => e);
    // As the command words it for a job with a checkpoint to continue from (score.ts: jobAdvice).
    expect(machineFaultOf(error, jobAdvice(true))?.message).toMatch(new RegExp(`^input/output error on the device holding ${escaped(partial)}: check the disk or volume, then run the same command again \\(it continues from the checkpoint\\)`));
    const checkpoint = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Checkpoint;
    expect(checkpoint.completed).toBe(false);
    expect(checkpoint.position.nextIndex).toBeGreaterThan(0);
    // What the run says it saved is what the checkpoint holds, no more.
    expect(runFiguresOf(error)?.totals).toEqual(checkpoint.totals);
    disk.refuseFile = () => false;
    expect((await runJob(settings, { log: quiet(), stop: new StopController() })).exitCode).toBe(0);
    expect(readFileSync(output).equals(readFileSync(clean))).toBe(true);
  });
});
