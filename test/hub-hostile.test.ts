// `model pull` against a Hub (or a mirror named in HF_ENDPOINT) that answers what an attacker would: a redirect to a
// scheme that is not HTTP, from https:// to http://, in a loop; a file body longer than the size announced for it, or a
// size no model file has; a revision that climbs out of the cache folder. Each is refused with a download or config
// error, and nothing is written outside the cache. The token's own rules (to the Hub's origin only) are in model-pull.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkRevision, readHubEnv } from '../src/hub/hub-env.js';
import { MAX_FILE_BYTES } from '../src/hub/download-file.js';
import { redirectTarget, type HubRequest } from '../src/hub/hub-file.js';
import { pullModel } from '../src/hub/pull.js';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';

const REPO = 'Xenova/distilbert-base-uncased-finetuned-sst-2-english';
const CONFIG = readFileSync(path.join(REPO_ROOT, 'fixtures/tiny-distilbert/config.json'));
const COMMIT = 'c'.repeat(40);
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Answers every request to the Hub or its storage (`storage`: the other server's origin, where a file redirects to). */
type Answer = (req: http.IncomingMessage, res: http.ServerResponse, storage: string) => void;

describe('model pull against a hostile Hub', () => {
  let dir: string;
  let cleanup: () => void;
  let servers: http.Server[];
  let endpoint: string;
  let storage: string;
  let answer: Answer;
  let bytesSent = 0;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('sb-hub-hostile-'));
    // Two origins, as the Hub and its storage are: a redirect within the Hub's own origin is followed to its answer.
    servers = [0, 1].map(() => http.createServer((req, res) => answer(req, res, storage)));
    const [hubUrl, storageUrl] = await Promise.all(
      servers.map(async (server) => {
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      }),
    );
    [endpoint, storage] = [hubUrl as string, storageUrl as string];
  });
  afterAll(async () => {
    for (const server of servers) server.closeAllConnections();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    cleanup();
  });
  beforeEach(() => {
    bytesSent = 0;
  });
  // HEAD on the resolve URL: the commit, the file's sha256 and `size`, and where the bytes are.
  const lfsHead = (res: http.ServerResponse, size: number, location: string): void =>
    void res.writeHead(302, { location, 'x-repo-commit': COMMIT, 'x-linked-etag': `"${sha256(CONFIG)}"`, 'x-linked-size': String(size) }).end();
  const pull = (cache: string, revision = 'main') =>
    pullModel({ hub: readHubEnv({ HF_ENDPOINT: endpoint, HF_HUB_CACHE: cache }), repo: REPO, revision, modelDir: undefined, retryDelaysMs: [] });

  it('a redirect to a scheme that is not http(s) is a download error naming it, not an internal error', async () => {
    answer = (req, res) => lfsHead(res, CONFIG.length, 'file:///etc/passwd');
    await expect(pull(path.join(dir, 'file-scheme'))).rejects.toMatchObject({
      code: 'download',
      message: expect.stringContaining("redirected config.json to 'file:///etc/passwd'"),
    });
  });

  it('a file body longer than the size announced is cut at that size and refused: the disk is not filled', async () => {
    answer = (req, res, store) => {
      if (req.url?.startsWith('/blob')) {
        // The true bytes, then 64 MiB more: a storage host (or whatever answers for it) that does not stop.
        res.writeHead(200);
        res.write(CONFIG);
        const chunk = Buffer.alloc(1 << 20, 0x41);
        let left = 64;
        const pump = (): void => {
          while (left > 0) {
            left--;
            bytesSent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        return pump();
      }
      lfsHead(res, CONFIG.length, `${store}/blob`);
    };
    const cache = path.join(dir, 'longer');
    await expect(pull(cache)).rejects.toMatchObject({ code: 'download', message: expect.stringContaining(`config.json: the server sent more than the ${CONFIG.length} bytes the Hub announced`) });
    const snapshot = path.join(cache, `models--${REPO.replace('/', '--')}`, 'snapshots', COMMIT);
    // Nothing kept: neither the file nor an .incomplete copy of it to resume from.
    expect(readdirSync(snapshot).filter((f) => !f.startsWith('config.json.lock'))).toEqual([]);
  });

  it('a size announced past what any model file may be is refused before a byte is fetched', async () => {
    let gets = 0;
    answer = (req, res, store) => {
      if (req.url?.startsWith('/blob')) {
        gets++;
        return void res.writeHead(200).end(CONFIG);
      }
      lfsHead(res, MAX_FILE_BYTES + 1, `${store}/blob`);
    };
    await expect(pull(path.join(dir, 'huge'))).rejects.toMatchObject({ code: 'download', message: expect.stringMatching(/config\.json is announced as 2147483649 bytes, more than the 2147483648 a model file may be/) });
    expect(gets).toBe(0);
  });

  it('a commit that is not 40 hex digits (it names the snapshot folder) is refused before anything is written', async () => {
    answer = (req, res) => void res.writeHead(200, { 'x-repo-commit': '../../../../escaped', etag: `"${'0'.repeat(40)}"` }).end();
    const cache = path.join(dir, 'commit');
    await expect(pull(cache)).rejects.toMatchObject({ code: 'download', message: "the Hub sent an unexpected X-Repo-Commit '../../../../escaped' for config.json" });
    expect(existsSync(cache)).toBe(false);
  });

  it('a redirect loop stops after 5 hops', async () => {
    let hops = 0;
    answer = (req, res, store) => {
      if (req.url?.startsWith('/blob')) {
        hops++;
        return void res.writeHead(302, { location: `${store}/blob${hops}` }).end();
      }
      lfsHead(res, CONFIG.length, `${store}/blob`);
    };
    await expect(pull(path.join(dir, 'loop'))).rejects.toMatchObject({ code: 'download', message: 'too many redirects fetching config.json' });
    expect(hops).toBe(6);
  });

  it('a revision that climbs out of the cache folder is refused before the Hub is asked; a ref such as refs/pr/1 is not', async () => {
    let asked = 0;
    answer = (req, res) => {
      asked++;
      res.writeHead(404).end();
    };
    const escape = path.join(dir, 'escaped');
    const revision = path.relative(path.join(dir, 'rev', `models--${REPO.replace('/', '--')}`, 'refs'), escape);
    expect(revision.startsWith('../')).toBe(true);
    const result = await runCli(['model', 'pull', '--revision', revision], { env: { HF_ENDPOINT: endpoint, HF_HUB_CACHE: path.join(dir, 'rev') } });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`--revision expects a branch, tag or commit of the repo such as main or refs/pr/1, got '${revision}'`);
    expect(asked).toBe(0);
    expect(existsSync(escape)).toBe(false);
    for (const bad of ['/etc/x', '..', 'a/../b', 'a\\..\\b', 'main\0', 'a//b', 'a/', '.hidden', 'a\nb']) expect(() => checkRevision(bad), JSON.stringify(bad)).toThrow(/--revision expects/);
    for (const good of ['main', 'v1.0', 'refs/pr/1', 'refs/convert/onnx', COMMIT, 'feature/x-y_z']) expect(checkRevision(good)).toBe(good);
  });
});

describe('where a redirect may go', () => {
  const r = { file: 'config.json', endpoint: 'https://huggingface.co' } as HubRequest;
  it('https to https elsewhere (the Hub\'s storage) and http to https are followed; https to http is refused', () => {
    expect(redirectTarget('https://cas-bridge.xethub.hf.co/x?sig=1', 'https://huggingface.co/a/b/resolve/main/config.json', r)).toBe('https://cas-bridge.xethub.hf.co/x?sig=1');
    expect(redirectTarget('/api/resolve-cache/x', 'https://huggingface.co/a', r)).toBe('https://huggingface.co/api/resolve-cache/x');
    expect(redirectTarget('https://mirror.example/x', 'http://mirror.example/a', r)).toBe('https://mirror.example/x');
    expect(() => redirectTarget('http://cdn.example/x', 'https://huggingface.co/a', r)).toThrow("https://huggingface.co redirected config.json to 'http://cdn.example/x': from https:// to plain http://, which is refused");
  });
});
