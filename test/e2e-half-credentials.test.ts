import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

/**
 * Only one of the account id and the token under --backend auto is a typo (a cron env file), not a
 * choice of the offline model: exit 2 before any work, naming what is set as it was set. It was one
 * warning and a run on the embedded model, exit 0.
 */
describe('half-set Cloudflare credentials (built CLI)', () => {
  let dir: string;
  let cleanup: () => void;
  let input: string;
  let tokenFile: string;
  const score = (output: string, ...extra: string[]) => ['score', input, '--text-column', 'review', '-o', output, ...extra];
  const tooLine = (set: string, missing: string, alternative: string, offline = 'pass --backend embedded') =>
    `sentiment-batch: only ${set} is set: Workers AI needs ${missing} too. Set it (${alternative}), or ${offline} to score offline on purpose\n`;

  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,review\n1,great stuff\n2,awful stuff\n');
    tokenFile = path.join(dir, 'token');
    writeFileSync(tokenFile, 'token-abcdef123456\n');
  });
  afterAll(() => cleanup());

  it.each([
    ['CLOUDFLARE_ACCOUNT_ID only', { CLOUDFLARE_ACCOUNT_ID: 'acct' }, ['CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_TOKEN', 'or CLOUDFLARE_API_TOKEN_FILE']],
    ['CLOUDFLARE_API_TOKEN only', { CLOUDFLARE_API_TOKEN: 'token-abcdef123456' }, ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'or --account-id']],
    ['CLOUDFLARE_API_TOKEN_FILE only', 'file', ['CLOUDFLARE_API_TOKEN_FILE', 'CLOUDFLARE_ACCOUNT_ID', 'or --account-id']],
  ] as const)('%s: exit 2, one line, nothing written (a --summary-json says why)', async (name, env, [set, missing, alternative]) => {
    const output = path.join(dir, `${name.replace(/\W+/g, '-')}.csv`);
    const summary = `${output}.summary.json`;
    const r = await runCli(score(output, '--summary-json', summary), { env: env === 'file' ? { CLOUDFLARE_API_TOKEN_FILE: tokenFile } : env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(tooLine(set, missing, alternative));
    expect(r.stdout).toBe('');
    for (const file of [output, `${output}.partial`, `${output}.checkpoint.json`]) expect(existsSync(file)).toBe(false);
    expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ status: 'failed', exitCode: 2 });
  });

  it("names the job file's accountId key, and --account-id, as they were given", async () => {
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'in.csv', output: 'job-out.csv', textColumn: 'review', accountId: 'acct' }));
    const fromJob = await runCli(['run', job]);
    expect(fromJob.code).toBe(2);
    // A job file without "backend": its key to add (a flag would score offline once; the file's next run is refused again).
    expect(fromJob.stderr).toBe(tooLine(`"accountId" in job file ${job}`, 'CLOUDFLARE_API_TOKEN', 'or CLOUDFLARE_API_TOKEN_FILE', 'add "backend": "embedded" to the job file'));
    expect(existsSync(path.join(dir, 'job-out.csv'))).toBe(false);
    const fromFlag = await runCli(score(path.join(dir, 'flag.csv'), '--account-id', 'acct'));
    expect(fromFlag.code).toBe(2);
    expect(fromFlag.stderr).toBe(tooLine('--account-id', 'CLOUDFLARE_API_TOKEN', 'or CLOUDFLARE_API_TOKEN_FILE'));
  });

  it('--backend embedded scores offline on purpose, without a word about the credentials', async () => {
    const output = path.join(dir, 'offline.csv');
    const r = await runCli(score(output, '--backend', 'embedded', '--log-level', 'warn'), { env: { CLOUDFLARE_ACCOUNT_ID: 'acct' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Done: .*\n {2}rows 2: scored 2/);
  });

  // --backend workers-ai with no credential at all: estimate refused it (exit 2) though it sends nothing, and without
  // the flag it prints the Workers AI figures anyway. It prices Workers AI, saying that score refuses until they are set.
  it('estimate --backend workers-ai without credentials prices Workers AI and says that score will refuse', async () => {
    const r = await runCli(['estimate', input, '--text-column', 'review', '--backend', 'workers-ai'], { env: {} });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^backend: Workers AI, \S+ \(--backend workers-ai; CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN are not set: score refuses to start until then\)$/m);
    expect(r.stdout).toMatch(/^requests 2 · /m);
    // score itself still refuses, as before.
    const scored = await runCli(score(path.join(dir, 'none.csv'), '--backend', 'workers-ai'), { env: {} });
    expect(scored.code).toBe(2);
    expect(scored.stderr).toMatch(/--backend workers-ai needs CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN/);
  });

  it('estimate, which sends nothing, still answers: it prices Workers AI and says that score will refuse', async () => {
    const r = await runCli(['estimate', input, '--text-column', 'review'], { env: { CLOUDFLARE_API_TOKEN_FILE: tokenFile } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^backend: Workers AI, \S+ \(only CLOUDFLARE_API_TOKEN_FILE is set: Workers AI needs CLOUDFLARE_ACCOUNT_ID too\..*; score refuses to start until then\)$/m);
    expect(r.stdout).toMatch(/^requests 2 · /m);
  });
});
