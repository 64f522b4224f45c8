import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockFaultOf } from '../src/state/lock-fault.js';
import { tempDir } from './support/cli.js';

const job = (output: string, restart = false) => ({ input: 'in.csv', output, restart });
const full = (file: string) => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', path: file });

/** What a fault taking the output's lock advises: "it continues from the checkpoint" only when there is one to continue from. */
describe('lockFaultOf', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('a checkpoint file: the same command continues from it', () => {
    const output = path.join(dir, 'o.csv');
    writeFileSync(`${output}.checkpoint.json`, '{}');
    expect((lockFaultOf(full(`${output}.lock`), job(output)) as Error).message).toMatch(/then run the same command again \(it continues from the checkpoint\); or write elsewhere \(-o\) to start afresh, scoring every row again \(on Workers AI, paid again unless --cache holds its answer\)$/);
  });

  it('--restart: the same command starts over, so no promise of continuing even with a checkpoint', () => {
    const output = path.join(dir, 'o.csv');
    writeFileSync(`${output}.checkpoint.json`, '{}');
    const message = (lockFaultOf(full(`${output}.lock`), job(output, true)) as Error).message;
    expect(message).toMatch(/then run the same command again$/);
    expect(message).not.toMatch(/checkpoint/);
  });

  // existsSync took the folder for a checkpoint: the line promised to continue from the very file that is broken.
  it('no checkpoint, or a folder at its path: no promise of continuing from it', () => {
    const output = path.join(dir, 'o.csv');
    expect((lockFaultOf(full(`${output}.lock`), job(output)) as Error).message).toMatch(/then run the same command again$/);
    mkdirSync(`${output}.checkpoint.json`);
    const message = (lockFaultOf(full(`${output}.lock`), job(output)) as Error).message;
    expect(message).toMatch(/then run the same command again$/);
    expect(message).not.toMatch(/checkpoint/);
  });
});

describe('lockFaultOf after the run compared its settings with the checkpoint', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  // job/lockless-done.ts: a run refused the lock goes on to the point where it knows whether it starts over.
  it('starting over (another prefix, a changed input): no promise, though a checkpoint is there', () => {
    const output = path.join(dir, 'o.csv');
    writeFileSync(`${output}.checkpoint.json`, '{}');
    const message = (lockFaultOf(full(`${output}.lock`), job(output), false) as Error).message;
    expect(message).toMatch(/then run the same command again$/);
    expect(message).not.toMatch(/checkpoint/);
  });
});

describe('lockFaultOf for a completed job whose listed rows would be mended', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  // It said only "it continues from the checkpoint", after a log line promising to score the rows again.
  it('says which rows the next run scores again, and that this one sent and wrote nothing', () => {
    const output = path.join(dir, 'o.csv');
    writeFileSync(`${output}.checkpoint.json`, '{}');
    expect((lockFaultOf(full(`${output}.lock`), job(output), true, { mends: 1 }) as Error).message).toMatch(
      /then run the same command again \(it scores again just the 1 row that failed transiently; this run sent nothing and wrote nothing: the output and the checkpoint are as they were\); or write elsewhere \(-o\) to start afresh, scoring every row again \(on Workers AI, paid again unless --cache holds its answer\)$/,
    );
    // Counted as the summary counts them ('1,501 rows failed transiently').
    expect((lockFaultOf(full(`${output}.lock`), job(output), true, { mends: 1501 }) as Error).message).toContain('(it scores again just the 1,501 rows that failed transiently;');
  });
});
