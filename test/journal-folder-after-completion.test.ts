import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULTS, type JobSettings } from '../src/config/options.js';
import { ScoringError } from '../src/errors.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { createLogger } from '../src/log.js';
import { toScores, type Scorer } from '../src/scoring/scorer.js';
import { tempDir } from './support/cli.js';

/** A logger that keeps the warnings it is given (JSON lines) in `warnings`. */
function warningsLogger(warnings: string[]) {
  return createLogger('warn', new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) warnings.push((JSON.parse(line) as { msg: string }).msg);
      done();
    },
  }));
}

/** A remote scorer: the texts with "odd" fail with a 500 while `failing`; `onOdd` runs when one is scored. */
function remoteScorer(failing: boolean, onOdd: () => void = () => {}): Scorer {
  return {
    modelId: 'workers-ai:test',
    endpoint: 'http://127.0.0.1:9/test',
    remote: true,
    score: async (text: string) => {
      if (text.includes('odd')) {
        if (failing) throw new ScoringError('retry', 'http_500', 'server error', { status: 500 });
        onOdd();
      }
      return toScores(0.7, 0.3);
    },
    close: async () => {},
  };
}

/**
 * A folder made at the answer journal's path while a run or a mend works (a copy or a restore gone wrong): the output
 * is complete by the time the journal is removed (renamed, or the mended copy renamed over it), and nothing needs that
 * journal any more (completed-job-files.ts removeLeftoverJournal): a warning, the run done, as the same refusal
 * removing the answers store is. It was exit 74 'Stopped:' with the output complete (and before that said nothing of
 * the output).
 */
describe('a folder at the journal\'s path when the journal of a complete output is removed', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const rows = (count: number) => Array.from({ length: count }, (_, i) => `${i + 1},${i === 1 ? 'odd' : 'fine'} review ${i + 1}`).join('\n');
  const settingsFor = (output: string, extra: Partial<JobSettings> = {}): JobSettings => ({
    ...DEFAULTS,
    input: path.join(dir, 'in.csv'),
    output,
    backend: 'workers-ai',
    progress: 'off',
    maxAttempts: 1,
    ...extra,
  });
  let warnings: string[];
  beforeEach(() => (warnings = []));
  const run = (settings: JobSettings, scorer: Scorer) => runJob(settings, { log: warningsLogger(warnings), stop: new StopController(), createScorer: () => scorer });
  /** Replaces the journal by a folder, while the mend scores the row it lists. */
  const folderAtJournal = (output: string) => () => {
    rmSync(`${output}.journal`, { force: true });
    mkdirSync(`${output}.journal`);
  };
  /** Done, exit 0, the output complete, the folder left where it is and named by one warning. */
  const expectWarned = (summary: { exitCode: number; totals: { read: number } }, output: string) => {
    expect(summary).toMatchObject({ exitCode: 0, totals: { read: 12 } });
    expect(existsSync(output)).toBe(true);
    expect(statSync(`${output}.journal`).isDirectory()).toBe(true);
    expect(warnings).toEqual([
      `${output}.journal is a folder where the answer journal was, which the complete job no longer needs: the output is complete; move or remove that folder (it is never removed for you): another job at this output cannot keep its answers there`,
    ]);
  };

  it('a run that completes the output', async () => {
    writeFileSync(path.join(dir, 'in.csv'), `id,text\n${rows(12)}\n`);
    const output = path.join(dir, 'out.csv');
    expectWarned(await run(settingsFor(output), remoteScorer(false, folderAtJournal(output))), output);
  });

  it('a rerun of a completed job that mends its failed rows', async () => {
    writeFileSync(path.join(dir, 'in.csv'), `id,text\n${rows(12)}\n`);
    const output = path.join(dir, 'out.csv');
    const first = await run(settingsFor(output), remoteScorer(true));
    expect(first.totals.failed).toBe(1);
    expect(existsSync(output)).toBe(true);
    expectWarned(await run(settingsFor(output), remoteScorer(false, folderAtJournal(output))), output);
  });

  // It said nothing: the rerun's rm(…, { force: true }) failed on the folder and was ignored, where the answers store's
  // refusal warned (removeLeftoverAnswers). A journal file left by a killed run is still removed without a word.
  it('a rerun that finds the job already done: the same warning; a journal file left there is removed', async () => {
    writeFileSync(path.join(dir, 'in.csv'), `id,text\n${rows(12)}\n`);
    const output = path.join(dir, 'out.csv');
    expect((await run(settingsFor(output), remoteScorer(false))).exitCode).toBe(0);
    writeFileSync(`${output}.journal`, 'left by a run killed before it removed it\n');
    expect(await run(settingsFor(output), remoteScorer(false))).toMatchObject({ status: 'already-done', exitCode: 0 });
    expect(existsSync(`${output}.journal`)).toBe(false);
    expect(warnings).toEqual([]);
    mkdirSync(`${output}.journal`);
    const again = await run(settingsFor(output), remoteScorer(false));
    expect(again.status).toBe('already-done');
    expectWarned(again, output);
  });

  it('a resumed run that completes the output, then mends the rows an earlier run left failed', async () => {
    writeFileSync(path.join(dir, 'in.csv'), `id,text\n${rows(12)}\n`);
    const output = path.join(dir, 'out.csv');
    const first = await run(settingsFor(output, { maxRequests: 5 }), remoteScorer(true));
    expect(first.exitCode).toBe(75);
    expect(existsSync(`${output}.partial`)).toBe(true);
    expectWarned(await run(settingsFor(output), remoteScorer(false, folderAtJournal(output))), output);
  });
});
