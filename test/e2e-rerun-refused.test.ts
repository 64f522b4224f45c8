import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import type { FaultRule } from '../src/server/fault-config.js';
import { runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';

/**
 * A finished job whose failed rows were all refused (for their record or text)
 * keeps no list of failed rows: there is nothing to retry. Running it again says
 * the same as the first run did, not that a list is missing.
 */
describe('a rerun of a finished job whose failed rows were all refused', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  const lastLine = (stdout: string) => stdout.trimEnd().split('\n').at(-1);
  const failedRows = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { failedRows: unknown }).failedRows;

  it('embedded model, ragged CSV rows: the rerun repeats "a rerun leaves them as they are" and keeps final', async () => {
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

    const again = await runCli(args);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Already done/);
    expect(lastLine(again.stdout)).toBe(lastLine(first.stdout));
    expect(failedRows(summary)).toEqual({ retry: 0, final: 2 });
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
      const env = { CLOUDFLARE_ACCOUNT_ID: 'acc1', CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: server.baseURL };
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
  });
});
