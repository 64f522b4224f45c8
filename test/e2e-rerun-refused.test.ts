import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import type { FaultRule } from '../src/server/fault-config.js';
import { runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A finished job whose failed rows were all refused (for their record or text)
 * keeps no list of failed rows: there is nothing to retry. Running it again says
 * the same as the first run did, not that a list is missing, and when they were
 * too many (exit 5) it exits 5 again.
 */
describe('a rerun of a finished job whose failed rows were all refused', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  const lastLine = (stdout: string) => stdout.trimEnd().split('\n').at(-1);
  const failedRows = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { failedRows: unknown }).failedRows;

  it('embedded model, ragged CSV rows: the rerun repeats exit 5, its reason and "a rerun leaves them as they are"; a raised --max-error-rate accepts it', async () => {
    const input = path.join(dir, 'ragged.csv');
    writeFileSync(input, 'id,text\n1,great\n2\n3,a,b,c\n');
    const output = path.join(dir, 'o3', 'r.csv');
    const summary = path.join(dir, 'ragged.json');
    const args = ['score', input, '-o', output, '--log-level', 'warn', '--summary-json', summary];
    const first = await runCli(args);
    expect(first.code).toBe(5);
    expect(lastLine(first.stdout)).toMatch(/^ {2}2 rows failed, refused for their text or record .*; a rerun leaves them as they are$/);
    expect(failedRows(summary)).toEqual({ retry: 0, final: 2 });
    expect(existsSync(`${output}.failed-rows`)).toBe(false);

    // 2 of the 3 rows failed: over --max-error-rate 0.5 however often the job is run again, not exit 5 once and then 0.
    const reason = '2 of 3 rows read could not be read (ragged rows, rows joined by a stray quote, records over 16 MiB)';
    expect(first.stdout).toContain(`${reason} in this run (limit --max-error-rate 0.5); the output is complete`);
    const again = await runCli(args);
    expect(again.code).toBe(5);
    expect(again.stdout).toMatch(/^Already done, but too many rows failed: .*r\.csv\n {2}rows 3: scored 1, skipped 0, failed 2 \(scored by an earlier run; this run did nothing\)\n/);
    expect(again.stdout).toContain(`${reason} in the whole job (limit --max-error-rate 0.5); the output is complete`);
    expect(lastLine(again.stdout)).toBe(lastLine(first.stdout));
    expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ status: 'failed', exitCode: 5, alreadyDone: true, outputComplete: true, failedRows: { retry: 0, final: 2 } });

    // The verdict is this command's: a user who raises the limit accepts the output as it is.
    const accepted = await runCli([...args, '--max-error-rate', '1']);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toMatch(/^Already done \(nothing to do\)/);
    expect(lastLine(accepted.stdout)).toBe(lastLine(first.stdout));
    expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ status: 'already-done', exitCode: 0, failedRows: { retry: 0, final: 2 } });
  }, 60_000);

  describe('Workers AI', () => {
    let server: RunningServer;
    const TOKEN = 'token-abcdef123456';
    const REFUSED: FaultRule = { textIncludes: 'REFUSE-ME', respond: { status: 400, code: 5006 } };
    beforeAll(async () => {
      server = await startServer({ scorer: new TestScorer(), latency: '1-3ms', seed: 3, rules: [REFUSED], token: TOKEN });
    });
    afterAll(async () => server.close());

    it('rows refused by the service (400): the rerun sends nothing and repeats the same line', async () => {
      const input = path.join(dir, 'wai.csv');
      writeFileSync(input, syntheticCsv(40, { marker: (i) => (i % 10 === 3 ? ' REFUSE-ME' : '') }));
      const output = path.join(dir, 'wai', 'out.csv');
      const summary = path.join(dir, 'wai.json');
      const env = workersAiEnv(server, { account: 'acc1', token: TOKEN });
      const args = ['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000', '--log-level', 'warn', '--summary-json', summary, '--max-error-rate', '0.5'];
      const first = await runCli(args, { env });
      expect(first.code).toBe(0);
      expect(lastLine(first.stdout)).toMatch(/^ {2}4 rows failed, refused for their text or record .*; a rerun leaves them as they are$/);
      expect(failedRows(summary)).toEqual({ retry: 0, final: 4 });

      server.reset();
      const again = await runCli(args, { env });
      expect(again.code).toBe(0);
      expect(server.stats().total).toBe(0);
      expect(lastLine(again.stdout)).toBe(lastLine(first.stdout));
      expect(failedRows(summary)).toEqual({ retry: 0, final: 4 });
    }, 60_000);

    it('most rows refused (400): exit 5, and the rerun sends nothing and exits 5 again, --summary-json saying so', async () => {
      const input = path.join(dir, 'refused.csv');
      writeFileSync(input, syntheticCsv(10, { duplicateEvery: 0, emptyEvery: 0, marker: (i) => (i % 5 === 0 ? '' : ' REFUSE-ME') }));
      const summary = path.join(dir, 'refused.json');
      const env = workersAiEnv(server, { account: 'acc1', token: TOKEN });
      const args = ['score', input, '--text-column', 'review', '-o', path.join(dir, 'refused', 'out.csv'), '--rpm', '100000', '--log-level', 'warn', '--summary-json', summary];
      const reason = '8 of 10 rows sent to the model failed';
      const first = await runCli(args, { env });
      expect(first.code).toBe(5);
      expect(first.stdout).toContain(`${reason} in this run (limit --max-error-rate 0.5)`);
      expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ status: 'failed', exitCode: 5, outputComplete: true, failedRows: { retry: 0, final: 8 } });

      server.reset();
      const again = await runCli(args, { env });
      expect(again.code).toBe(5);
      expect(server.stats().total).toBe(0);
      expect(again.stdout).toContain(`${reason} in the whole job (limit --max-error-rate 0.5)`);
      expect(lastLine(again.stdout)).toBe(lastLine(first.stdout));
      expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ status: 'failed', exitCode: 5, alreadyDone: true, outputComplete: true, failedRows: { retry: 0, final: 8 } });
    }, 60_000);
  });
});
