import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rowsCheckpointed, runCli, spawnCli, waitWhileRunning } from './support/cli.js';
import { germanExport, scoredGermanExport } from './support/decimal-export.js';
import { useServedInput } from './support/served-input.js';

// --decimal is part of the job's settings: a job's output never mixes `0,97` and `0.97`. A run cut by kill -9 resumes
// in the comma form; a changed --decimal starts the job over with the answers it paid for kept (no request sent again);
// a rerun mends failed rows in the comma form.

const ROWS = 400;

describe('--decimal comma across runs', { timeout: 180_000 }, () => {
  const served = useServedInput('bewertungen.csv', () => germanExport(ROWS).text, { latency: '5-15ms', seed: 3 });
  const { env } = served;
  const args = (output: string, ...more: string[]) => ['score', served.input, '--delimiter', ';', '--text-column', 'Text', '-o', output, '--rpm', '600000', '--concurrency', '8', '--checkpoint-interval', '100ms', ...more];

  it('resumes a job killed mid-run to the bytes of one uninterrupted run, every score with a comma', async () => {
    const output = served.path('killed.csv');
    // ~100 requests a second (the rate is no part of the job's settings): the kill lands mid-run.
    const child = spawnCli([...args(output, '--decimal', 'comma'), '--rpm', '6000'], { env: env() });
    await waitWhileRunning(child, () => rowsCheckpointed(output) >= 100, 'a checkpoint past 100 rows');
    child.kill('SIGKILL');
    expect((await child.result).signal).toBe('SIGKILL');
    expect(readFileSync(`${output}.partial`, 'utf8')).toMatch(/;POSITIVE;0,\d+;0,\d+;;\r\n/);
    // Bytes a crash leaves past the last checkpoint.
    appendFileSync(`${output}.partial`, '999;4,5;halb geschrie');
    const resumed = await runCli(args(output, '--decimal', 'comma'), { env: env() });
    expect(resumed.stderr).toMatch(/resuming from the checkpoint/);
    expect(resumed.code).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe(scoredGermanExport(ROWS, 'comma'));
    // And report reads it: every row scored, none a bad score.
    const json = served.path('killed.report.json');
    const report = await runCli(['report', output, '-o', json], { env: env() });
    expect(report.code).toBe(0);
    const { totals } = JSON.parse(readFileSync(json, 'utf8')) as { totals: { rows: number; scored: number; failedByCode: object } };
    expect(totals).toMatchObject({ rows: ROWS, scored: ROWS, failedByCode: {} });
  });

  it('a changed --decimal writes the whole output anew in the new form, sending no request again', async () => {
    const output = served.path('switched.csv');
    expect((await runCli(args(output), { env: env() })).code).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe(scoredGermanExport(ROWS, 'point'));
    const sent = served.server.stats().total;

    const comma = await runCli(args(output, '--decimal', 'comma'), { env: env() });
    expect(comma.code).toBe(0);
    expect(comma.stderr).toMatch(/decimal mark/);
    expect(readFileSync(output, 'utf8')).toBe(scoredGermanExport(ROWS, 'comma'));
    expect(served.server.stats().total).toBe(sent);

    // The same command again: the job is done, nothing rewritten.
    const again = await runCli(args(output, '--decimal', 'comma'), { env: env() });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already/i);
    expect(served.server.stats().total).toBe(sent);

    // Under --resume require the change is refused: that job cannot continue in another form.
    const required = await runCli(args(output, '--resume', 'require'), { env: env() });
    expect(required.code).not.toBe(0);
    expect(required.stderr).toMatch(/decimal mark/);
    expect(readFileSync(output, 'utf8')).toBe(scoredGermanExport(ROWS, 'comma'));

    // And back to the point: the comma output's answers are read back, none sent again.
    const point = await runCli(args(output), { env: env() });
    expect(point.code).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe(scoredGermanExport(ROWS, 'point'));
    expect(served.server.stats().total).toBe(sent);
    expect(existsSync(`${output}.partial`)).toBe(false);
  });

  it('mends failed rows in the comma form, and a switch with failed rows sends only those', async () => {
    // Every sixth text ("Nr. 1: bad", "Nr. 7: bad"...) answered 500 while the rule stands; one attempt each.
    const failing = { latency: '1-3ms', rules: [{ textIncludes: ': bad', respond: { status: 500 } }] };
    const failed = Math.ceil((ROWS - 1) / 6);
    const once = ['--max-attempts', '1', '--max-error-rate', '1'];
    const mended = served.path('mended.csv');
    served.server.setFaults(failing);
    expect((await runCli(args(mended, '--decimal', 'comma', ...once), { env: env() })).code).toBe(0);
    expect(readFileSync(mended, 'utf8').match(/;"http_500: /g)).toHaveLength(failed);
    served.server.setFaults({ latency: '1-3ms' });
    let sent = served.server.stats().total;
    const mend = await runCli(args(mended, '--decimal', 'comma', ...once), { env: env() });
    expect(mend.code).toBe(0);
    expect(mend.stdout).toMatch(new RegExp(`mended ${failed} rows`));
    expect(served.server.stats().total - sent).toBe(failed);
    expect(readFileSync(mended, 'utf8')).toBe(scoredGermanExport(ROWS, 'comma'));

    // Failed under the point, then run with --decimal comma: the scored rows' answers are kept, the failed ones sent.
    const switched = served.path('switched-failed.csv');
    served.server.setFaults(failing);
    expect((await runCli(args(switched, ...once), { env: env() })).code).toBe(0);
    served.server.setFaults({ latency: '1-3ms' });
    sent = served.server.stats().total;
    expect((await runCli(args(switched, '--decimal', 'comma', ...once), { env: env() })).code).toBe(0);
    expect(served.server.stats().total - sent).toBe(failed);
    expect(readFileSync(switched, 'utf8')).toBe(scoredGermanExport(ROWS, 'comma'));
  });
});
