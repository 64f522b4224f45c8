import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULTS } from '../src/config/options.js';
import { MachineFaultError } from '../src/errors.js';
import { inputIdentity } from '../src/io/open-input.js';
import type { Checkpoint } from '../src/state/checkpoint.js';
import { lockFaultBeside, LocklessRun } from '../src/job/lockless-done.js';
import { decideStart } from '../src/job/resume.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { captureLog } from './support/capture-log.js';
import { tempDir } from './support/cli.js';
import { TestScorer } from './support/test-scorer.js';

/** While set, taking the output's lock fails with it, as a folder that takes no writes makes it fail. */
const lockRefusal = vi.hoisted(() => ({ error: undefined as Error | undefined }));
vi.mock('../src/state/output-lock.js', async (original) => {
  const real = await original<typeof import('../src/state/output-lock.js')>();
  return { ...real, lockOutput: (...args: Parameters<typeof real.lockOutput>) => (lockRefusal.error ? Promise.reject(lockRefusal.error) : real.lockOutput(...args)) };
});

/** What taking the lock met in a folder mounted read-only (proper-lockfile's mkdir). */
const readOnly = (output: string) => Object.assign(new Error(`EROFS: read-only file system, mkdir '${output}.lock'`), { code: 'EROFS', syscall: 'mkdir', path: `${output}.lock` });

/**
 * A run that could not take the output's lock (a read-only folder, a full disk) goes on without it to the point
 * where it knows how it starts, then is refused before its first write (lockless-done.ts).
 */
describe('a run without the output lock', () => {
  let dir: string;
  let cleanup: () => void;
  let input: string;
  let output: string;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    input = path.join(dir, 'in.csv');
    output = path.join(dir, 'out.csv');
    writeFileSync(input, 'id,text\n1,good one\n2,bad two\n');
    // A completed job: its checkpoint is what a run with other settings would replace.
    await runJob({ ...DEFAULTS, input, output, progress: 'off' }, { log: captureLog('info').log, stop: new StopController(), createScorer: () => new TestScorer() });
  });
  afterEach(() => cleanup());

  const decide = async (withoutLock: boolean) => {
    const { log, messages } = captureLog('info');
    const decision = await decideStart({
      checkpointPath: `${output}.checkpoint.json`,
      partialPath: `${output}.partial`,
      outputPath: output,
      inputPath: input,
      identity: await inputIdentity(input),
      settingsHash: 'other settings (another --prefix)',
      restart: false,
      require: undefined,
      withoutLock,
      log,
    });
    return { decision, lines: messages() };
  };

  // It logged "… differ from the checkpoint's: starting over", then ended exit 74 having started nothing over.
  it('announces no start over; its refusal says the folder is the fault, why it would start over, and that the checkpoint is as it was', async () => {
    const locked = await decide(false);
    expect(locked.lines).toEqual([expect.stringMatching(/differ from the checkpoint's: starting over$/)]);
    const { decision, lines } = await decide(true);
    expect(lines).toEqual([]);
    expect(decision).toEqual({ kind: 'fresh', why: expect.stringMatching(/^the settings that shape the output .* differ from the checkpoint's$/) });

    const lockless = LocklessRun.orThrow(readOnly(output), { input, output, restart: false });
    let refusal: unknown;
    try {
      lockless.decided(decision);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(MachineFaultError);
    expect((refusal as Error).message).toBe(
      `the folder ${dir} is on a read-only filesystem: mount it writable or write elsewhere (-o), then run the same command again ` +
        `(it starts over, as ${decision.kind === 'fresh' ? decision.why : ''}; this run wrote nothing: the checkpoint is as it was)`,
    );
  });

  // An error before that point (an input refused, a Redis that never answered) was the only line: the operator fixed
  // it, and the next run met the read-only folder.
  it('an error that ends it before it knows how it starts: the lock fault is logged too, once; never after it was thrown', async () => {
    const { log, messages, lines } = captureLog('info');
    const lockless = LocklessRun.orThrow(readOnly(output), { input, output, restart: false });
    const ended = new Error('the input error that ended the run');
    await lockless.sayIfUnsaid(log, ended);
    await lockless.sayIfUnsaid(log, ended);
    // An error (50): a fault the next run fails on, seen under --log-level error too.
    expect(lines().map((line) => line.level)).toEqual([50]);
    const said =
      `the output's lock could not be taken, which the next run needs unless it finds the job already done (that writes nothing): ` +
      `the folder ${dir} is on a read-only filesystem: mount it writable or write elsewhere (-o), then run the same command again`;
    expect(messages()).toEqual([`besides what ends this run (below), ${said}`]);
    // --summary-json carries it beside the error's message (commands/score.ts: `warning`).
    expect(lockFaultBeside(ended)).toBe(said);

    const thrown = captureLog('info');
    const refused = LocklessRun.orThrow(readOnly(output), { input, output, restart: false });
    expect(() => refused.refuseWrite(true)).toThrow(MachineFaultError);
    const other = new Error('an error after the refusal');
    await refused.sayIfUnsaid(thrown.log, other);
    expect(thrown.messages()).toEqual([]);
    expect(lockFaultBeside(other)).toBeUndefined();
  });

  // "Unless it finds the job already done" was said for any checkpoint: an unfinished job's (the next run resumes it,
  // writing), a completed one with rows to mend (it mends them, writing). Only a completed job with none may be done.
  it('the lock fault said beside an error hedges "unless it finds the job already done" only for a completed job with no row to mend', async () => {
    const hedge = /which the next run needs unless it finds the job already done \(that writes nothing\): /;
    const said = async (): Promise<string[]> => {
      const { log, messages } = captureLog('info');
      await LocklessRun.orThrow(readOnly(output), { input, output, restart: false }).sayIfUnsaid(log, new Error('ended'));
      return messages();
    };
    const checkpointPath = `${output}.checkpoint.json`;
    const completed = JSON.parse(readFileSync(checkpointPath, 'utf8')) as Record<string, unknown>;
    expect(await said()).toEqual([expect.stringMatching(hedge)]);
    for (const changed of [{ completed: false }, { listedFailures: 3 }]) {
      writeFileSync(checkpointPath, JSON.stringify({ ...completed, ...changed }));
      expect(await said()).toEqual([expect.stringMatching(/^besides what ends this run \(below\), the output's lock could not be taken, which the next run needs: the folder /)]);
    }
  });

  // A disk too full for the lock refuses a completed job's rerun at once (it must write to mend): its line said only
  // "it continues from the checkpoint" where the next run scores again the rows the checkpoint lists.
  it('a full disk, a completed job with listed rows: the line says which rows the next run scores again', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', path: `${output}.lock` });
    const checkpoint = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Checkpoint;
    const refusal = (listedFailures: number): string => {
      try {
        LocklessRun.orThrow(full, { input, output, restart: false }).decided({ kind: 'done', checkpoint: { ...checkpoint, listedFailures } });
      } catch (error) {
        return (error as Error).message;
      }
      return 'not refused';
    };
    expect(refusal(2)).toBe(
      `no space left on the device holding ${output}.lock: free some space, then run the same command again ` +
        '(it scores again just the 2 rows that failed transiently; this run sent nothing and wrote nothing: the output and the checkpoint are as they were)' +
        '; or write elsewhere (-o) to start afresh, scoring every row again (on Workers AI, paid again unless --cache holds its answer)',
    );
    expect(refusal(0)).toMatch(/then run the same command again \(it continues from the checkpoint\); or write elsewhere \(-o\) to start afresh, scoring every row again \(on Workers AI, paid again unless --cache holds its answer\)$/);
  });

  // A completed job of another input (the nightly routine) keeps the answers its journal holds (kept-answers.ts
  // keepJournalAnswers): not without the lock, which writes nothing, the store included.
  it("a completed job of another input: its journal's answers are not kept without the lock", async () => {
    const { settingsHash } = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Checkpoint;
    writeFileSync(input, 'id,text\n1,another night\n2,another export\n3,grown\n');
    const asked: boolean[] = [];
    const decideNew = async (withoutLock: boolean) => {
      const { log } = captureLog('info');
      return decideStart({
        checkpointPath: `${output}.checkpoint.json`,
        partialPath: `${output}.partial`,
        outputPath: output,
        inputPath: input,
        identity: await inputIdentity(input),
        settingsHash,
        restart: false,
        require: undefined,
        withoutLock,
        keepJournal: async () => (asked.push(withoutLock), '; KEPT'),
        log,
      });
    };
    expect(await decideNew(false)).toMatchObject({ kind: 'fresh' });
    expect(asked).toEqual([false]);
    expect(await decideNew(true)).toMatchObject({ kind: 'fresh' });
    expect(asked).toEqual([false]);
  });

  // The same through runJob, the lock refused as a read-only folder refuses it.
  it('runJob: another prefix is refused with that line and no "starting over"; an input error logs the lock fault once, then is the error', async () => {
    lockRefusal.error = readOnly(output);
    try {
      const other = captureLog('info');
      const refused = await runJob({ ...DEFAULTS, input, output, prefix: 'other', progress: 'off' }, { log: other.log, stop: new StopController(), createScorer: () => new TestScorer() }).catch((error: unknown) => error);
      expect((refused as Error).message).toMatch(/read-only filesystem: .*\(it starts over, as the settings that shape the output .* differ from the checkpoint's \(prefix: 'sentiment' then, 'other' now\); this run wrote nothing: the checkpoint is as it was\)$/);
      expect(other.messages().filter((line) => /starting over|read-only/.test(line))).toEqual([]);

      const early = captureLog('info');
      const failed = await runJob({ ...DEFAULTS, input, output, text: ['nope'], progress: 'off' }, { log: early.log, stop: new StopController(), createScorer: () => new TestScorer() }).catch((error: unknown) => error);
      expect((failed as Error).message).toMatch(/'nope' is not in the header/);
      expect(early.messages().filter((line) => line.includes('read-only filesystem'))).toEqual([expect.stringMatching(/^besides what ends this run \(below\), the output's lock could not be taken/)]);
    } finally {
      lockRefusal.error = undefined;
    }
  });
});
