import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFailureSummaryJsonSync, writeSummaryJson } from '../src/job/summary-file.js';
import { runCli, tempDir } from './support/cli.js';

// --summary-json named the output by its absolute path but the input and the report as typed (`in.csv`,
// `r.html`): a pipeline reading the summary from another folder could not find them. Every path in the file is
// now absolute (the input's `-` stays `-`).
describe('--summary-json paths', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { input?: string; output?: string; report?: { path: string } };

  it('a run from its folder: input, output and report.path are absolute', async () => {
    writeFileSync(path.join(dir, 'in.csv'), 'id,text\n1,great stuff\n2,awful thing\n');
    const r = await runCli(['score', 'in.csv', '--text-column', 'text', '-o', 'out.csv', '--report', 'r.json', '--summary-json', 's.json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const summary = read(path.join(dir, 's.json'));
    expect(summary.input).toBe(path.join(dir, 'in.csv'));
    expect(summary.output).toBe(path.join(dir, 'out.csv'));
    expect(summary.report?.path).toBe(path.join(dir, 'r.json'));
  });

  it('a failure\'s summary and a second signal\'s too; standard input stays -', async () => {
    const failed = path.join(dir, 'failed.json');
    await writeSummaryJson(failed, { status: 'failed', exitCode: 3, message: 'input is empty', input: 'in.csv', finishedAt: new Date().toISOString(), report: { path: 'r.html', written: false } });
    expect(read(failed).input).toBe(path.resolve('in.csv'));
    expect(read(failed).report?.path).toBe(path.resolve('r.html'));
    const hurried = path.join(dir, 'hurried.json');
    writeFailureSummaryJsonSync(hurried, { status: 'interrupted', exitCode: 130, message: 'second SIGTERM: exited at once', input: '-', finishedAt: new Date().toISOString() });
    expect(read(hurried).input).toBe('-');
  });
});
