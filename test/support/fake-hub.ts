/**
 * A local HTTP server laid out like the Hugging Face Hub, for `model pull`
 * tests: `/{repo}/resolve/{revision}/{file}` answers small files (ETag = git
 * blob sha1) and large ones (the ONNX file) with a 302 to a
 * second server, the "storage", that serves the bytes and honours Range
 * (X-Linked-Etag = sha256); small files come after a relative redirect to
 * the Hub's own resolve cache. Faults: cut a transfer after N bytes (the next one, or each), stall one (or its
 * answer) with the connection open, ignore Range, corrupt one, answer a web page or 503s.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface FakeHub {
  endpoint: string;
  commit: string;
  /** Bytes of file bodies sent by either server. */
  bodyBytes: number;
  /** Authorization headers seen, by server. */
  authSeen: { hub: string[]; storage: string[] };
  /** Cut the next storage transfer after this many bytes. */
  cutNextAfter: number | undefined;
  /** Cut every storage transfer after this many bytes (a link that drops every N bytes). */
  cutEvery: number | undefined;
  /** Storage answers every GET with the whole file (200), ignoring Range. */
  ignoreRange: boolean;
  /** The next storage transfer sends this many bytes, then nothing more, the connection left open. */
  stallNextAfter: number | undefined;
  /** Storage answers the next GET not at all, the connection left open. */
  silentNext: boolean;
  /** Serve this file's bytes with one byte changed (the hash header stays the true one). */
  corrupt: string | undefined;
  /** Storage sends 4 KiB every 20 ms (a slow link: a transfer takes seconds); set back to false, a transfer under way sends the rest at once. */
  slow: boolean;
  /** Storage answers GETs with a 200 HTML page (a proxy's block page) instead of the bytes. */
  webPage: boolean;
  /** Storage answers this many next GETs with 503. */
  failNext: number;
  /** With `slow`: a transfer sends its first 4 KiB, then nothing more while this is set. */
  hold: boolean;
  close(): Promise<void>;
}

const LFS = new Set(['onnx/model_quantized.onnx']);

/**
 * `names`: the host names its URLs use instead of 127.0.0.1 (hub, then storage), for a client that must go through a
 * proxy (test/support/forward-proxy.ts connects `*.proxied.test` to 127.0.0.1): this machine's own addresses never are.
 */
export async function startFakeHub(repo: string, folder: string, files: readonly string[], names?: { hub: string; storage: string }): Promise<FakeHub> {
  const commit = createHash('sha1').update(`fake commit of ${repo}`).digest('hex');
  const content = new Map(files.map((f) => [f, readFileSync(path.join(folder, f))]));
  const bySha256 = new Map<string, string>();
  for (const [file, bytes] of content) bySha256.set(createHash('sha256').update(bytes).digest('hex'), file);

  // The switches and counts a test reads and sets: the hub returned is this object itself (with its endpoint, commit
  // and close added), so a test's `hub.cutEvery = n` is what the servers read.
  const state: Omit<FakeHub, 'endpoint' | 'commit' | 'close'> = { bodyBytes: 0, authSeen: { hub: [], storage: [] }, cutNextAfter: undefined, cutEvery: undefined, ignoreRange: false, stallNextAfter: undefined, silentNext: false, corrupt: undefined, slow: false, webPage: false, failNext: 0, hold: false };
  const bodyOf = (file: string): Buffer => {
    const bytes = content.get(file) as Buffer;
    if (state.corrupt !== file) return bytes;
    const copy = Buffer.from(bytes);
    copy[copy.length >> 1] = (copy[copy.length >> 1] as number) ^ 0xff;
    return copy;
  };

  const storage = http.createServer((req, res) => {
    if (req.headers.authorization) state.authSeen.storage.push(req.headers.authorization);
    const file = bySha256.get((req.url ?? '').replace(/^\/blobs\//, ''));
    if (!file) return void res.writeHead(404).end();
    if (state.failNext > 0 && req.method === 'GET') {
      state.failNext--;
      return void res.writeHead(503).end();
    }
    if (state.silentNext && req.method === 'GET') {
      state.silentNext = false;
      return;
    }
    if (state.webPage && req.method === 'GET') {
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html><body>Blocked by your organisation</body></html>');
    }
    const body = bodyOf(file);
    const range = state.ignoreRange ? null : /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    // As storage servers answer a range that starts at or past the end (RFC 9110 15.5.17).
    if (start >= body.length && body.length > 0) return void res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
    const part = body.subarray(start);
    res.writeHead(range ? 206 : 200, { 'content-length': part.length, ...(range ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}) });
    // `cutEvery` lets the last part, shorter than it, through: the file can be finished.
    const cut = state.cutNextAfter ?? (state.cutEvery !== undefined && state.cutEvery < part.length ? state.cutEvery : undefined);
    if (cut !== undefined && req.method === 'GET') {
      state.cutNextAfter = undefined;
      state.bodyBytes += cut;
      res.write(part.subarray(0, cut), () => res.destroy());
      return;
    }
    const stall = state.stallNextAfter;
    if (stall !== undefined && req.method === 'GET') {
      state.stallNextAfter = undefined;
      state.bodyBytes += stall;
      res.write(part.subarray(0, stall));
      return;
    }
    if (req.method === 'GET') state.bodyBytes += part.length;
    if (req.method === 'GET' && state.slow) {
      let sent = 0;
      const tick = setInterval(() => {
        if (state.hold && sent > 0) return;
        // `slow` turned off mid-transfer: the rest at once (a held transfer, released, need not crawl to its end).
        if (!state.slow) {
          clearInterval(tick);
          res.end(part.subarray(sent));
          return;
        }
        if (sent >= part.length) {
          clearInterval(tick);
          res.end();
          return;
        }
        res.write(part.subarray(sent, sent + 4096));
        sent += 4096;
      }, 20);
      res.on('close', () => clearInterval(tick));
      return;
    }
    res.end(req.method === 'GET' ? part : undefined);
  });
  const storageUrl = await listen(storage, names?.storage);

  const hub = http.createServer((req, res) => {
    if (req.headers.authorization) state.authSeen.hub.push(req.headers.authorization);
    const prefix = `/${repo}/resolve/`;
    const url = decodeURIComponent(req.url ?? '');
    const cached = `/api/resolve-cache/models/${repo}/${commit}/`;
    if (url.startsWith(cached)) return void serveSmall(url.slice(cached.length), req, res);
    if (!url.startsWith(prefix)) return void res.writeHead(404).end();
    const [revision, ...rest] = url.slice(prefix.length).split('/');
    const file = rest.join('/');
    const bytes = content.get(file);
    if ((revision !== 'main' && revision !== commit) || !bytes) return void res.writeHead(404, { 'x-error-code': 'EntryNotFound' }).end();
    if (LFS.has(file)) {
      const sha = createHash('sha256').update(bytes).digest('hex');
      res.writeHead(302, { location: `${storageUrl}/blobs/${sha}`, 'x-repo-commit': commit, 'x-linked-etag': `"${sha}"`, 'x-linked-size': bytes.length, etag: `"${sha}"` });
      return void res.end();
    }
    // Small files: like the Hub, a relative redirect to its resolve cache first (no ETag on this hop).
    res.writeHead(307, { location: `${cached}${file}`, 'x-repo-commit': commit });
    res.end();
  });
  const serveSmall = (file: string, req: http.IncomingMessage, res: http.ServerResponse): void => {
    const bytes = content.get(file);
    if (!bytes || LFS.has(file)) return void res.writeHead(404).end();
    const gitSha = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
    const body = bodyOf(file);
    res.writeHead(200, { 'x-repo-commit': commit, etag: `"${gitSha}"`, 'content-length': body.length });
    if (req.method === 'GET') state.bodyBytes += body.length;
    res.end(req.method === 'GET' ? body : undefined);
  };
  const endpoint = await listen(hub, names?.hub);

  return Object.assign(state, {
    endpoint,
    commit,
    close: async () => {
      hub.closeAllConnections();
      storage.closeAllConnections();
      await Promise.all([new Promise((r) => hub.close(r)), new Promise((r) => storage.close(r))]);
    },
  });
}

async function listen(server: http.Server, name = '127.0.0.1'): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://${name}:${(server.address() as AddressInfo).port}`;
}
