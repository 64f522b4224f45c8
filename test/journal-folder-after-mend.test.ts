import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULTS, type JobSettings } from '../src/config/options.js';
import { MachineFaultError, OutputKeptError, ScoringError } from '../src/errors.js';
import { runFiguresOf } from '../src/job/run-figures.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { createLogger } from '../src/log.js';
import { toScores, type Scorer } from '../src/scoring/scorer.js';
import { tempDir } from './support/cli.js';

const quiet = () => createLogger('silent', new Writable({ write: (_chunk, _encoding, done) => done() }));

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
 * A folder made at the answer journal's path just as a mend removes its journal (a copy or a restore gone wrong):
 * the output is complete by then (the mended copy renamed over it), and the failure must say so (`outputComplete`,
 * the run's figures), as the same refusal after a run's own rename does. It said nothing of the output.
 */
describe('a folder at the journal\'s path when a mend removes its journal', () => {
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
  const run = (settings: JobSettings, scorer: Scorer) => runJob(settings, { log: quiet(), stop: new StopController(), createScorer: () => scorer });
  /** Replaces the journal by a folder, while the mend scores the row it lists. */
  const folderAtJournal = (output: string) => () => {
    rmSync(`${output}.journal`, { force: true });
    mkdirSync(`${output}.journal`);
  };
  const expectKept = (error: unknown, output: string) => {
    expect(error).toBeInstanceOf(OutputKeptError);
    const cause = (error as OutputKeptError).cause;
    expect(cause).toBeInstanceOf(MachineFaultError);
    expect(runFiguresOf(cause)).toMatchObject({ outputComplete: true, totals: { read: 12 } });
    expect(existsSync(output)).toBe(true);
    expect(statSync(`${output}.journal`).isDirectory()).toBe(true);
  };

  it('a rerun of a completed job that mends its failed rows', async () => {
    writeFileSync(path.join(dir, 'in.csv'), `id,text\n${rows(12)}\n`);
    const output = path.join(dir, 'out.csv');
    const first = await run(settingsFor(output), remoteScorer(true));
    expect(first.totals.failed).toBe(1);
    expect(existsSync(output)).toBe(true);
    const error = await run(settingsFor(output), remoteScorer(false, folderAtJournal(output))).catch((e: unknown) => e);
    expectKept(error, output);
  });

  it('a resumed run that completes the output, then mends the rows an earlier run left failed', async () => {
    writeFileSync(path.join(dir, 'in.csv'), `id,text\n${rows(12)}\n`);
    const output = path.join(dir, 'out.csv');
    const first = await run(settingsFor(output, { maxRequests: 5 }), remoteScorer(true));
    expect(first.exitCode).toBe(75);
    expect(existsSync(`${output}.partial`)).toBe(true);
    const error = await run(settingsFor(output), remoteScorer(false, folderAtJournal(output))).catch((e: unknown) => e);
    expectKept(error, output);
  });
});
