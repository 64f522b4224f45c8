import path from 'node:path';
import { Writable } from 'node:stream';
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULTS, type JobSettings } from '../src/config/options.js';
import { ScoringError } from '../src/errors.js';
import { runJob } from '../src/job/run.js';
import { secondSignalWords, signalLine } from '../src/job/signal-line.js';
import { StopController } from '../src/job/stop.js';
import { createLogger } from '../src/log.js';
import { toScores, type Scorer } from '../src/scoring/scorer.js';
import { tempDir } from './support/cli.js';

/** A remote scorer whose texts holding 'odd' fail with a 500 while `failing` says so; `onScore` sees each request. */
function remoteScorer(failing: () => boolean, onScore: () => void = () => undefined): Scorer {
  return {
    modelId: 'workers-ai:test',
    endpoint: 'http://127.0.0.1:9/test',
    remote: true,
    score: async (text: string) => {
      onScore();
      if (failing() && text.includes('odd')) throw new ScoringError('retry', 'http_500', 'server error', { status: 500 });
      return toScores(0.7, 0.3);
    },
    close: async () => {},
  };
}

/** A logger that hands each message to `onLine` as it is written (the state of the run at that moment). */
const watchingLog = (onLine: (msg: string) => void) =>
  createLogger('info', new Writable({ write: (chunk, _encoding, done) => void (String(chunk).split('\n').filter(Boolean).forEach((line) => onLine((JSON.parse(line) as { msg: string }).msg)), done()) }));

/**
 * A SIGTERM while a completed job was run again logged "stopping: finishing requests in flight, then saving the
 * checkpoint", then "already done" (exit 0): nothing had been in flight, and nothing was saved (seen with the CLI on a
 * 600,000-row job, the signal 1 s into its rerun). Until its mend sends, such a rerun has nothing in flight or to save.
 */
describe('the line a signal logs during the rerun of a completed job', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('says nothing is in flight or to save while it checks the job; once its mend sends, that it finishes and saves', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,text\n1,fine one\n2,odd two\n3,fine three\n4,odd four\n');
    const settingsFor = (output: string): JobSettings => ({ ...DEFAULTS, input, output, backend: 'workers-ai', progress: 'off', maxAttempts: 1, maxErrorRate: 1 });
    const quiet = watchingLog(() => undefined);

    // Already done: the line, and a second signal's words, while it says so.
    const done = path.join(dir, 'done.csv');
    expect((await runJob(settingsFor(done), { log: quiet, stop: new StopController(), createScorer: () => remoteScorer(() => false) })).exitCode).toBe(0);
    const doneStop = new StopController();
    const atDone: string[] = [];
    const rerun = await runJob(settingsFor(done), {
      stop: doneStop,
      log: watchingLog((msg) => msg.startsWith('already done') && atDone.push(signalLine(doneStop, true), secondSignalWords(doneStop, 'SIGTERM'))),
      createScorer: () => remoteScorer(() => false),
    });
    expect(rerun.status).toBe('already-done');
    expect(atDone).toEqual([
      'stopping: this rerun of a completed job has sent nothing and written nothing, so nothing is in flight and there is nothing to save',
      'second SIGTERM: exited at once, before this rerun of the completed job sent or wrote anything',
    ]);

    // A mend: once it sends, the requests in flight are finished and the requests paid saved in the checkpoint.
    const mended = path.join(dir, 'mended.csv');
    let outage = true;
    expect((await runJob(settingsFor(mended), { log: quiet, stop: new StopController(), createScorer: () => remoteScorer(() => outage) })).totals.failed).toBe(2);
    outage = false;
    const mendStop = new StopController();
    const whileSending: string[] = [];
    const mend = await runJob(settingsFor(mended), { log: quiet, stop: mendStop, createScorer: () => remoteScorer(() => outage, () => whileSending.push(signalLine(mendStop, true))) });
    expect(mend.mended).toBe(2);
    expect(whileSending).toEqual(['stopping: finishing requests in flight, then saving the checkpoint', 'stopping: finishing requests in flight, then saving the checkpoint']);
  });
});
