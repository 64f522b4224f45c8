// `model pull` against storage that answers unlike the Hub's: a host the Hub's redirect names that cannot be reached,
// and answers that end, cleanly, before the file does.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readHubEnv } from '../src/hub/hub-env.js';
import { pullModel } from '../src/hub/pull.js';
import { REPO_ROOT, tempDir } from './support/cli.js';
import { PROXIED_DOMAIN, startForwardProxy, type ForwardProxy } from './support/forward-proxy.js';

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
  let port = 0;
  beforeAll(async () => {
    // A port that was just free: nothing listens there.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    port = (probe.address() as AddressInfo).port;
    storage = `http://127.0.0.1:${port}`;
    await new Promise((resolve) => probe.close(resolve));
  });
  afterEach(() => void vi.unstubAllEnvs());
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

  // Through a proxy this machine connects to the proxy only: 'a firewall lets the Hub through … (or set HTTPS_PROXY)'
  // told a user whose HTTP_PROXY was set to set it. The proxy could not reach the storage host, said with its variable.
  it('with HTTP_PROXY set, says the storage host could not be reached through the proxy, naming the variable', async () => {
    const proxy: ForwardProxy = await startForwardProxy();
    try {
      // The Hub (this machine) is reached directly; the storage host only through the proxy, which cannot connect to it
      // and answers the tunnel 502.
      storage = `http://storage.${PROXIED_DOMAIN}:${port}`;
      vi.stubEnv('HTTP_PROXY', proxy.url);
      vi.stubEnv('http_proxy', undefined);
      vi.stubEnv('NO_PROXY', '');
      vi.stubEnv('no_proxy', undefined);
      const refused = hub.pull([]);
      await expect(refused).rejects.toMatchObject({ code: 'download' });
      const message = await refused.catch((error: Error) => error.message);
      expect(proxy.targets).toEqual([`storage.${PROXIED_DOMAIN}:${port}`]);
      // Said before in undici's words: 'cannot reach … through the proxy … (Proxy response (502) !== 200 when HTTP Tunneling); check the network, HTTP_PROXY or HF_ENDPOINT'.
      expect(message).toBe(
        `the proxy ${proxy.url} (from HTTP_PROXY) answered 502 Bad Gateway when asked to connect to ${storage}, where the Hub ${hub.endpoint()} sent config.json: the Hub answered, ` +
          'and the proxy could not reach its storage host: it may be down (run the same command again later), ' +
          'or the proxy does not reach it (ask for it to be allowed, or name the host in NO_PROXY to reach it directly)',
      );
      expect(message).not.toContain('set HTTPS_PROXY');
    } finally {
      await proxy.close();
    }
  });
});

// A proxy or a CDN that caps an answer's size, answering each Range with part of what was asked (a 206 naming the part
// it sends, as RFC 9110 allows). The short copy was hashed as if whole, said 'tokenizer.json is corrupt: 200000 bytes
// hashing to …' and deleted, exit 4; the next pull did the same. It is a transfer cut short: its bytes are kept and
// the rest asked for.
/** A Hub whose every answer ends, cleanly (its Content-Length and Content-Range say so), after `cap(size)` bytes of the file; the ONNX file's Range headers go to `ranges`. */
function useCappingHub(cap: (size: number) => number, ranges: string[]): ReturnType<typeof useHub> {
  return useHub((req, res) => {
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
    const part = bytes.subarray(start, start + cap(bytes.length));
    const partial = req.headers.range !== undefined || part.length < bytes.length;
    res.writeHead(partial ? 206 : 200, { ...head, 'content-length': part.length, ...(partial ? { 'content-range': `bytes ${start}-${start + part.length - 1}/${bytes.length}` } : {}) });
    res.end(part);
  });
}

describe('model pull from a storage host that sends at most 200 kB an answer', () => {
  const CAP = 200_000;
  const ranges: string[] = [];
  const hub = useCappingHub(() => CAP, ranges);

  it('keeps each part and asks for the rest, within the same pull: the file is whole and verified', async () => {
    const { folder } = await hub.pull([0, 0, 0]);
    expect(readFileSync(path.join(folder, ONNX)).equals(readFileSync(path.join(FIXTURE, ONNX)))).toBe(true);
    expect(ranges).toEqual(['whole', `bytes=${CAP}-`, `bytes=${2 * CAP}-`]);
  });
});

// The last byte is the one a check against the announced size can be off by: a copy one byte short was hashed as whole,
// said corrupt and deleted (and the next pull alike), where its bytes are kept and the one left asked for.
describe('model pull from a storage host whose answer ends one byte short of the file', () => {
  const ranges: string[] = [];
  const hub = useCappingHub((size) => size - 1, ranges);

  it('keeps the copy one byte short and asks for that byte: no retry, the next pull finishes it', async () => {
    const size = readFileSync(path.join(FIXTURE, 'config.json')).length;
    await expect(hub.pull([])).rejects.toMatchObject({
      code: 'download',
      message: `the download of config.json was cut after ${size - 1} bytes (the answer ended short of the ${size} bytes the Hub announced); run the same command again to resume`,
    });
    const { folder } = await hub.pull([0, 0, 0, 0, 0]);
    expect(readFileSync(path.join(folder, ONNX)).equals(readFileSync(path.join(FIXTURE, ONNX)))).toBe(true);
    expect(readFileSync(path.join(folder, 'config.json')).equals(CONFIG)).toBe(true);
    const onnxSize = readFileSync(path.join(FIXTURE, ONNX)).length;
    expect(ranges).toEqual(['whole', `bytes=${onnxSize - 1}-`]);
  });
});
