// A Node.js diagnostic report (node --report-on-fatalerror, --report-uncaught-exception, --report-on-signal: what an
// operator turns on to learn why a job crashed, and sends on) lists the process's environment variables. The API token
// read from CLOUDFLARE_API_TOKEN stayed there all run, so such a report held it: CLOUDFLARE_API_TOKEN is removed from
// the environment once read (config/resolve.ts), the token kept in memory only.
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';
import { useTestServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const TOKEN = 'SBtok_Zq8Xv3Lm9Np2Rt7Wy4Kc6Hb1Jd5Fg0Ae_X9';
const servers = useTestServer();
let cleanup = (): void => {};
afterEach(() => cleanup());

describe('a diagnostic report of a Workers AI run', () => {
  it('does not hold the API token among its environment variables', async () => {
    const made = tempDir('sb-crash-report-');
    cleanup = made.cleanup;
    const server = await servers.start({ token: TOKEN });
    copyFileSync(path.join(REPO_ROOT, 'fixtures/reviews.csv'), path.join(made.dir, 'in.csv'));
    const reportFile = path.join(made.dir, 'report.json');
    const result = await runCli(['score', 'in.csv', '--text-column', 'review', '--limit', '3'], {
      cwd: made.dir,
      env: { ...workersAiEnv(server, { token: TOKEN }), NODE_OPTIONS: `--import ${path.join(REPO_ROOT, 'test/support/report-at-exit.mjs')}`, SB_TEST_REPORT_FILE: reportFile },
    });
    expect(result.code, result.stderr).toBe(0);
    // Scored by Workers AI with the token: the server refuses any other.
    expect(server.stats().byStatus).toEqual({ 200: 3 });
    const report = readFileSync(reportFile, 'utf8');
    expect(report).toContain('"environmentVariables"');
    expect(report).toContain('CLOUDFLARE_ACCOUNT_ID');
    expect(report.includes(TOKEN), 'the token is in the report').toBe(false);
  });
});
