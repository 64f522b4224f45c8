import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../src/state/checkpoint.js';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { useTestServer } from './support/server.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const ROWS = 60;

/** An export written without quoting: every 7th review opens with a quote, which runs on to the next row's. */
function strayCsv(): string {
  let text = 'id,review\n';
  for (let i = 0; i < ROWS; i++) {
    if (i % 7 === 3) {
      text += `${i},"stray start ${i} great\n${i + 1},ends here" she said ${i}\n`;
      i++;
    } else {
      text += `${i},good phone ${i}\n`;
    }
  }
  return text;
}

const STRAY_RECORDS = 9;

/**
 * A record a stray quote made of several lines fails (`stray_quote`), its message naming the lines it spans. A run
 * that starts past the header (a resume, the checkpoint's proof) does not know its line numbers: it counts them, so
 * such a record gets the same words, and the output the same bytes, as in a run never paused. Such rows are never
 * sent, by the paused run, its resume or a mend.
 */
describe('records joined by a stray quote keep the bytes of a run never paused', () => {
  const dir = useTempDir();
  const server = useTestServer();

  it.each([
    ['csv', false],
    ['csv.gz', true],
  ])('%s: paused just after such a record, then resumed', async (extension, gzip) => {
    const scorer = new TestScorer();
    const { baseURL } = await server.start({ scorer, latency: '1-3ms' });
    const env = workersAiEnv({ baseURL });
    const text = strayCsv();
    const input = dir.file(`in.${extension}`, gzip ? gzipSync(text) : text);
    const args = (output: string, ...extra: string[]) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '600000', '--concurrency', '1', ...extra];

    const lone = dir.path('lone.csv');
    expect((await runCli(args(lone), { env })).code).toBe(0);
    const reference = readFileSync(lone, 'utf8');
    expect(reference.match(/stray_quote: lines \d+-\d+ were read as one record/g)).toHaveLength(STRAY_RECORDS);
    expect(reference).toContain('3,"stray start 3 great\n4,ends here" she said 3,,,,,"stray_quote: lines 5-6 were read as one record: a quoted cell in it runs across 1 line break');
    expect(reference).toContain('stray_quote: lines 61-62 were read as one record');

    // Rows 0-2 take the 3 requests; the stray record after them sends none and is the last row written.
    const output = dir.path('paused.csv');
    expect((await runCli(args(output, '--max-requests', '3'), { env })).code).toBe(75);
    const checkpoint = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Checkpoint;
    expect(checkpoint.position.lastInputStart).toBe(text.indexOf('3,"stray'));
    const resumed = await runCli(args(output, '--resume', 'require'), { env });
    expect(resumed.stderr).toMatch(/resuming from the checkpoint/);
    expect(resumed.code).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe(reference);
    expect(scorer.texts.filter((sent) => /stray|ends here/.test(sent))).toEqual([]);
  });

  it('a mend of rows the service failed leaves such records as they were written, unsent', async () => {
    const scorer = new TestScorer();
    const running = await server.start({ scorer, latency: '1-3ms' });
    const env = workersAiEnv(running);
    const input = dir.file('in.csv', strayCsv());
    const args = (output: string) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '600000', '--max-attempts', '1'];
    const lone = dir.path('lone.csv');
    expect((await runCli(args(lone), { env })).code).toBe(0);

    const output = dir.path('mended.csv');
    running.setFaults({ seed: 4, failRate: 0.3 });
    const faulty = await runCli(args(output), { env });
    expect(faulty.code).toBe(0);
    expect(readFileSync(output, 'utf8')).toMatch(/http_5\d\d|cf_\d+/);
    running.setFaults({});
    const mend = await runCli(args(output), { env });
    expect(mend.code).toBe(0);
    expect(mend.stderr).toMatch(/mended/);
    // The runs before it named the first such record; the mend, which marks none, names none.
    expect(faulty.stderr).toMatch(/line 5: a quoted cell opens in this record/);
    expect(mend.stderr).not.toMatch(/a quoted cell opens in this record/);
    expect(readFileSync(output, 'utf8')).toBe(readFileSync(lone, 'utf8'));
    expect(scorer.texts.filter((sent) => /stray|ends here/.test(sent))).toEqual([]);
  });
});
