// `model pull` against storage that answers unlike the Hub's: a host the Hub's redirect names that cannot be reached,
// and answers that end, cleanly, before the file does.
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
const FIXTURE = path.join(REPO_ROOT, 'fixtures/tiny-distilbert');
const ONNX = 'onnx/model_quantized.onnx';
const CONFIG = readFileSync(path.join(FIXTURE, 'config.json'));

/** A Hub on a free loopback port answering with `answer`, and a cache folder to pull into; `pull()` pulls the default repo. */
function useHub(answer: http.RequestListener): { endpoint: () => string; pull: (retryDelaysMs: number[]) => ReturnType<typeof pullModel> } {
  let dir: string;
  let cleanup: () => void;
  let server: http.Server;
  let endpoint = '';
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('sb-hub-storage-'));
    server = http.createServer(answer);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    cleanup();
  });
  return {
    endpoint: () => endpoint,
    pull: (retryDelaysMs) => pullModel({ hub: readHubEnv({ HF_ENDPOINT: endpoint, HF_HUB_CACHE: path.join(dir, 'cache') }), repo: REPO, revision: 'main', modelDir: undefined, retryDelaysMs }),
  };
}

// A Hub that answered and a storage host that is down, or that a firewall blocks while letting the Hub through. Said as
// 'cannot reach http://HOST (connect ECONNREFUSED …); check the network, HTTPS_PROXY or HF_ENDPOINT', naming neither
// the file nor that the Hub itself had answered: HF_ENDPOINT was fine, and the host to allow was the storage's.
describe('model pull when the Hub answers and its storage host cannot be reached', () => {
  let storage = '';
  beforeAll(async () => {
    // A port that was just free: nothing listens there.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    storage = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((resolve) => probe.close(resolve));
  });
  const hub = useHub((_req, res) => {
    const sha = createHash('sha256').update(CONFIG).digest('hex');
    res.writeHead(302, { location: `${storage}/blobs/${sha}`, 'x-repo-commit': 'c'.repeat(40), 'x-linked-etag': `"${sha}"`, 'x-linked-size': String(CONFIG.length) }).end();
  });

  it('names the file, the storage host, that the Hub answered, and what to allow', async () => {
    await expect(hub.pull([])).rejects.toMatchObject({
      code: 'download',
      message: expect.stringMatching(
        new RegExp(
          `^cannot reach ${storage}, where the Hub ${hub.endpoint()} sent config\\.json \\(connect ECONNREFUSED [^)]*\\): the Hub answered and its storage host did not: ` +
            `the storage may be down \\(run the same command again later\\), or a firewall lets the Hub through and not this host \\(ask for it to be allowed, or set HTTPS_PROXY\\)$`,
        ),
      ),
    });
  });
});

// A proxy or a CDN that caps an answer's size, answering each Range with part of what was asked (a 206 naming the part
// it sends, as RFC 9110 allows). The short copy was hashed as if whole, said 'tokenizer.json is corrupt: 200000 bytes
// hashing to …' and deleted, exit 4; the next pull did the same. It is a transfer cut short: its bytes are kept and
// the rest asked for.
describe('model pull from a storage host that sends at most 200 kB an answer', () => {
  const CAP = 200_000;
  const ranges: string[] = [];
  const hub = useHub((req, res) => {
    const file = decodeURIComponent(req.url ?? '').split('/resolve/main/')[1] ?? '';
    let bytes: Buffer;
    try {
      bytes = readFileSync(path.join(FIXTURE, file));
    } catch {
      return void res.writeHead(404).end();
    }
    const hash = file === ONNX ? createHash('sha256').update(bytes).digest('hex') : createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
    const head = { 'x-repo-commit': 'c'.repeat(40), ...(file === ONNX ? { 'x-linked-etag': `"${hash}"`, 'x-linked-size': String(bytes.length) } : { etag: `"${hash}"` }) };
    if (req.method === 'HEAD') return void res.writeHead(200, { ...head, 'content-length': bytes.length }).end();
    const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    if (file === ONNX) ranges.push(req.headers.range ?? 'whole');
    const part = bytes.subarray(start, start + CAP);
    const partial = req.headers.range !== undefined || part.length < bytes.length;
    res.writeHead(partial ? 206 : 200, { ...head, 'content-length': part.length, ...(partial ? { 'content-range': `bytes ${start}-${start + part.length - 1}/${bytes.length}` } : {}) });
    res.end(part);
  });

  it('keeps each part and asks for the rest, within the same pull: the file is whole and verified', async () => {
    const { folder } = await hub.pull([0, 0, 0]);
    expect(readFileSync(path.join(folder, ONNX)).equals(readFileSync(path.join(FIXTURE, ONNX)))).toBe(true);
    expect(ranges).toEqual(['whole', `bytes=${CAP}-`, `bytes=${2 * CAP}-`]);
  });
});
