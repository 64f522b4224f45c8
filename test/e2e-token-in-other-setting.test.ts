// The API token given where another setting goes (pasted into --account-id, a job file's "accountId", or a query of
// CLOUDFLARE_BASE_URL) was quoted back whole by the setting's refusal (exit 2): "got 'http://…?token=<token>'",
// on standard error, which a scheduler keeps in its logs. The closing line names the setting and what was wrong, with
// the token written [redacted] (process/known-secret.ts); the other parts of the value given are still shown.
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';

const TOKEN = 'SBtok_Zq8Xv3Lm9Np2Rt7Wy4Kc6Hb1Jd5Fg0Ae_X9';
let cleanup = (): void => {};
afterEach(() => cleanup());

function folder(): string {
  const made = tempDir('sb-token-other-');
  cleanup = made.cleanup;
  copyFileSync(path.join(REPO_ROOT, 'fixtures/reviews.csv'), path.join(made.dir, 'in.csv'));
  return made.dir;
}

describe('the API token given in another setting', () => {
  it('is never quoted back by that setting refusal: base URL query, --account-id, job file values', async () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'job.json'), JSON.stringify({ input: 'in.csv', textColumn: 'review', accountId: `${TOKEN} x` }));
    // A job file is read before the environment was: its refusals quoted the token all the same.
    writeFileSync(path.join(dir, 'rpm.json'), JSON.stringify({ input: 'in.csv', textColumn: 'review', rpm: TOKEN }));
    const env = { CLOUDFLARE_ACCOUNT_ID: 'dev', CLOUDFLARE_API_TOKEN: TOKEN };
    const runs = [
      { args: ['score', 'in.csv', '--text-column', 'review'], env: { ...env, CLOUDFLARE_BASE_URL: `http://127.0.0.1:9/client/v4?token=${TOKEN}` }, says: "may not hold a query ('?…'), got 'http://127.0.0.1:9/client/v4?token=[redacted]'" },
      { args: ['score', 'in.csv', '--text-column', 'review', '--account-id', `${TOKEN} x`], env, says: 'got "[redacted] x"' },
      { args: ['run', 'job.json'], env, says: '"accountId" in job file job.json' },
      { args: ['run', 'rpm.json'], env, says: `"rpm" expects a positive integer, got '[redacted]'` },
    ];
    for (const run of runs) {
      const result = await runCli(run.args, { cwd: dir, env: run.env });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(run.says);
      expect(result.stderr + result.stdout).not.toContain(TOKEN);
    }
  });
});
