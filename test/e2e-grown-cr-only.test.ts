import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A CR-only export (Excel for Mac; CSV and TSV end records at a lone CR) completed, then grown by rows appended. It was
 * started over, "its last row … goes on with the bytes after them, so it is another record now: scoring it afresh", and
 * every row paid again (997 requests for the 200 rows appended to 800 of imdb-labelled-sentences-bom.csv). It is
 * continued now, as an LF or CRLF export is: only the rows appended are sent, the output a fresh run's.
 */
const crOnly = (rows: number) => syntheticCsv(rows).replace(/\n/g, '\r');

describe('a CR-only export, grown', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  const env = () => workersAiEnv(server, { token: 'token' });
  const args = (input: string, output: string) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000', '--log-level', 'info'];

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), latency: '1-3ms', seed: 5 });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('is continued: only the rows appended are sent, and the output is a fresh run\'s', async () => {
    mkdirSync(path.join(dir, 'fresh'));
    const freshInput = path.join(dir, 'fresh', 'in.csv');
    writeFileSync(freshInput, crOnly(240));
    expect((await runCli(args(freshInput, path.join(dir, 'fresh', 'out.csv')), { env: env() })).code).toBe(0);
    const everyText = server.stats().total;

    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, crOnly(200));
    server.reset();
    expect((await runCli(args(input, output), { env: env() })).code).toBe(0);
    const oldTexts = server.stats().total;

    writeFileSync(input, crOnly(240));
    server.reset();
    const grown = await runCli(args(input, output), { env: env() });
    expect(grown.code).toBe(0);
    expect(grown.stderr).toContain("Continuing: the input is the completed job's");
    expect(grown.stderr).not.toMatch(/scoring it afresh|starting over/);
    // Was: every text of the 240 rows sent again.
    expect(server.stats().total).toBe(everyText - oldTexts);
    expect(readFileSync(output).equals(readFileSync(path.join(dir, 'fresh', 'out.csv')))).toBe(true);
  });
});
