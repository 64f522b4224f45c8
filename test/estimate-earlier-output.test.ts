import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';
import { useFileServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';
import { scoreInProcess } from './support/score-in-process.js';

// newuser24: tomorrow's export copied over today's at the same name, a Workers AI run takes the old output's answers
// for the texts the export still holds (old-output-answers.ts / partial-answers.ts), so it sent 13 requests where
// `estimate` beforehand said 177 (serve, 210 rows, 3 edited and 10 added), and the summary's "compare with estimate"
// compared with a figure 13 times too high without a word. The estimate cannot count them without reading the old
// output as the run does; it says that the run may send fewer, naming the output.
describe('estimate beside an earlier Workers AI output of the same export', () => {
  const server = useFileServer();
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('says that a run at that output may send fewer requests than counted', async () => {
    const input = path.join(dir, 'reviews.csv');
    copyFileSync(path.join(REPO_ROOT, 'fixtures/reviews.csv'), input);
    const flags = ['--text-column', 'review'];
    // The earlier job (set-up, as in each test here: made in this process, no CLI start); the estimate is the CLI's.
    const first = await scoreInProcess([input, ...flags, '--rpm', '100000'], workersAiEnv(server));
    expect(first.code).toBe(0);
    const sentFirst = server.stats().total;

    // Tomorrow's export at the same name: one review edited (r001; r028 keeps its old text: 28 distinct texts).
    writeFileSync(input, readFileSync(input, 'utf8').replace('Absolutely love it.', 'Absolutely hate it.'));
    const estimate = await runCli(['estimate', input, ...flags, '--json'], { env: workersAiEnv(server) });
    expect(estimate.code, estimate.stderr).toBe(0);
    const figures = JSON.parse(estimate.stdout) as { requests: number; earlierOutput?: string };
    const counted = figures.requests;
    expect(counted).toBe(28);
    // For a script that reads the figures: the output whose answers the run may reuse.
    expect(figures.earlierOutput).toBe(path.join(dir, 'reviews.scored.csv'));
    expect(estimate.stderr).toContain(`${path.join(dir, 'reviews.scored.csv')} holds the answers of an earlier Workers AI job of this input (completed)`);
    expect(estimate.stderr).toContain('may send fewer requests than counted here');

    // What the run sends is the server's count, not the CLI's exit: this run too is made in this process.
    const second = await scoreInProcess([input, ...flags, '--rpm', '100000'], workersAiEnv(server));
    expect(second.code).toBe(0);
    // What the note is about: the run sent fewer than the estimate counted.
    expect(server.stats().total - sentFirst).toBeLessThan(counted);
  });

  it("says nothing of another export's job written at that output (-o): the run there would not take its answers", async () => {
    const other = path.join(dir, 'other.csv');
    const input = path.join(dir, 'named.csv');
    copyFileSync(path.join(REPO_ROOT, 'fixtures/reviews.csv'), other);
    writeFileSync(input, readFileSync(other, 'utf8').replace('Absolutely love it.', 'Absolutely hate it.'));
    const first = await scoreInProcess([other, '--text-column', 'review', '--rpm', '100000', '-o', path.join(dir, 'named.scored.csv')], workersAiEnv(server));
    expect(first.code).toBe(0);
    const estimate = await runCli(['estimate', input, '--text-column', 'review', '--json'], { env: workersAiEnv(server) });
    expect(estimate.code, estimate.stderr).toBe(0);
    expect(JSON.parse(estimate.stdout)).not.toHaveProperty('earlierOutput');
    expect(estimate.stderr).not.toContain('holds the answers of an earlier');
  });

  it('says nothing when it counts no request (every text blank): the run there sends none either', async () => {
    const input = path.join(dir, 'blank.csv');
    writeFileSync(input, 'id,review\n1,\n2,  \n');
    const first = await scoreInProcess([input, '--text-column', 'review', '--rpm', '100000'], workersAiEnv(server));
    expect(first.code).toBe(0);
    const estimate = await runCli(['estimate', input, '--text-column', 'review', '--json'], { env: workersAiEnv(server) });
    expect(estimate.code, estimate.stderr).toBe(0);
    expect(JSON.parse(estimate.stdout)).toMatchObject({ requests: 0 });
    expect(JSON.parse(estimate.stdout)).not.toHaveProperty('earlierOutput');
  });

  it('says nothing for the embedded model, whose run sends nothing', async () => {
    const input = path.join(dir, 'quiet.csv');
    copyFileSync(path.join(REPO_ROOT, 'fixtures/reviews.csv'), input);
    const first = await scoreInProcess([input, '--text-column', 'review', '--backend', 'embedded']);
    expect(first.code).toBe(0);
    const estimate = await runCli(['estimate', input, '--text-column', 'review', '--backend', 'embedded', '--json']);
    expect(estimate.code, estimate.stderr).toBe(0);
    expect(estimate.stderr).toBe('');
    // Nor for Workers AI beside it: the embedded model's answers are none that a Workers AI run takes.
    const remote = await runCli(['estimate', input, '--text-column', 'review', '--json'], { env: workersAiEnv(server) });
    expect(remote.code, remote.stderr).toBe(0);
    expect(JSON.parse(remote.stdout)).not.toHaveProperty('earlierOutput');
    expect(remote.stderr).not.toContain('holds the answers of an earlier');
  });
});
