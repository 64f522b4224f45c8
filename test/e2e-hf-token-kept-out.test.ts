// HF_TOKEN, as the Cloudflare API token (e2e-token-not-in-crash-report, e2e-token-in-other-setting): a Node.js
// diagnostic report of `model pull` (--report-on-fatalerror, --report-on-signal: environment variables included) held it
// while it stayed in the environment, and a refusal that quotes the value given quoted it whole when it was pasted into
// HF_ENDPOINT. It is removed from the environment once read (hub/hub-env.ts) and scrubbed from every line written.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_FILES } from '../src/hub/hub-env.js';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';
import { startFakeHub, type FakeHub } from './support/fake-hub.js';

const REPO = 'Xenova/distilbert-base-uncased-finetuned-sst-2-english';
const FIXTURE = path.join(REPO_ROOT, 'fixtures/tiny-distilbert');
// The shape of a Hub token (hf_ and 34 characters).
const TOKEN = 'hf_Zq8Xv3Lm9Np2Rt7Wy4Kc6Hb1Jd5Fg0AeX9k';

describe('HF_TOKEN', () => {
  let hub: FakeHub;
  let dir: string;
  let cleanup: () => void;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('sb-hf-token-'));
    hub = await startFakeHub(REPO, FIXTURE, MODEL_FILES);
  });
  afterAll(async () => {
    await hub.close();
    cleanup();
  });

  it('is not in a diagnostic report of model pull, and still reaches the Hub', async () => {
    const reportFile = path.join(dir, 'report.json');
    const result = await runCli(['model', 'pull'], {
      env: {
        HF_ENDPOINT: hub.endpoint,
        HF_HUB_CACHE: path.join(dir, 'cache'),
        HF_TOKEN: TOKEN,
        NODE_OPTIONS: `--import ${path.join(REPO_ROOT, 'test/support/report-at-exit.mjs')}`,
        SB_TEST_REPORT_FILE: reportFile,
      },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(hub.authSeen.hub.length).toBeGreaterThan(0);
    expect(hub.authSeen.hub.every((auth) => auth === `Bearer ${TOKEN}`)).toBe(true);
    const report = readFileSync(reportFile, 'utf8');
    expect(report).toContain('"environmentVariables"');
    expect(report).toContain('HF_HUB_CACHE');
    expect(report.includes(TOKEN), 'the token is in the report').toBe(false);
  });

  it("pasted as --revision is not in pull's own lines: the one said before a retry, as the last line", async () => {
    // The line said before a try again (commands/model.ts) was written as it was: `the Hub answered HTTP 503 for
    // <repo>@<revision>/config.json: trying again in 1 s`, the token whole, while the same words as the last line were
    // scrubbed (process/error-line.ts).
    let asked = 0;
    const server = http.createServer((_req, res) => void res.writeHead(asked++ === 0 ? 503 : 404).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const result = await runCli(['model', 'pull', '--revision', TOKEN], { env: { HF_ENDPOINT: endpoint, HF_HUB_CACHE: path.join(dir, 'cache-3'), HF_TOKEN: TOKEN } });
      expect(asked).toBe(2);
      expect(result.stderr).toContain(`HTTP 503 for ${REPO}@[redacted]/config.json: trying again in 1 s`);
      // The URL asked, which the line names for a mirror (HF_ENDPOINT), holds the revision too.
      expect(result.stderr).toContain(`@[redacted]/config.json (HTTP 404 for ${endpoint}/${REPO}/resolve/[redacted]/config.json): check --repo, --revision`);
      expect(result.stderr.includes(TOKEN), result.stderr).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('pasted into HF_ENDPOINT is not quoted back by its refusal', async () => {
    const result = await runCli(['model', 'pull'], { env: { HF_ENDPOINT: TOKEN, HF_HUB_CACHE: path.join(dir, 'cache-2'), HF_TOKEN: TOKEN } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("HF_ENDPOINT expects a URL such as https://huggingface.co, got '[redacted]'");
    expect(result.stderr.includes(TOKEN), result.stderr).toBe(false);
  });
});
