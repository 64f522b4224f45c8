import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * Every row read is in a figure. A run that stops writes its rows in input order up to the first one the stop cut short:
 * rows read past it (read ahead, waiting, answered) were in no figure, though their requests were ('rows 69 …
 * requests sent 74 (answered 72 …)'); and the next run, writing the rows whose answers the stopped run had kept in its
 * journal, counted them as scored by no request, cache hit or duplicate ('rows 1,931: scored 1,931 … requests sent
 * 1,928 (answered 1,928 …) · duplicates saved 0 · cache hits 0'): 3 rows scored by nothing the summary named.
 */
describe('rows a stop leaves unwritten, and their answers kept for the next run, are in the figures', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  const env = () => workersAiEnv(server, { token: 'token-0123456789' });
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer() });
  });
  /**
   * The first row's answer comes late: the rows after it are answered, but cannot be written before it, and a stop cuts
   * it short. Only the runs that stop need it: a run that completes would wait the 4 s out for nothing (`answeredSoon`).
   */
  const answeredLate = () => server.setFaults({ rules: [{ textIncludes: 'SLOW', respond: { status: 200, delayMs: 4000 } }] });
  const answeredSoon = () => server.setFaults({});
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('a paused run names the rows it read and did not write, and the next run the rows its requests answered', async () => {
    const input = path.join(dir, 'in.csv');
    const rows = ['id,text', '0,SLOW but fine', ...Array.from({ length: 19 }, (_, i) => `${i + 1},review ${i + 1} is great`)];
    writeFileSync(input, `${rows.join('\n')}\n`);
    const output = path.join(dir, 'out.csv');
    const args = (...extra: string[]) => ['score', input, '-o', output, '--concurrency', '4', '--grace', '200ms', '--log-level', 'warn', ...extra];

    // 4 requests: the slow row's and 3 answered at once; the 5th would pass --max-requests, so the run pauses. The slow
    // row is cut short after the grace: no row is written, 3 answers are kept.
    answeredLate();
    const paused = await runCli(args('--max-requests', '4'), { env: env() });
    expect(paused.code).toBe(75);
    expect(paused.stdout).toContain('  rows 0: scored 0, skipped 0, failed 0\n');
    expect(paused.stdout).toMatch(/\n {2}read but not written: (\d+) rows \(the run stopped before their turn; 3 of them answered, kept for the next run, which writes them without asking again\); the next run reads them again\n/);
    expect(paused.stdout).toContain('requests sent 4 (answered 3 ');

    const json = path.join(dir, 'summary.json');
    answeredSoon();
    const rest = await runCli(args('--summary-json', json), { env: env() });
    expect(rest.code).toBe(0);
    expect(rest.stdout).toContain('  rows 20: scored 20, skipped 0, failed 0\n');
    expect(rest.stdout).toContain('requests sent 17 (answered 17 ');
    expect(rest.stdout).toContain('duplicates saved 0 · cache hits 0 · answered by an earlier run\'s requests 3 · truncated 0');
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    expect(summary.run.answeredEarlier).toBe(3);
    expect(summary.run.answeredRequests + summary.run.answeredEarlier).toBe(summary.run.totals.scored);
    expect(summary).not.toHaveProperty('unwritten');
  });

  it('with --cache, the rows answered by the stopped run\'s requests are not counted as cache hits', async () => {
    // The stopped run put the answers it received in the cache as well as in the journal; the next run found them in
    // the cache first and said 'cache hits 3' (and 'answered by an earlier run's requests' not at all), as if no
    // request of this job had paid for them. The same after kill -9: 'cache hits 69 · answered by an earlier run's requests 1'.
    const input = path.join(dir, 'in-cache.csv');
    const rows = ['id,text', '0,SLOW and cached', ...Array.from({ length: 19 }, (_, i) => `${i + 1},cached review ${i + 1} is great`)];
    writeFileSync(input, `${rows.join('\n')}\n`);
    const output = path.join(dir, 'out-cache.csv');
    const cache = path.join(dir, 'cache');
    const args = (...extra: string[]) => ['score', input, '-o', output, '--cache', cache, '--concurrency', '4', '--grace', '200ms', '--log-level', 'warn', ...extra];

    answeredLate();
    const paused = await runCli(args('--max-requests', '4'), { env: env() });
    expect(paused.code).toBe(75);
    expect(paused.stdout).toContain('3 of them answered, kept for the next run');

    const json = path.join(dir, 'summary-cache.json');
    answeredSoon();
    const rest = await runCli(args('--summary-json', json), { env: env() });
    expect(rest.code).toBe(0);
    expect(rest.stdout).toContain('requests sent 17 (answered 17 ');
    expect(rest.stdout).toContain('duplicates saved 0 · cache hits 0 · answered by an earlier run\'s requests 3 · truncated 0');
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    expect(summary.run.answeredEarlier).toBe(3);
    expect(summary.totals.cached).toBe(0);
    expect(summary.run.answeredRequests + summary.run.answeredEarlier).toBe(summary.run.totals.scored);

    // A third run of another export with the same texts finds them in the cache: those are cache hits.
    const again = path.join(dir, 'again.csv');
    writeFileSync(again, `${rows.join('\n')}\n`);
    const hits = await runCli(['score', again, '-o', path.join(dir, 'again-out.csv'), '--cache', cache, '--log-level', 'warn'], { env: env() });
    expect(hits.code).toBe(0);
    expect(hits.stdout).toContain('requests sent 0 ');
    expect(hits.stdout).toContain('cache hits 20 ');
  });

  it('a run that stops again before writing the rows answered by the earlier run\'s requests does not count them as written', async () => {
    // The second pause wrote no row, yet said 'answered by an earlier run's requests 3' beside 'rows 0' and 'read but not
    // written: 20 rows (…; 3 of them answered, kept for the next run …)': the same 3 rows twice, counted when their answers
    // were taken from the journal, not when they were written; and the third run counted them a second time.
    const input = path.join(dir, 'in-twice.csv');
    const rows = ['id,text', '0,SLOW twice', ...Array.from({ length: 19 }, (_, i) => `${i + 1},twice review ${i + 1} is great`)];
    writeFileSync(input, `${rows.join('\n')}\n`);
    const output = path.join(dir, 'out-twice.csv');
    const args = (...extra: string[]) => ['score', input, '-o', output, '--concurrency', '4', '--grace', '200ms', '--log-level', 'warn', ...extra];

    answeredLate();
    expect((await runCli(args('--max-requests', '4'), { env: env() })).code).toBe(75);
    // One request: the slow row's, cut short after the grace; the 3 rows after it are answered from the journal, not written.
    const json = path.join(dir, 'summary-twice.json');
    const again = await runCli(args('--max-requests', '1', '--summary-json', json), { env: env() });
    expect(again.code).toBe(75);
    expect(again.stdout).toContain('  rows 0: scored 0, skipped 0, failed 0\n');
    expect(again.stdout).toContain('3 of them answered, kept for the next run');
    expect(again.stdout).toContain('duplicates saved 0 · cache hits 0 · truncated 0');
    expect(JSON.parse(readFileSync(json, 'utf8')).run).not.toHaveProperty('answeredEarlier');

    answeredSoon();
    const rest = await runCli(args('--summary-json', json), { env: env() });
    expect(rest.code).toBe(0);
    expect(rest.stdout).toContain('  rows 20: scored 20, skipped 0, failed 0\n');
    expect(rest.stdout).toContain('answered by an earlier run\'s requests 3 ');
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    expect(summary.run.answeredRequests + summary.run.answeredEarlier).toBe(summary.run.totals.scored);
  });
});
