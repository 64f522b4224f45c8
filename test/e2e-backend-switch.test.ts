import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/** --backend auto never switches a job's model behind the operator's back: a checkpoint of another backend is refused (exit 2). */
describe('--backend auto and a checkpoint of another backend (built CLI)', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let input: string;
  const credentials = () => workersAiEnv(server);
  const args = (output: string, ...extra: string[]) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000', '--log-level', 'warn', ...extra];

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer() });
    input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(300));
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('a paused Workers AI job run again without the token, or without any credential: refused, the partial output kept; with the token it continues', async () => {
    const output = path.join(dir, 'wai.csv');
    expect((await runCli(args(output, '--max-requests', '40'), { env: credentials() })).code).toBe(75);
    const partial = readFileSync(`${output}.partial`);

    // Half the credentials are refused before the checkpoint is read (e2e-half-credentials.test.ts).
    const { CLOUDFLARE_API_TOKEN: _token, ...withoutToken } = credentials();
    const half = await runCli(args(output, '--summary-json', path.join(dir, 'wai.json')), { env: withoutToken });
    expect(half.code).toBe(2);
    expect(half.stderr).toBe(
      'sentiment-batch: only CLOUDFLARE_ACCOUNT_ID is set: Workers AI needs CLOUDFLARE_API_TOKEN too. Set it (or CLOUDFLARE_API_TOKEN_FILE), or pass --backend embedded to score offline on purpose\n',
    );
    expect(JSON.parse(readFileSync(path.join(dir, 'wai.json'), 'utf8'))).toMatchObject({ status: 'failed', exitCode: 2 });
    expect(readFileSync(`${output}.partial`)).toEqual(partial);

    const refused = await runCli(args(output, '--summary-json', path.join(dir, 'wai.json')), { env: { CLOUDFLARE_BASE_URL: server.baseURL } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `sentiment-batch: the checkpoint ${output}.checkpoint.json is a Workers AI job, but --backend auto now picks the embedded model (no Cloudflare credentials are set): ` +
        'set CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_TOKEN_FILE) to keep the job, or pass --backend embedded to start over with the embedded model\n',
    );
    expect(JSON.parse(readFileSync(path.join(dir, 'wai.json'), 'utf8'))).toMatchObject({ status: 'failed', exitCode: 2 });
    expect(readFileSync(`${output}.partial`)).toEqual(partial);

    const resumed = await runCli(args(output), { env: credentials() });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/this run: rows 2\d\d:/);
  });

  it('an embedded job run again where credentials are now set: refused; --backend embedded keeps it, --backend workers-ai starts over on purpose', async () => {
    const output = path.join(dir, 'emb.csv');
    expect((await runCli(args(output))).code).toBe(0);
    const refused = await runCli(args(output), { env: credentials() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^sentiment-batch: the checkpoint .*emb\.csv\.checkpoint\.json is an embedded-model job, but --backend auto now picks Workers AI .*: pass --backend embedded to keep the completed job, or pass --backend workers-ai to start over with Workers AI\n$/);
    // The same job run from a job file without "backend": the key to add (--backend embedded kept it for one run, and
    // the nightly run of the file was refused again), and "backend" named as the default it is, not a flag.
    const job = path.join(dir, 'emb-job.json');
    writeFileSync(job, JSON.stringify({ input, textColumn: 'review', output, rpm: 100000, logLevel: 'warn' }));
    const fromFile = await runCli(['run', job], { env: credentials() });
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toMatch(/, but --backend auto now picks Workers AI .*: add "backend": "embedded" to the job file to keep the completed job, or add "backend": "workers-ai" to the job file to start over with Workers AI\n$/);
    expect((await runCli(args(output, '--backend', 'embedded'), { env: credentials() })).stdout).toMatch(/^Already done/);
    const switched = await runCli(args(output, '--backend', 'workers-ai'), { env: credentials() });
    expect(switched.code).toBe(0);
    expect(switched.stdout).toMatch(/^Done: .*\n {2}rows 300:/);
    // The embedded job's answers cost nothing, and a run of that model reads no kept answers: they are not imported into
    // <output>.answers (the whole output read once more), where the line said they were kept so that "a run that asks
    // embedded:… again … does not send them again", of a model that sends nothing.
    expect(switched.stderr).toContain(`differ from the checkpoint's (model: embedded:sst2-nblr-lex-v5 then, workers-ai:@cf/huggingface/distilbert-sst-2-int8 now): starting over"`);
    expect(switched.stderr).not.toContain('.answers');
  });

  it('a completed job whose input has changed is over: the new export starts on the backend auto picks now', async () => {
    const own = path.join(dir, 'nightly.csv');
    writeFileSync(own, syntheticCsv(40));
    const output = path.join(dir, 'nightly.scored.csv');
    const run = (extra: Record<string, string> = {}) => runCli(['score', own, '--text-column', 'review', '-o', output, '--rpm', '100000', '--log-level', 'warn'], { env: extra });
    expect((await run()).code).toBe(0);
    // Tonight's export, and the credentials were set in the meantime.
    writeFileSync(own, syntheticCsv(41));
    const next = await run(credentials());
    expect(next.code).toBe(0);
    expect(next.stdout).toMatch(/^Done: .*\n {2}rows 41:/);
    expect(next.stdout).toMatch(/requests sent/);
  });

  it('a completed job whose input was only copied without its file times is the same job: refused, not scored again on another backend', async () => {
    const own = path.join(dir, 'copied.csv');
    writeFileSync(own, syntheticCsv(40));
    const output = path.join(dir, 'copied.scored.csv');
    const run = (extra: Record<string, string> = {}) => runCli(['score', own, '--text-column', 'review', '-o', output, '--rpm', '100000', '--log-level', 'warn'], { env: extra });
    expect((await run()).code).toBe(0);
    // The same bytes with another modification time (cp without -p, a download), and the credentials set meanwhile.
    utimesSync(own, new Date('2027-01-02T03:04:05Z'), new Date('2027-01-02T03:04:05Z'));
    const next = await run(credentials());
    expect(next.code).toBe(2);
    expect(next.stderr).toMatch(/is an embedded-model job, but --backend auto now picks Workers AI .*: pass --backend embedded to keep the completed job/);
  });
});
