import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Figures } from '../src/report/index.js';
import { startServer, type RunningServer } from '../src/server/index.js';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';

const FIXTURE = path.join(REPO_ROOT, 'fixtures/reviews.csv');

/** The run figures on a report (requests, retries, status) are those of the run that wrote the file, or none. */
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

/** The status a report gives is the run's verdict: a run that ended exit 5 is not `done`, even with its output complete. */
describe('report: the status agrees with the run', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  const at = (name: string) => path.join(dir, name);
  const env = () => ({ CLOUDFLARE_ACCOUNT_ID: 'acct', CLOUDFLARE_API_TOKEN: 'token-abcdef123456', CLOUDFLARE_BASE_URL: server.baseURL });
  const runOf = async (args: string[]) => {
    const report = await runCli(['report', ...args]);
    expect(report.code).toBe(0);
    const output = args[args.indexOf('-o') + 1]!;
    return output.endsWith('.json') ? (JSON.parse(readFileSync(output, 'utf8')) as Figures).run : readFileSync(output, 'utf8');
  };

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('sb-report-status-'));
    server = await startServer({ scorer: new TestScorer(), seed: 3 });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('every row failed (exit 5, output complete): failed, from the summary (with exit 5) and from the checkpoint alone', async () => {
    writeFileSync(at('in.csv'), syntheticCsv(30, { duplicateEvery: 0, emptyEvery: 15 }));
    server.setFaults({ seed: 3, failRate: 1 });
    try {
      const args = ['score', at('in.csv'), '--text-column', 'review', '-o', at('out.csv'), '--max-attempts', '1', '--summary-json', at('s.json'), '--log-level', 'warn'];
      const run = await runCli(args, { env: env() });
      expect(run.code).toBe(5);
      expect(existsSync(at('out.csv'))).toBe(true);
    } finally {
      server.setFaults({ seed: 3 });
    }
    expect(await runOf([at('out.csv'), '--summary', at('s.json'), '-o', at('s-report.json')])).toMatchObject({ source: at('s.json'), status: 'failed', exitCode: 5 });
    expect(await runOf([at('out.csv'), '--summary', at('s.json'), '-o', at('s-report.html')])).toContain('status <span data-figure="run.status">failed (exit 5)</span>');
    // No summary found beside it (s.json is not out.csv.summary.json): the checkpoint's counts judge, as the job does.
    expect(await runOf([at('out.csv'), '-o', at('c-report.json')])).toMatchObject({ source: `${at('out.csv')}.checkpoint.json`, status: 'failed', exitCode: null });
    expect(await runOf([at('out.csv'), '-o', at('c-report.html')])).toContain('status <span data-figure="run.status">failed</span>');
  });

  it('some rows failed, within the limits (exit 0): done from the summary; from the checkpoint, complete (it does not know the limits)', async () => {
    writeFileSync(at('mostly.csv'), syntheticCsv(40, { duplicateEvery: 0, emptyEvery: 0, marker: (i) => (i % 8 === 3 ? ' OUTAGE' : '') }));
    server.setFaults({ seed: 3, rules: [{ textIncludes: 'OUTAGE', respond: { status: 500, code: 3043 } }] });
    try {
      const args = ['score', at('mostly.csv'), '--text-column', 'review', '-o', at('mostly.out.csv'), '--max-attempts', '1', '--summary-json', at('mostly.out.csv.summary.json'), '--log-level', 'warn'];
      expect((await runCli(args, { env: env() })).code).toBe(0);
    } finally {
      server.setFaults({ seed: 3 });
    }
    expect(await runOf([at('mostly.out.csv'), '-o', at('m-report.json')])).toMatchObject({ source: at('mostly.out.csv.summary.json'), status: 'done', exitCode: 0 });
    rmSync(at('mostly.out.csv.summary.json'));
    expect(await runOf([at('mostly.out.csv'), '-o', at('m-report.json')])).toMatchObject({ source: `${at('mostly.out.csv')}.checkpoint.json`, status: 'complete', exitCode: null });
  });

  it('no row failed: done from the checkpoint too', async () => {
    writeFileSync(at('clean.csv'), syntheticCsv(20, { duplicateEvery: 0, emptyEvery: 0 }));
    expect((await runCli(['score', at('clean.csv'), '--text-column', 'review', '-o', at('clean.out.csv'), '--log-level', 'warn'], { env: env() })).code).toBe(0);
    expect(await runOf([at('clean.out.csv'), '-o', at('clean-report.json')])).toMatchObject({ status: 'done', exitCode: null });
  });
});
