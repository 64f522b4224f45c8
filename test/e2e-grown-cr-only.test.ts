import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useFileTempDir } from './support/e2e-dir.js';
import { grownReference, runInFolder } from './support/grown-reference.js';
import { syntheticCsv } from './support/reviews.js';
import { useFileServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A CR-only export (Excel for Mac; CSV and TSV end records at a lone CR) completed, then grown by rows appended. It was
 * started over, "its last row … goes on with the bytes after them, so it is another record now: scoring it afresh", and
 * every row paid again (997 requests for the 200 rows appended to 800 of imdb-labelled-sentences-bom.csv). It is
 * continued now, as an LF or CRLF export is: only the rows appended are sent, the output a fresh run's.
 */
const crOnly = (rows: number) => syntheticCsv(rows).replace(/\n/g, '\r');

describe('a CR-only export, grown', () => {
  const { dir } = useFileTempDir();
  const server = useFileServer({ latency: '1-3ms', seed: 5 });
  const env = () => workersAiEnv(server, { token: 'token' });
  const args = (input: string, output: string) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000', '--log-level', 'info'];

  it('is continued: only the rows appended are sent, and the output is a fresh run\'s', async () => {
    // The job is the old export's run (in.csv to out.csv); the reference, a fresh run of the grown one in fresh/.
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    const run = (from: string, to: string) => runCli(args(from, to), { env: env() });
    const { fresh, appendedRequests } = await grownReference(server, run, { bytes: crOnly(200), input, output }, runInFolder(path.join(dir, 'fresh'), crOnly(240)));

    writeFileSync(input, crOnly(240));
    server.reset();
    const grown = await run(input, output);
    expect(grown.code).toBe(0);
    expect(grown.stderr).toContain("Continuing: the input is the completed job's");
    expect(grown.stderr).not.toMatch(/scoring it afresh|starting over/);
    // Was: every text of the 240 rows sent again.
    expect(server.stats().total).toBe(appendedRequests);
    expect(readFileSync(output).equals(fresh)).toBe(true);
  });
});
