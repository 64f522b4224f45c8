import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { logLines, runCli } from './support/cli.js';
import { useFileTempDir } from './support/e2e-dir.js';
import { killAtRename } from './support/kill-at-rename-env.js';
import { reviewText } from './support/reviews.js';
import { useFileServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A journal compacts (AnswerJournal.written: over 2,000 lines more than it keeps) and drops the lines of rows written:
 * from then on the partial output holds answers the journal lacks, so the checkpoint written before the compaction
 * already says the journal is not whole (answers-journaled.ts), and a resume reads the partial output for them. Killed
 * (kill -9) right after the compaction's rename, before the next checkpoint: the resume still reads, and pays no text
 * of the rows written again.
 */
const DISTINCT = 2_300;
// The distinct texts, then 100 rows repeating the first 100: written before the kill, their answers compacted away.
const TEXTS = Array.from({ length: DISTINCT }, (_, i) => `${reviewText(i)} #${i}`);
const CSV = `id,review\n${[...TEXTS, ...TEXTS.slice(0, 100)].map((text, i) => `${i},"${text.replace(/"/g, '""')}"`).join('\n')}\n`;

describe('a journal compacted: the checkpoint before it says the journal no longer holds every answer', () => {
  const { dir } = useFileTempDir();
  const server = useFileServer();

  const env = (extra: Record<string, string> = {}) => ({ ...workersAiEnv(server, { token: 'token' }), ...extra });
  const args = (input: string, output: string, extra: string[] = []) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '1000000', '--concurrency', '4', '--checkpoint-interval', '100ms', '--progress', 'off', ...extra];
  const checkpointOf = (output: string) => JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as { answersJournaled?: boolean; journaledAnswers?: number; position: { nextIndex: number } };
  const journalLines = (output: string) => readFileSync(`${output}.journal`, 'utf8').split('\n').length - 2;
  const readLine = (stderr: string) => logLines(stderr).find((line) => / answered in the job's partial output: not sent again$/.test(String(line.msg)));

  it('paused after a compaction: the checkpoint says no, the resume reads and pays no text twice', async () => {
    const input = path.join(dir, 'paused', 'in.csv');
    const output = path.join(dir, 'paused', 'out.csv');
    mkdirSync(path.dirname(input), { recursive: true });
    writeFileSync(input, CSV);
    server.reset();
    expect((await runCli(args(input, output, ['--max-requests', '2250']), { env: env() })).code).toBe(75);
    expect(journalLines(output)).toBeLessThan(2_250);
    expect(checkpointOf(output).answersJournaled).toBe(false);
    const resumed = await runCli(args(input, output), { env: env() });
    expect(resumed.code).toBe(0);
    expect(readLine(resumed.stderr)).toBeDefined();
    expect(server.stats().total).toBe(DISTINCT);
  }, 120_000);

  it('kill -9 right after the compaction\'s rename: the checkpoint before it says no, the resume reads, the output a clean run\'s', async () => {
    const input = path.join(dir, 'killed', 'in.csv');
    const output = path.join(dir, 'killed', 'out.csv');
    mkdirSync(path.dirname(input), { recursive: true });
    writeFileSync(input, CSV);
    const clean = path.join(dir, 'clean', 'out.csv');
    server.reset();
    expect((await runCli(args(input, clean), { env: env() })).code).toBe(0);
    server.reset();
    // The journal's 1st rename is its opening rewrite, the 2nd the compaction: killed right after it.
    const killed = await runCli(args(input, output), { env: env({ ...killAtRename(`${output}.journal`), SB_TEST_KILL_RENAME_NTH: '2' }) });
    expect(killed.signal ?? killed.code).toBe('SIGKILL');
    const checkpoint = checkpointOf(output);
    expect(checkpoint.position.nextIndex).toBeGreaterThan(2_000);
    expect(checkpoint.answersJournaled).toBe(false);
    const resumed = await runCli(args(input, output), { env: env() });
    expect(resumed.code).toBe(0);
    expect(readLine(resumed.stderr)).toBeDefined();
    // Only requests in flight at the kill (at most --concurrency) are paid again; the 100 repeats of written rows are not.
    expect(server.stats().total).toBeLessThanOrEqual(DISTINCT + 4);
    expect(readFileSync(output).equals(readFileSync(clean))).toBe(true);
  }, 180_000);
});

