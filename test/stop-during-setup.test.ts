import { existsSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scoreCommand, type CommandIo } from '../src/commands/score.js';
import { DEFAULTS, type JobSettings } from '../src/config/options.js';
import { ExitCode, SentimentBatchError } from '../src/errors.js';
import { runJob } from '../src/job/run.js';
import { signalLine } from '../src/job/signal-line.js';
import { StopController } from '../src/job/stop.js';
import { failureSummary } from '../src/job/summary-file.js';
import { toScores, type Scorer } from '../src/scoring/scorer.js';
import { tempDir } from './support/cli.js';
import { silentRedis } from './support/redis.js';
import { quiet } from './support/counting-remote.js';

/**
 * A signal that came while the job was still setting up (the model, the tokenizer, the result cache: seconds on a
 * loaded machine or a container held to 100m of CPU) was acted on only once the setup was through and the output
 * opened: the docker stop soak (`npm run bench -- docker-stop-soak`) saw "stopping: finishing requests in flight"
 * logged, then 2 s more of setup with no request in flight, and `docker stop -t 2` ended the container with SIGKILL
 * (137: no summary, the lock left behind for the next container to wait out for 30 s).
 */
describe('a signal while the job sets up', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('ends the run there, exit 130, before the rest of the setup and before anything is written', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    const cacheDir = path.join(dir, 'cache');
    writeFileSync(input, 'id,text\n1,good one\n2,bad two\n');
    const stop = new StopController();
    let scored = 0;
    let closed = false;
    // The signal comes as the scorer is being made (the embedded model loading, Workers AI's client being imported).
    const createScorer = (): Scorer => {
      stop.request({ kind: 'interrupt', signal: 'SIGTERM' });
      return {
        modelId: 'test:remote',
        remote: true,
        score: async () => {
          scored += 1;
          return toScores(0.9, 0.1);
        },
        close: async () => void (closed = true),
      };
    };
    const settings: JobSettings = { ...DEFAULTS, input, output, cache: cacheDir, progress: 'off' };
    const ended = await runJob(settings, { log: quiet(), stop, createScorer }).then(
      (summary) => ({ resolved: summary.status, exitCode: summary.exitCode }),
      (error: unknown) => ({ rejected: error instanceof SentimentBatchError ? error.code : String(error), exitCode: (error as SentimentBatchError).exitCode }),
    );
    // Was: the setup went on (tokenizer, cache opened), the output was opened and checkpointed, then "rows 0".
    expect(ended).toEqual({ rejected: 'interrupted', exitCode: ExitCode.Interrupted });
    expect({ cache: existsSync(cacheDir), partial: existsSync(`${output}.partial`), checkpoint: existsSync(`${output}.checkpoint.json`), lock: existsSync(`${output}.lock`) }).toEqual({ cache: false, partial: false, checkpoint: false, lock: false });
    expect({ scored, closed }).toEqual({ scored: 0, closed: true });
  });

  // A signal that came while a step ran without yielding (the tokenizer's load is synchronous: ~1 s on a loaded machine)
  // was handled only at the first wait after the setup: the CLI logged "stopping: finishing requests in flight, then
  // saving the checkpoint" and wrote the partial output, its checkpoint and journal (SIGTERM 0.4 s after "scoring with
  // Workers AI"); a completed job's rerun logged that line too. The setup's end now lets such a signal be handled first.
  it('a signal handled only once a step that does not yield is over: still a stop in the setup, nothing written', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, 'id,text\n1,good one\n2,bad two\n');
    const stop = new StopController();
    // A real signal (SIGUSR2, this file's own), sent while the step holds the thread: its handler runs once the event
    // loop reads it, as the CLI's SIGTERM handler does.
    const onSignal = (): void => stop.request({ kind: 'interrupt', signal: 'SIGTERM' });
    process.on('SIGUSR2', onSignal);
    const createScorer = (): Scorer => {
      process.kill(process.pid, 'SIGUSR2');
      for (const until = Date.now() + 50; Date.now() < until; );
      return { modelId: 'test:local', remote: false, score: async () => toScores(0.9, 0.1), close: async () => {} };
    };
    const ended = await runJob({ ...DEFAULTS, input, output, progress: 'off' }, { log: quiet(), stop, createScorer })
      .then(
        (summary) => ({ resolved: summary.status }),
        (error: unknown) => ({ rejected: error instanceof SentimentBatchError ? error.code : String(error), exitCode: (error as SentimentBatchError).exitCode }),
      )
      .finally(() => process.removeListener('SIGUSR2', onSignal));
    expect(ended).toEqual({ rejected: 'interrupted', exitCode: ExitCode.Interrupted });
    expect({ partial: existsSync(`${output}.partial`), checkpoint: existsSync(`${output}.checkpoint.json`), lock: existsSync(`${output}.lock`) }).toEqual({ partial: false, checkpoint: false, lock: false });
  });

  /**
   * runJob with --redis at a port that takes the connection and never answers, a SIGTERM requested as the job connects
   * (`atSignal` runs just before it): how the run ended.
   */
  async function stopWhileRedisSilent(output: string, atSignal: (stop: StopController) => void = () => undefined): Promise<{ resolved?: string; rejected?: string; exitCode?: number }> {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,text\n1,good one\n2,bad two\n');
    const silent = await silentRedis();
    try {
      const stop = new StopController();
      void silent.connected.then(() => {
        atSignal(stop);
        stop.request({ kind: 'interrupt', signal: 'SIGTERM' });
      });
      const createScorer = (): Scorer => ({ modelId: 'test:remote', remote: true, score: async () => toScores(0.9, 0.1), close: async () => {} });
      const settings: JobSettings = { ...DEFAULTS, input, output, redis: silent.url, accountId: 'acct', progress: 'off' };
      return await runJob(settings, { log: quiet(), stop, createScorer }).then(
        (summary) => ({ resolved: summary.status }),
        (error: unknown) => ({ rejected: error instanceof SentimentBatchError ? error.code : String(error), exitCode: (error as SentimentBatchError).exitCode }),
      );
    } finally {
      await silent.close();
    }
  }

  // The wait for a --redis that never answers (5 s) is part of the setup: a signal then waited it out and ended exit 2,
  // "cannot reach Redis", where `docker stop -t 2` had already killed it (137, no summary, the lock left behind).
  it('a signal while it waits for a Redis that never answers: ends the wait and the run there, exit 130', async () => {
    const output = path.join(dir, 'out.csv');
    expect(await stopWhileRedisSilent(output)).toEqual({ rejected: 'interrupted', exitCode: ExitCode.Interrupted });
    expect({ partial: existsSync(`${output}.partial`), checkpoint: existsSync(`${output}.checkpoint.json`), lock: existsSync(`${output}.lock`) }).toEqual({ partial: false, checkpoint: false, lock: false });
  });

  // With a completed output at its path the wait was left to run out (its rerun acts on a stop itself, but only
  // after the setup): 5 s after the signal, exit 2 on "cannot reach Redis".
  it('so too with an output at its path (a completed job\'s rerun): exit 130, not the Redis error once the wait ran out', async () => {
    const output = path.join(dir, 'out.csv');
    writeFileSync(output, 'id,text,sentiment\n');
    expect(await stopWhileRedisSilent(output)).toEqual({ rejected: 'interrupted', exitCode: ExitCode.Interrupted });
  });

  // With an output at its path a signal in the setup is left to the rerun (job already done: exit 0), and its line says
  // so; but not while a step that waits runs (the Redis behind --redis): the signal ends the run there, exit 130.
  it('with an output at its path, a signal while it waits for a Redis that never answers: the line of a stop in the setup, exit 130', async () => {
    const output = path.join(dir, 'out.csv');
    writeFileSync(output, 'id,text,sentiment\n');
    const lines: string[] = [];
    expect(await stopWhileRedisSilent(output, (stop) => lines.push(signalLine(stop, true, output)))).toEqual({ rejected: 'interrupted', exitCode: ExitCode.Interrupted });
    expect(lines).toEqual(['stopping while the job still sets up: nothing has been sent or written, so there is no checkpoint to save']);
    // Once that step is over, the same signal would be left to the rerun, and its line says so.
    expect(signalLine(Object.assign(new StopController(), { waitingInSetup: false }), true, output)).toMatch(/^stopping once the job has set up \(its output is at its path/);
  });

  it('not for a job whose output is complete at its path: its rerun acts on the stop and says the output is whole', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, 'id,text\n1,good one\n2,bad two\n');
    writeFileSync(output, 'id,text,sentiment\n');
    const stop = new StopController();
    const createScorer = (): Scorer => {
      stop.request({ kind: 'interrupt', signal: 'SIGTERM' });
      return { modelId: 'test:remote', remote: true, score: async () => toScores(0.9, 0.1), close: async () => {} };
    };
    const summary = await runJob({ ...DEFAULTS, input, output, progress: 'off' }, { log: quiet(), stop, createScorer });
    expect({ status: summary.status, exitCode: summary.exitCode }).toEqual({ status: 'interrupted', exitCode: ExitCode.Interrupted });
  });

  // A SIGTERM while the job set up logged "stopping: finishing requests in flight, then saving the checkpoint", then
  // ended with "stopped by SIGTERM before any work began": no request had been sent, and no checkpoint was saved.
  it('the line a signal logs while the job sets up says nothing is in flight or saved; once the rows are scored, that the checkpoint is saved', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, 'id,text\n1,good one\n2,bad two\n');
    const stop = new StopController();
    const lines: string[] = [];
    const createScorer = (): Scorer => {
      lines.push(signalLine(stop, true));
      return {
        modelId: 'test:local',
        remote: false,
        score: async () => {
          lines.push(signalLine(stop, true));
          return toScores(0.9, 0.1);
        },
        close: async () => {},
      };
    };
    await runJob({ ...DEFAULTS, input, output, progress: 'off' }, { log: quiet(), stop, createScorer });
    expect(lines).toEqual([
      'stopping while the job still sets up: nothing has been sent or written, so there is no checkpoint to save',
      'stopping: finishing the rows being scored, then saving the checkpoint',
      'stopping: finishing the rows being scored, then saving the checkpoint',
    ]);
  });

  // A second signal while the job set up left "without waiting for the requests in flight; the last checkpoint is
  // kept" in --summary-json: none was in flight, and a first run has no checkpoint.
  it('a second signal while it sets up: --summary-json says nothing was sent or written', async () => {
    const input = path.join(dir, 'in.csv');
    const summaryJson = path.join(dir, 'summary.json');
    writeFileSync(input, 'id,text\n1,good one\n2,bad two\n');
    let written: unknown;
    const io: CommandIo = {
      stdout: new Writable({ write: (_chunk, _encoding, done) => done() }),
      env: {},
      onSignal: () => () => undefined,
      // Registered before the job starts: as a second signal in its setup, its words are said at once.
      onSecondSignal: (words) => {
        words('SIGTERM');
        written = JSON.parse(readFileSync(summaryJson, 'utf8'));
        return () => undefined;
      },
    };
    await scoreCommand('score', [input, '-o', path.join(dir, 'out.csv'), '--backend', 'embedded', '--log-level', 'silent', '--summary-json', summaryJson], io).catch(() => undefined);
    expect(written).toMatchObject({ status: 'interrupted', exitCode: ExitCode.Interrupted, message: 'second SIGTERM: exited at once, before the job began: nothing was sent or written' });
  });

  it('its --summary-json says interrupted, as a signal before the job began does', () => {
    const summary = failureSummary(new SentimentBatchError('interrupted', 'stopped by SIGTERM before any work began'), 'in.csv');
    expect(summary).toMatchObject({ status: 'interrupted', exitCode: ExitCode.Interrupted, message: 'stopped by SIGTERM before any work began' });
  });
});
