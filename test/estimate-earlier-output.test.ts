import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';
import { TestScorer } from './support/test-scorer.js';

// newuser24: tomorrow's export copied over today's at the same name, a Workers AI run takes the old output's answers
// for the texts the export still holds (old-output-answers.ts / partial-answers.ts), so it sent 13 requests where
// `estimate` beforehand said 177 (serve, 210 rows, 3 edited and 10 added), and the summary's "compare with estimate"
// compared with a figure 13 times too high without a word. The estimate cannot count them without reading the old
// output as the run does; it says that the run may send fewer, naming the output.
const CREDENTIALS = { CLOUDFLARE_ACCOUNT_ID: 'dev', CLOUDFLARE_API_TOKEN: 'dev' };

describe('estimate beside an earlier Workers AI output of the same export', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer() });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('says that a run at that output may send fewer requests than counted', async () => {
    const input = path.join(dir, 'reviews.csv');
    copyFileSync(path.join(REPO_ROOT, 'fixtures/reviews.csv'), input);
    const flags = ['--text-column', 'review', '--base-url', server.baseURL];
    const first = await runCli(['score', input, ...flags, '--rpm', '100000'], { env: CREDENTIALS });
    expect(first.code, first.stderr).toBe(0);
    const sentFirst = server.stats().total;

    // Tomorrow's export at the same name: one review edited (r001; r028 keeps its old text: 28 distinct texts).
    writeFileSync(input, readFileSync(input, 'utf8').replace('Absolutely love it.', 'Absolutely hate it.'));
    const estimate = await runCli(['estimate', input, ...flags, '--json'], { env: CREDENTIALS });
    expect(estimate.code, estimate.stderr).toBe(0);
    const counted = (JSON.parse(estimate.stdout) as { requests: number }).requests;
    expect(counted).toBe(28);
    expect(estimate.stderr).toContain(`${path.join(dir, 'reviews.scored.csv')} holds the answers of an earlier Workers AI job of this input`);
    expect(estimate.stderr).toContain('may send fewer requests than counted here');

    const second = await runCli(['score', input, ...flags, '--rpm', '100000'], { env: CREDENTIALS });
    expect(second.code, second.stderr).toBe(0);
    // What the note is about: the run sent fewer than the estimate counted.
    expect(server.stats().total - sentFirst).toBeLessThan(counted);
  });

  it('says nothing for the embedded model, whose run sends nothing', async () => {
    const input = path.join(dir, 'quiet.csv');
    copyFileSync(path.join(REPO_ROOT, 'fixtures/reviews.csv'), input);
    const first = await runCli(['score', input, '--text-column', 'review', '--backend', 'embedded']);
    expect(first.code, first.stderr).toBe(0);
    const estimate = await runCli(['estimate', input, '--text-column', 'review', '--backend', 'embedded', '--json']);
    expect(estimate.code, estimate.stderr).toBe(0);
    expect(estimate.stderr).toBe('');
  });
});
