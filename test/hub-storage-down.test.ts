// `model pull` where the Hub answers and the storage host its redirect names cannot be reached (down, or a firewall that
// lets the Hub through but not its storage). Said as 'cannot reach http://HOST (connect ECONNREFUSED …); check the
// network, HTTPS_PROXY or HF_ENDPOINT', naming neither the file nor that the Hub itself had answered: HF_ENDPOINT was
// fine, and the host to allow was the storage's.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHubEnv } from '../src/hub/hub-env.js';
import { pullModel } from '../src/hub/pull.js';
import { REPO_ROOT, tempDir } from './support/cli.js';

const REPO = 'Xenova/distilbert-base-uncased-finetuned-sst-2-english';
const CONFIG = readFileSync(path.join(REPO_ROOT, 'fixtures/tiny-distilbert/config.json'));

describe('model pull when the Hub answers and its storage host cannot be reached', () => {
  let dir: string;
  let cleanup: () => void;
  let hub: http.Server;
  let endpoint: string;
  let storage: string;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('sb-storage-down-'));
    // A port that was just free: nothing listens there.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    storage = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((resolve) => probe.close(resolve));
    hub = http.createServer((_req, res) => {
      const sha = createHash('sha256').update(CONFIG).digest('hex');
      res.writeHead(302, { location: `${storage}/blobs/${sha}`, 'x-repo-commit': 'c'.repeat(40), 'x-linked-etag': `"${sha}"`, 'x-linked-size': String(CONFIG.length) }).end();
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    hub.closeAllConnections();
    await new Promise((resolve) => hub.close(resolve));
    cleanup();
  });

  it('names the file, the storage host, that the Hub answered, and what to allow', async () => {
    const pull = pullModel({ hub: readHubEnv({ HF_ENDPOINT: endpoint, HF_HUB_CACHE: path.join(dir, 'cache') }), repo: REPO, revision: 'main', modelDir: undefined, retryDelaysMs: [] });
    await expect(pull).rejects.toMatchObject({
      code: 'download',
      message: expect.stringMatching(
        new RegExp(
          `^cannot reach ${storage}, where the Hub ${endpoint} sent config\\.json \\(connect ECONNREFUSED [^)]*\\): the Hub answered and its storage host did not: ` +
            `the storage may be down \\(run the same command again later\\), or a firewall lets the Hub through and not this host \\(ask for it to be allowed, or set HTTPS_PROXY\\)$`,
        ),
      ),
    });
  });
});
