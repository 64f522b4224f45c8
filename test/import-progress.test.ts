import { writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatCsvRecord } from '../src/io/csv-format.js';
import type { InputRecord } from '../src/io/record.js';
import { keepDroppedAnswers } from '../src/job/kept-answers.js';
import { createLogger } from '../src/log.js';
import { CHECKPOINT_VERSION, hashSettings, type Checkpoint, type OutputSettings } from '../src/state/checkpoint.js';
import { emptyTotals } from '../src/state/totals.js';
import { useTempDir } from './support/e2e-dir.js';

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
    const settings: OutputSettings = { format: 'csv', delimiter: ',', text: 'review', prefix: 'sentiment', modelId: 'm', longText: 'truncate' };
    let body = 'id,review,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n';
    let lastStart = 0;
    for (let index = 0; index < ROWS; index++) {
      const record: InputRecord = { index, byteEnd: 0, text: { ok: true, value: `review ${index}` }, raw: `${index},review ${index}\n` };
      lastStart = Buffer.byteLength(body);
      body += formatCsvRecord(record, { kind: 'scored', label: 'POSITIVE', positive: 0.75, negative: 0.25, truncated: false }, { delimiter: ',', prefix: 'sentiment', headerWidth: 2 });
    }
    const partialPath = dir.file('out.csv.partial', body);
    const checkpoint: Checkpoint = {
      version: CHECKPOINT_VERSION,
      tool: 'sentiment-batch',
      input: { path: 'in.csv', identity: { size: 1, mtimeMs: 1, headHash: 'h', tailHash: 't' } },
      settings,
      settingsHash: hashSettings(settings),
      output: { path: dir.path('out.csv'), partialPath },
      position: { inputOffset: 1, outputBytes: Buffer.byteLength(body), nextIndex: ROWS, lastOutputStart: lastStart },
      totals: { ...emptyTotals(), read: ROWS, scored: ROWS, requests: ROWS },
      completed: false,
      updatedAt: new Date(0).toISOString(),
    };
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const log = createLogger('info', sink);
    const notTerminal = Object.assign(new Writable({ write: (_chunk, _encoding, done) => done() }), { isTTY: false }) as unknown as NodeJS.WriteStream;
    const storePath = dir.path('out.csv.answers');
    const said = await keepDroppedAnswers({
      checkpoint,
      partialPath,
      journalPath: dir.path('out.csv.journal'),
      storePath,
      modelKey: 'm',
      window: { fitToWindow: (text) => ({ text, truncated: false, tokens: 1 }) },
      progress: { mode: 'auto', log, stream: notTerminal, everyMs: 1 },
    });
    log.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(said).toContain(`(2,000 texts in ${storePath})`);
    const progress = lines.filter((line) => line.msg === 'progress');
    const steps = new Set(progress.map((line) => line.step));
    expect(steps).toEqual(new Set(['keeping the answers of the unfinished job: checking its partial output', 'keeping the answers of the unfinished job: putting them in the store']));
    for (const line of progress) {
      expect(line).toMatchObject({ of: ROWS, answers: expect.any(Number), percent: expect.any(Number), answersPerSecond: expect.any(Number) });
      expect(line.answers as number).toBeLessThanOrEqual(ROWS);
    }
    // No tick is left running once the import is through.
    const count = lines.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines.length).toBe(count);
  });
});
