import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { keepDroppedAnswers } from '../src/job/kept-answers.js';
import { useTempDir } from './support/e2e-dir.js';
import { captureLog } from './support/capture-log.js';
import { writePartialOutput } from './support/partial-output.js';

// Enough rows that the partial output is read in several chunks and the store flushed several times: the ticks fall
// between them (about 0.1 ms a row: 2,000 rows take about a fifth of a second).
const ROWS = 2000;

/**
 * Keeping a dropped job's answers (kept-answers.ts) takes about 100 s a million rows; the run logged nothing meanwhile.
 * It shows its progress as the run shows its own: `progress` log lines (every 5 s; here every millisecond).
 */
describe('the progress of keeping an unfinished job\'s answers', () => {
  const dir = useTempDir();

  it('is logged as progress lines, first while the partial output is checked, then while its answers are put in the store', async () => {
    const partialPath = dir.path('out.csv.partial');
    const { checkpoint } = writePartialOutput(partialPath, 'csv', Array.from({ length: ROWS }, () => ({ kind: 'scored', label: 'POSITIVE', positive: 0.75, negative: 0.25, truncated: false })));
    const { log, lines } = captureLog('info');
    const notTerminal = Object.assign(new Writable({ write: (_chunk, _encoding, done) => done() }), { isTTY: false }) as unknown as NodeJS.WriteStream;
    const storePath = dir.path('out.csv.answers');
    const said = await keepDroppedAnswers({
      checkpoint,
      partialPath,
      outputPath: dir.path('out.csv'),
      journalPath: dir.path('out.csv.journal'),
      storePath,
      modelKey: 'm',
      window: { fitToWindow: (text) => ({ text, truncated: false, tokens: 1 }) },
      progress: { mode: 'auto', log, stream: notTerminal, everyMs: 1 },
    });
    log.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(said).toContain(`(2,000 texts in ${storePath})`);
    const progress = lines().filter((line) => line.msg === 'progress');
    const steps = new Set(progress.map((line) => line.step));
    expect(steps).toEqual(new Set(['keeping the answers of the unfinished job: checking its partial output', 'keeping the answers of the unfinished job: putting them in the store']));
    for (const line of progress) {
      expect(line).toMatchObject({ of: ROWS, answers: expect.any(Number), percent: expect.any(Number), answersPerSecond: expect.any(Number) });
      expect(line.answers as number).toBeLessThanOrEqual(ROWS);
    }
    // No tick is left running once the import is through.
    const count = lines().length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines().length).toBe(count);
  });

  it('of a completed job, reads its output (not a partial output) and says so', async () => {
    // Before, a completed job's answers were never kept: the model put back after a typo paid for every row again.
    const outputPath = dir.path('done.csv');
    const { checkpoint } = writePartialOutput(outputPath, 'csv', Array.from({ length: ROWS }, () => ({ kind: 'scored', label: 'POSITIVE', positive: 0.75, negative: 0.25, truncated: false })));
    const { log, lines } = captureLog('info');
    const notTerminal = Object.assign(new Writable({ write: (_chunk, _encoding, done) => done() }), { isTTY: false }) as unknown as NodeJS.WriteStream;
    const storePath = dir.path('done.csv.answers');
    const said = await keepDroppedAnswers({
      checkpoint: { ...checkpoint, completed: true },
      partialPath: dir.path('done.csv.partial'),
      outputPath,
      journalPath: dir.path('done.csv.journal'),
      storePath,
      modelKey: 'm',
      window: { fitToWindow: (text) => ({ text, truncated: false, tokens: 1 }) },
      progress: { mode: 'auto', log, stream: notTerminal, everyMs: 1 },
    });
    log.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(said).toBe(`; the answers of its output are kept for this job (2,000 texts in ${storePath}): a text among them is not sent again`);
    const steps = new Set(lines().filter((line) => line.msg === 'progress').map((line) => line.step));
    expect(steps).toEqual(new Set(['keeping the answers of the completed job: checking its output', 'keeping the answers of the completed job: putting them in the store']));
  });
});
