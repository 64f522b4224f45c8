import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatSummary, type Summary } from '../src/job/summary.js';
import { hurriedSummary } from '../src/job/signal-line.js';
import { openOutput } from '../src/job/open-output.js';
import type { StartDecision } from '../src/job/resume.js';
import type { Logger } from '../src/log.js';
import { StopController } from '../src/job/stop.js';
import { reportStoppedMessage } from '../src/report/after-run.js';
import { lockOutput } from '../src/state/output-lock.js';
import { emptyTotals } from '../src/state/totals.js';
import { typedPath } from '../src/wording/typed-path.js';
import { runCli } from './support/cli.js';
import { scoreInProcess } from './support/score-in-process.js';

// `Done: out.csv` names the output as the user gave it (-o out.csv); other lines a user reads named its absolute path
// (`/home/me/exports/out.csv`): the report stopped by a signal, the list of failed rows, a held lock, a second signal's
// summary. Each names it as typed now, and its files (.lock, .failed-rows) after it.
const dir = mkdtempSync(path.join(tmpdir(), 'sb-typed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function done(output: string): Summary {
  const totals = { ...emptyTotals(), read: 10, scored: 9, failed: 1 };
  return {
    status: 'done',
    exitCode: 0,
    input: 'in.csv',
    output,
    model: 'embedded:test',
    remote: false,
    totals,
    run: { totals, labels: {}, failuresByCode: {}, skippedByCode: {}, answeredRequests: 0, billableTokens: 0, billableNeurons: 0 },
    resumed: false,
    elapsedSeconds: 1,
    estimatedCostUsd: 0,
  };
}

describe('the output named as the user gave it', () => {
  const absolute = path.resolve('exports/out.csv');

  it('typedPath names the output and its files as typed, and any other path as it is', () => {
    expect(typedPath(absolute, 'exports/out.csv')).toBe('exports/out.csv');
    expect(typedPath(`${absolute}.failed-rows`, 'exports/out.csv')).toBe('exports/out.csv.failed-rows');
    expect(typedPath(`${absolute}.lock`, './exports/out.csv')).toBe('./exports/out.csv.lock');
    expect(typedPath(`${absolute}x`, 'exports/out.csv')).toBe(`${absolute}x`);
    expect(typedPath('/elsewhere/out.csv', 'exports/out.csv')).toBe('/elsewhere/out.csv');
    expect(typedPath(absolute, undefined)).toBe(absolute);
    expect(typedPath(absolute, absolute)).toBe(absolute);
  });

  // The run works in its output folder's real path (paths/settled-output.ts): `-o current/out.csv`, current a link to
  // release-1, has its files at release-1/out.csv.*, and the lines name them as typed all the same.
  it('typedPath names the files in the real folder of an output typed through a link as typed', () => {
    mkdirSync(path.join(dir, 'release-1'));
    symlinkSync('release-1', path.join(dir, 'current'));
    const typed = path.join(dir, 'current', 'out.csv');
    const real = path.join(dir, 'release-1', 'out.csv');
    expect(typedPath(real, typed)).toBe(typed);
    expect(typedPath(`${real}.lock`, typed)).toBe(`${typed}.lock`);
    expect(typedPath(typed, typed)).toBe(typed);
  });

  it('the report stopped by a signal names the output as the report is named (it said the absolute path)', () => {
    expect(reportStoppedMessage(done(absolute), 'r.html', 'SIGTERM', 'exports/out.csv')).toBe(
      'stopped by SIGTERM before the report was written: the output exports/out.csv is complete; r.html was not written (run the same command again to write it)',
    );
  });

  it("the summary's line of a missing list of failed rows names it after the output as typed", () => {
    const unlisted: Summary = { ...done(absolute), failedRows: { retry: 0, final: 0, unlisted: 1, list: 'missing' } };
    const said = formatSummary(unlisted, undefined, 'exports/out.csv');
    expect(said).toMatch(/^Done: exports\/out\.csv\n/);
    expect(said).toContain('the list of the rows that failed transiently (exports/out.csv.failed-rows) is missing');
    expect(said).not.toContain(absolute);
  });

  it("a second signal's summary of a completed run names the output as typed", () => {
    expect(hurriedSummary(done(absolute), new StopController(), 'SIGINT', 'exports/out.csv').message).toBe(
      "second SIGINT: exited at once as the run's summary was written; the output exports/out.csv is complete",
    );
  });

  it('--resume require refused for a missing partial output names it after the output as typed', async () => {
    const checkpoint = { position: { nextIndex: 1, inputOffset: 10, outputBytes: 20 }, totals: emptyTotals() };
    const decision = { kind: 'resume', checkpoint } as unknown as StartDecision;
    const partialPath = path.join(dir, 'gone.csv.partial');
    const options = { partialPath, header: 'id,text\n', firstRecordOffset: 8, requireResume: '--resume require', log: {} as Logger };
    // Typed relative to the folder the command runs in (here the test's), as -o is.
    const typed = path.relative(process.cwd(), path.join(dir, 'gone.csv'));
    const refused = (await openOutput(decision, { ...options, typedOutput: typed }).catch((e: unknown) => e)) as Error;
    expect(refused.message).toBe(`--resume require: the partial output ${typed}.partial is missing or shorter than the checkpoint says`);
  });

  it('a run refused by a held lock names the output and its lock as typed', async () => {
    writeFileSync(path.join(dir, 'in.csv'), 'id,text\n1,great\n');
    const lock = await lockOutput(path.join(dir, 'out.csv'));
    try {
      const refused = await runCli(['score', 'in.csv', '-o', 'out.csv', '--backend', 'embedded'], { cwd: dir });
      expect(refused.code).toBe(75);
      expect(refused.stderr).toContain(`another run is writing out.csv (host `);
      expect(refused.stderr).toContain('Its lock out.csv.lock is taken over at once');
      expect(refused.stderr).not.toContain(dir);
    } finally {
      await lock.release();
    }
  });

  it("the start's lines name the output as typed: a file no checkpoint claims, a completed job's output gone, an input grown", async () => {
    const job = path.join(dir, 'job');
    mkdirSync(job);
    writeFileSync(path.join(job, 'in.csv'), 'id,text\n1,great\n2,awful\n');
    const score = () => runCli(['score', 'in.csv', '-o', 'out.csv', '--backend', 'embedded', '--log-format', 'pretty'], { cwd: job });
    // The output no checkpoint claims: set-up (its checkpoint is removed next), made in this process, no CLI start.
    expect((await scoreInProcess([path.join(job, 'in.csv'), '-o', path.join(job, 'out.csv'), '--backend', 'embedded'])).code).toBe(0);
    rmSync(path.join(job, 'out.csv.checkpoint.json'));
    const unclaimed = await score();
    expect(unclaimed.stderr).toContain("WARN  out.csv exists and no checkpoint says it is this job's output");
    rmSync(path.join(job, 'out.csv'));
    const gone = await score();
    expect(gone.stderr).toContain('the checkpoint says the job was completed, but neither its output out.csv nor its partial output is there');
    appendFileSync(path.join(job, 'in.csv'), '3,fine\n');
    const grown = await score();
    expect(grown.stderr).toContain('(out.csv stays as it is until this run completes)');
    // Credentials set, no --backend: the completed embedded job is not switched to Workers AI without a word.
    const credentials = { CLOUDFLARE_ACCOUNT_ID: 'acct', CLOUDFLARE_API_TOKEN: 'token-abcdef123456', CLOUDFLARE_BASE_URL: 'http://127.0.0.1:9/client/v4' };
    const switched = await runCli(['score', 'in.csv', '-o', 'out.csv', '--log-format', 'pretty'], { cwd: job, env: credentials });
    expect(switched.code).toBe(2);
    expect(switched.stderr).toContain('the checkpoint out.csv.checkpoint.json is an embedded-model job, but --backend auto now picks Workers AI');
    // The output edited at its length: the checkpoint does not match it.
    const output = path.join(job, 'out.csv');
    writeFileSync(output, readFileSync(output, 'utf8').replace('POSITIVE', 'NEGATIVE'));
    const edited = await score();
    expect(edited.stderr).toContain('the checkpoint out.csv.checkpoint.json does not match the files:');
    for (const run of [unclaimed, gone, grown, switched, edited]) expect(run.stderr).not.toContain(job);
  });

  it("a completed job's output edited names the output and its checkpoint as typed, as `Done:` beside it does", async () => {
    const job = path.join(dir, 'edited');
    mkdirSync(job);
    writeFileSync(path.join(job, 'in.csv'), 'id,text\n1,great\n2,awful\n');
    const score = () => runCli(['score', 'in.csv', '-o', 'out.csv', '--backend', 'embedded', '--log-format', 'pretty'], { cwd: job });
    // The completed job: set-up, made in this process (no CLI start) with the paths in full; the lines checked are
    // those of the runs typed in the job's folder, which name its files as typed there, not as the checkpoint was made.
    expect((await scoreInProcess([path.join(job, 'in.csv'), '-o', path.join(job, 'out.csv'), '--backend', 'embedded'])).code).toBe(0);
    appendFileSync(path.join(job, 'out.csv'), '3,added by hand,POSITIVE,0.9,0.1\n');
    const edited = await score();
    expect(edited.stderr).toContain('the checkpoint out.csv.checkpoint.json does not match the files: out.csv holds ');
    // The export grown as well: its start-over names the files as typed too (grown-input.ts).
    appendFileSync(path.join(job, 'out.csv'), '3,added by hand,POSITIVE,0.9,0.1\n');
    appendFileSync(path.join(job, 'in.csv'), '3,fine\n');
    const grown = await score();
    expect(grown.stderr).toContain('but the job cannot be continued: the checkpoint does not match the files: out.csv holds ');
    for (const run of [edited, grown]) expect(run.stderr).not.toContain(job);
  });
});
