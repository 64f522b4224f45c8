import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Figures } from '../src/report/index.js';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';

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

  // Operator review (a month of nightly runs, one job file, the same -o every night): the output stays in place until the
  // next night's run completes, but the summary and checkpoint beside it are replaced as soon as that run starts. A report
  // of the output while tonight's run worked, or after it was killed or stopped, showed tonight's run (`status incomplete`,
  // its requests and cost, or `failed (exit 3)` for an export it could not read through) on last night's complete file.
  it('a later run of the job that has not completed its output: its summary and checkpoint are left aside, and named', async () => {
    const input = at('nightly/in.csv');
    const night = ['score', input, '--text-column', 'review', '-o', at('nightly/out/nightly.scored.csv'), '--summary-json', at('nightly/out/nightly.summary.json'), '--backend', 'embedded'];
    const report = async (name: string) => {
      const r = await runCli(['report', at('nightly/out/nightly.scored.csv'), '-o', at(name)]);
      expect(r.code, r.stderr).toBe(0);
      return name.endsWith('.json') ? figuresOf(at(name)) : readFileSync(at(name), 'utf8');
    };
    mkdirSync(path.dirname(input));
    const export1 = syntheticCsv(1200);
    writeFileSync(input, export1);
    expect((await runCli(night)).code).toBe(0);
    // Tonight's export stops the run past its first rows (a byte that is not UTF-8): its checkpoint is of a job not complete.
    writeFileSync(input, Buffer.concat([Buffer.from(export1), Buffer.from('1200,"caf'), Buffer.from([0xe9]), Buffer.from(' au lait",5\n')]));
    expect((await runCli(night)).code).toBe(3);
    const stopped = (await report('stopped.json')) as Figures;
    expect(stopped.run).toBeNull();
    expect(stopped.runLeftAside).toEqual([at('nightly/out/nightly.summary.json'), at('nightly/out/nightly.scored.csv.checkpoint.json')]);
    expect(stopped.totals.rows).toBe(1200);
    expect(await report('stopped.html')).toContain(
      '<p class="run">Run: requests, retries, cost and duration of the run that wrote this file unknown <span class="muted">(nightly.summary.json and ' +
        'nightly.scored.csv.checkpoint.json: of a later run of the job that has not completed its output, not of this file)</span>.</p>',
    );
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
