import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsCheckpointed, spawnCli, tempDir, waitFor } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';

// A second SIGTERM that came just after a stopped run had printed its summary met Node's
// teardown of the process (its handlers already gone) and ended it with 143, while the
// summary said 130: a systemd unit that accepts 130 saw a failure.
describe('a second SIGTERM as an interrupted run ends', () => {
  let dir: string;
  let cleanup: () => void;
  let input: string;

  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(200_000));
  });
  afterAll(() => cleanup());

  it('still exits 130, the code its summary gives', async () => {
    const output = path.join(dir, 'out.csv');
    const summaryJson = path.join(dir, 'summary.json');
    const child = spawnCli(['score', input, '--text-column', 'review', '--backend', 'embedded', '-o', output, '--summary-json', summaryJson]);
    await waitFor(() => rowsCheckpointed(output) >= 0, 60_000, 'the checkpoint written at the start');
    child.kill('SIGTERM');
    let seen = '';
    child.stdout?.on('data', (chunk: string) => {
      seen += chunk;
      // Just after the summary: the command has returned and the process is ending.
      if (seen.includes('Interrupted')) setTimeout(() => child.kill('SIGTERM'), 30);
    });
    const ended = await child.result;
    expect(ended.stdout).toMatch(/Interrupted/);
    expect({ code: ended.code, signal: ended.signal }).toEqual({ code: 130, signal: null });
  }, 120_000);

  // SIGHUP (a closed terminal) ended the process on the spot: exit 129, no summary, nothing said.
  it('SIGHUP stops the run as SIGTERM does: exit 130, the summary printed and written', async () => {
    const output = path.join(dir, 'hup.csv');
    const summaryJson = path.join(dir, 'hup.json');
    const child = spawnCli(['score', input, '--text-column', 'review', '--backend', 'embedded', '-o', output, '--summary-json', summaryJson]);
    await waitFor(() => rowsCheckpointed(output) >= 0, 60_000, 'the checkpoint written at the start');
    child.kill('SIGHUP');
    const ended = await child.result;
    expect({ code: ended.code, signal: ended.signal }).toEqual({ code: 130, signal: null });
    expect(ended.stdout).toMatch(/stopped by SIGHUP; the checkpoint is saved/);
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ status: 'interrupted', exitCode: 130 });
  }, 120_000);
});
