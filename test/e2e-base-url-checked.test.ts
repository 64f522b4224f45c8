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
});
