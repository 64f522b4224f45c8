import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsCheckpointed, runCli, spawnCli, tempDir, waitFor } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';

// SIGUSR1 and SIGUSR2 during a run. Node's defaults: SIGUSR1 opened its debugger (`Debugger listening on
// ws://127.0.0.1:9229/…`, which any local user may connect to and run code in, the API token in reach) and the run went
// on; SIGUSR2 ended the process at once (exit 140, no line, no summary). A log rotator's "reopen your logs" SIGUSR1
// is the likely sender. Each is now ignored, with one line saying how to stop the run; the run completes as a clean one.
describe('SIGUSR1 and SIGUSR2 during a run', () => {
  let dir: string;
  let cleanup: () => void;
  let input: string;
  let clean: string;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(200_000));
    clean = path.join(dir, 'clean.csv');
    const ran = await runCli(['score', input, '--text-column', 'review', '--backend', 'embedded', '-o', clean]);
    expect(ran.code).toBe(0);
  }, 120_000);
  afterAll(() => cleanup());

  for (const signal of ['SIGUSR1', 'SIGUSR2'] as const) {
    it(`${signal}: ignored with one line, no debugger, the run completes as a clean one`, async () => {
      const output = path.join(dir, `${signal}.csv`);
      const child = spawnCli(['score', input, '--text-column', 'review', '--backend', 'embedded', '-o', output]);
      await waitFor(() => rowsCheckpointed(output) >= 0, 60_000, 'the checkpoint written at the start');
      child.kill(signal);
      const ended = await child.result;
      expect(ended.stderr).not.toMatch(/Debugger listening/);
      expect(ended.stderr).toContain(`${signal} ignored: it does not stop sentiment-batch; send SIGTERM or SIGINT to stop the run (its checkpoint is saved)`);
      expect({ code: ended.code, signal: ended.signal }).toEqual({ code: 0, signal: null });
      // Buffer.equals: toEqual walks 20 MB byte by byte.
      expect(readFileSync(output).equals(readFileSync(clean))).toBe(true);
    }, 120_000);
  }
});
