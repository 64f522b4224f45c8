import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULTS, type JobSettings } from '../src/config/options.js';
import { InputError } from '../src/errors.js';
import { runFiguresOf } from '../src/job/run-figures.js';
import { formatSummary, type Summary } from '../src/job/summary.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { toScores, type Scorer } from '../src/scoring/scorer.js';
import { tempDir } from './support/cli.js';
import { quiet } from './support/counting-remote.js';

// An export still being appended: its last row has no line ending yet when the run reads it, and the writer finishes
// it (` service\n`) before the next run. A checkpoint that stood after that row (a periodic one, or a stop's) passed
// the next run's comparison of the bytes read, failed the proof of its last row ("the input record at offset 38 ends at
// 54, not at the recorded offset 45: starting over") and the next run scored every row again.

const UNFINISHED = 'id,text\n1,good\n2,this product is fine\n3,awful';
const FINISHED = `${UNFINISHED} service\n`;

describe('a last row with no line ending that its writer then finishes', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  /** Runs the job on `input` with a scorer that counts the texts it scores and calls `onText` with each. */
  const runOn = (input: string, output: string, onText: (text: string, stop: StopController) => void = () => {}, remote = false) => {
    const stop = new StopController();
    const scorer: Scorer = {
      modelId: 'test:fixed',
      // A remote scorer's answers are kept in the journal (a local one has none): the summary then counts them.
      remote,
      score: async (text) => {
        scoredTexts.push(text);
        onText(text, stop);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return toScores(0.7, 0.3);
      },
      close: async () => {},
    };
    // A checkpoint after every row written: the periodic one stood after the unfinished row.
    const settings: JobSettings = { ...DEFAULTS, input, output, backend: 'embedded', progress: 'off', checkpointIntervalMs: 0 };
    return runJob(settings, { log: quiet(), stop, createScorer: () => scorer });
  };
  let scoredTexts: string[] = [];
  beforeEach(() => (scoredTexts = []));

  /** The output of one run over the finished file, for the byte comparison. */
  const finishedInOneGo = async (): Promise<string> => {
    const input = path.join(dir, 'whole.csv');
    writeFileSync(input, FINISHED);
    const output = path.join(dir, 'whole.scored.csv');
    expect((await runOn(input, output)).exitCode).toBe(0);
    return readFileSync(output, 'utf8');
  };

  it('finished while its answer was awaited (exit 3): the next run scores that row alone', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, UNFINISHED);
    const error = await runOn(input, output, (text) => text === 'awful' && appendFileSync(input, ' service\n')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/changed while it was being read \(it went from 45 to 54 bytes\)/);
    // All rows but the unfinished one are checkpointed and counted (item 2: not only those of the last periodic checkpoint).
    expect(runFiguresOf(error)?.totals.read).toBe(2);
    expect(runFiguresOf(error)?.run.notWritten).toBeUndefined();
    expect(runFiguresOf(error)?.unwritten?.rows).toBe(1);

    scoredTexts = [];
    const summary = await runOn(input, output);
    expect(summary.exitCode).toBe(0);
    expect(scoredTexts).toEqual(['awful service']);
    expect(summary.totals.read).toBe(3);
    expect(readFileSync(output, 'utf8')).toBe(await finishedInOneGo());
  });

  // Its summary said the answer was 'kept for the next run, which writes them without asking again': the row's text is
  // new once its writer finished it, so that run asks once (as it must).
  it('finished while its answer was awaited (exit 3), its answer in the journal: the summary says a row finished since is asked once', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, UNFINISHED);
    const error = await runOn(input, output, (text) => text === 'awful' && appendFileSync(input, ' service\n'), true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const figures = runFiguresOf(error) as Summary;
    expect(figures.unwritten).toEqual({ rows: 1, answered: 1, lastRowChanged: true });
    expect(formatSummary(figures)).toContain(
      '  read but not written: 1 row (the run stopped before their turn; 1 of them answered, kept for the next run, which writes them without asking again, but the last had no line ending when the input changed: if its writer has added to it since, its new text is asked once); the next run reads them again\n',
    );

    scoredTexts = [];
    const summary = await runOn(input, output, () => {}, true);
    expect(summary.exitCode).toBe(0);
    expect(scoredTexts).toEqual(['awful service']);
  });

  it('a stop (SIGTERM) while it was sent, then the writer finishes it: the next run scores that row alone', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, UNFINISHED);
    const stopped = await runOn(input, output, (text, stop) => text === 'awful' && stop.request({ kind: 'interrupt', signal: 'SIGTERM' }));
    expect(stopped.status).toBe('interrupted');
    expect(stopped.totals.read).toBe(2);
    appendFileSync(input, ' service\n');

    scoredTexts = [];
    const summary = await runOn(input, output);
    expect(summary.exitCode).toBe(0);
    expect(scoredTexts).toEqual(['awful service']);
    expect(readFileSync(output, 'utf8')).toBe(await finishedInOneGo());
  });

  it('a file that never changes, stopped the same way: the next run completes it byte for byte, scoring that row alone', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, UNFINISHED);
    const stopped = await runOn(input, output, (text, stop) => text === 'awful' && stop.request({ kind: 'interrupt', signal: 'SIGTERM' }));
    expect(stopped.totals.read).toBe(2);

    scoredTexts = [];
    const summary = await runOn(input, output);
    expect(summary.exitCode).toBe(0);
    expect(scoredTexts).toEqual(['awful']);
    const whole = path.join(dir, 'whole.csv');
    writeFileSync(whole, UNFINISHED);
    await runOn(whole, path.join(dir, 'whole.scored.csv'));
    expect(readFileSync(output, 'utf8')).toBe(readFileSync(path.join(dir, 'whole.scored.csv'), 'utf8'));
  });
});
