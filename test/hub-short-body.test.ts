// `model pull` from a storage host whose answer ends, cleanly, before the file does: a proxy or a CDN that caps a
// response's size, answering each Range with part of what was asked (a 206 naming the part it sends, as RFC 9110
// allows). The short copy was hashed as if whole, said 'onnx/model_quantized.onnx is corrupt: 200000 bytes hashing to
// …' and deleted, exit 4; the next pull did the same. It is a transfer cut short: its bytes are kept and the rest
// asked for.
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
const CAP = 200_000;

describe('model pull from a storage host that sends at most 200 kB an answer', () => {
  let dir: string;
  let cleanup: () => void;
  let server: http.Server;
  let endpoint: string;
  const ranges: string[] = [];
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('sb-short-body-'));
    server = http.createServer((req, res) => {
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
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    cleanup();
  });

  it('keeps each part and asks for the rest, within the same pull: the file is whole and verified', async () => {
    const { folder } = await pullModel({ hub: readHubEnv({ HF_ENDPOINT: endpoint, HF_HUB_CACHE: path.join(dir, 'cache') }), repo: REPO, revision: 'main', modelDir: undefined, retryDelaysMs: [0, 0, 0] });
    expect(readFileSync(path.join(folder, ONNX)).equals(readFileSync(path.join(FIXTURE, ONNX)))).toBe(true);
    expect(ranges).toEqual(['whole', `bytes=${CAP}-`, `bytes=${2 * CAP}-`]);
  });
});
