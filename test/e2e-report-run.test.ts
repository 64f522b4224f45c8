import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Figures } from '../src/report/index.js';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';

const FIXTURE = path.join(REPO_ROOT, 'fixtures/reviews.csv');

/**
 * The run figures on a report (requests, retries, status) are those of the run that wrote the file, or none.
 * The status a report gives the runs that ended with failed rows: e2e-run-outcome.test.ts, which makes those runs.
 */
describe('report: the run it shows is the run that wrote the file', () => {
  let dir: string;
  let cleanup: () => void;
  const at = (name: string) => path.join(dir, name);
  const figuresOf = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Figures;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('sb-report-run-'));
    // Two outputs of two runs (the embedded model: no credentials), each with its summary.
    const runs = [
      ['score', FIXTURE, '--text-column', 'review', '-o', at('out/mf.csv'), '--summary-json', at('out/mf1.json'), '--backend', 'embedded'],
      ['score', FIXTURE, '--text-column', 'review', '-o', at('out/ref.csv'), '--summary-json', at('out/ref1.json'), '--backend', 'embedded', '--limit', '5'],
    ];
    for (const args of runs) expect((await runCli(args)).code).toBe(0);
  });
  afterAll(() => cleanup());

  it('--summary naming another output is refused (exit 2), saying which file it names; the right one is used', async () => {
    const refused = await runCli(['report', at('out/ref.csv'), '--summary', at('out/mf1.json'), '-o', at('ref.json')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `sentiment-batch: --summary ${at('out/mf1.json')} is the summary of the run that wrote ${at('out/mf.csv')}, not ${at('out/ref.csv')}: ` +
        `give that file, or the --summary-json of the run that wrote ${at('out/ref.csv')} (or no --summary)\n`,
    );
    expect(existsSync(at('ref.json'))).toBe(false);

    const own = await runCli(['report', at('out/ref.csv'), '--summary', at('out/ref1.json'), '-o', at('ref.json')]);
    expect(own.code).toBe(0);
    expect(figuresOf(at('ref.json')).run).toMatchObject({ source: at('out/ref1.json'), status: 'done' });
    const other = await runCli(['report', at('out/mf.csv'), '--summary', at('out/mf1.json'), '-o', at('mf.json')]);
    expect(other.code).toBe(0);
    expect(figuresOf(at('mf.json')).run?.source).toBe(at('out/mf1.json'));
  });

  it('the summary of a run that wrote to standard output names no file: --summary takes it as given', async () => {
    const piped = await runCli(['score', '-', '--format', 'csv', '--text-column', 'review', '-o', '-', '--summary-json', at('piped1.json'), '--backend', 'embedded'], {
      input: readFileSync(FIXTURE),
    });
    expect(piped.code).toBe(0);
    writeFileSync(at('piped.csv'), piped.stdout);
    const report = await runCli(['report', at('piped.csv'), '--text-column', 'review', '--summary', at('piped1.json'), '-o', at('piped.json')]);
    expect(report.code).toBe(0);
    expect(figuresOf(at('piped.json')).run?.source).toBe(at('piped1.json'));
  });
});
