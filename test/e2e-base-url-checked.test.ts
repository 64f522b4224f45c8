import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';

// The base URL was checked only by the Workers AI client: `score --base-url notaurl` was refused (exit 2) while
// `estimate --base-url notaurl`, with the credentials set, printed an estimate for that address and exited 0. It is
// checked now where the configuration is read, for every command that takes it, from each place it can come from.
const INPUT = path.join(REPO_ROOT, 'fixtures/reviews.csv');
const CREDENTIALS = { CLOUDFLARE_ACCOUNT_ID: 'dev', CLOUDFLARE_API_TOKEN: 'dev' };

describe('a base URL that is not an http(s) URL', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('is refused by estimate as by score, from the flag, the environment or a job file', async () => {
    const flag = await runCli(['estimate', INPUT, '--text-column', 'review', '--base-url', 'notaurl'], { env: CREDENTIALS });
    expect(flag.stdout).toBe('');
    expect(flag.stderr).toMatch(/--base-url expects an http\(s\) URL, got 'notaurl': write http:\/\/notaurl\n$/);
    expect(flag.code).toBe(2);

    const env = await runCli(['estimate', INPUT, '--text-column', 'review'], { env: { ...CREDENTIALS, CLOUDFLARE_BASE_URL: 'ftp://example.com/client/v4' } });
    expect(env.stderr).toMatch(/CLOUDFLARE_BASE_URL expects an http\(s\) URL, got 'ftp:\/\/example.com\/client\/v4'\n$/);
    expect(env.code).toBe(2);

    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: INPUT, textColumn: 'review', baseUrl: '127.0.0.1:8787/client/v4' }));
    const jobFile = await runCli(['estimate', job], { env: CREDENTIALS });
    expect(jobFile.stderr).toContain(`job file ${job}: "baseUrl" expects an http(s) URL, got '127.0.0.1:8787/client/v4': write http://127.0.0.1:8787/client/v4`);
    expect(jobFile.code).toBe(2);

    // score says it in the same words, before it opens anything.
    const score = await runCli(['score', INPUT, '--text-column', 'review', '--base-url', 'notaurl', '-o', path.join(dir, 'out.csv')], { env: CREDENTIALS });
    expect(score.stderr).toMatch(/--base-url expects an http\(s\) URL, got 'notaurl': write http:\/\/notaurl\n$/);
    expect(score.code).toBe(2);
  });

  // CLOUDFLARE_BASE_URL describes the machine, as REDIS_URL does: a stale one beside no credentials (the embedded model
  // chosen) stopped the run with exit 2 until 2026-12-05, a value nothing in the run would read. It is checked when
  // Workers AI would be used, in the same words.
  it('from the environment, is refused when Workers AI would be used, not when the embedded model is', async () => {
    const stale = { CLOUDFLARE_BASE_URL: '127.0.0.1:8787/client/v4' };
    const offline = await runCli(['score', INPUT, '--text-column', 'review', '-o', path.join(dir, 'offline.csv')], { env: stale });
    expect(offline.stderr).not.toContain('CLOUDFLARE_BASE_URL');
    expect(offline.code).toBe(0);
    const chosen = await runCli(['score', INPUT, '--text-column', 'review', '--backend', 'embedded', '-o', path.join(dir, 'chosen.csv')], { env: { ...CREDENTIALS, ...stale } });
    expect(chosen.code).toBe(0);
    const remote = await runCli(['score', INPUT, '--text-column', 'review', '-o', path.join(dir, 'remote.csv')], { env: { ...CREDENTIALS, ...stale } });
    expect(remote.stderr).toMatch(/CLOUDFLARE_BASE_URL expects an http\(s\) URL, got '127\.0\.0\.1:8787\/client\/v4': write http:\/\/127\.0\.0\.1:8787\/client\/v4\n$/);
    expect(remote.code).toBe(2);
  });
});
