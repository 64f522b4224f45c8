import { chmodSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFailureSummaryJsonSync, writeSummaryJson } from '../src/job/summary-file.js';
import { tempDir } from './support/cli.js';

// The summary a process writes as it exits on a second signal (docker kill -s TERM twice, a second Ctrl-C) was
// created owner-only (0600), where every other run's is 0644 (umask applied): a monitor reading --summary-json as
// another user (a sidecar, a node_exporter textfile collector) could not read that one. Found by
// `npm run bench -- docker-stop-soak`.
describe('--summary-json file mode', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('a second signal writes it with the mode of any other run', async () => {
    const usual = path.join(dir, 'usual.json');
    const hurried = path.join(dir, 'hurried.json');
    await writeSummaryJson(usual, { status: 'interrupted', exitCode: 130, message: 'stopped by SIGTERM', input: 'in.csv', finishedAt: new Date().toISOString() });
    writeFailureSummaryJsonSync(hurried, { status: 'interrupted', exitCode: 130, message: 'second SIGTERM: exited at once', input: 'in.csv', finishedAt: new Date().toISOString() });
    const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);
    expect(mode(hurried)).toBe(mode(usual));
    expect(mode(usual)).toBe((0o644 & ~process.umask()).toString(8));
  });

  it('a summary made 0600 (or 0640) by its user keeps that mode when a run, or a second signal, replaces it', async () => {
    // Replaced by a new copy made 0644, it came back readable by every user after each run (kept-mode.ts).
    const file = path.join(dir, 'kept.json');
    const summary = { status: 'interrupted', exitCode: 130, message: 'stopped by SIGTERM', input: 'in.csv', finishedAt: new Date().toISOString() } as const;
    await writeSummaryJson(file, summary);
    chmodSync(file, 0o600);
    await writeSummaryJson(file, summary);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    chmodSync(file, 0o640);
    writeFailureSummaryJsonSync(file, summary);
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });
});
