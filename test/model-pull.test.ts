import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { progressLine, retryLine } from '../src/commands/model.js';
import { snapshotFolder } from '../src/hub/cache-layout.js';
import { MODEL_FILES, readHubEnv } from '../src/hub/hub-env.js';
import { httpError, type HubRequest } from '../src/hub/hub-file.js';
import { pullModel } from '../src/hub/pull.js';
import { createLogger } from '../src/log.js';
import { createLocalScorer } from '../src/scoring/local/local-scorer.js';
import { REPO_ROOT, runCli, spawnCli, tempDir, waitFor, waitWhileRunning } from './support/cli.js';
import { startFakeHub, type FakeHub } from './support/fake-hub.js';
import { PROXIED_DOMAIN, startForwardProxy } from './support/forward-proxy.js';
import { canMount, useTmpfsMounts } from './support/mount.js';

const REPO = 'Xenova/distilbert-base-uncased-finetuned-sst-2-english';
const FIXTURE = path.join(REPO_ROOT, 'fixtures/tiny-distilbert');
const ONNX = 'onnx/model_quantized.onnx';

describe('model pull from a server laid out like the Hub', () => {
  let hub: FakeHub;
  let dir: string;
  let cleanup: () => void;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    hub = await startFakeHub(REPO, FIXTURE, MODEL_FILES);
  });
  afterAll(async () => {
    await hub.close();
    cleanup();
  });
  const env = (cache: string): Record<string, string> => ({ HF_ENDPOINT: hub.endpoint, HF_HUB_CACHE: cache, HF_TOKEN: 'hf_test_token' });

  it('downloads, verifies and records the commit; a second pull downloads nothing', async () => {
    const cache = path.join(dir, 'cache-a');
    const first = await runCli(['model', 'pull'], { env: env(cache) });
    expect(first.code).toBe(0);
    const folder = snapshotFolder(cache, REPO, hub.commit);
    for (const file of MODEL_FILES) expect(readFileSync(path.join(folder, file)).equals(readFileSync(path.join(FIXTURE, file)))).toBe(true);
    expect(readFileSync(path.join(cache, `models--${REPO.replace('/', '--')}`, 'refs', 'main'), 'utf8')).toBe(hub.commit);
    expect(first.stdout).toContain(`→ ${hub.commit}: downloaded`);
    // The token goes to the Hub, never to the storage host it redirects to.
    expect(hub.authSeen.hub.every((a) => a === 'Bearer hf_test_token')).toBe(true);
    expect(hub.authSeen.hub.length).toBeGreaterThan(0);
    expect(hub.authSeen.storage).toEqual([]);

    const before = hub.bodyBytes;
    const second = await runCli(['model', 'pull'], { env: env(cache) });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('nothing to download, already complete');
    expect(hub.bodyBytes).toBe(before);

    const list = await runCli(['model', 'list'], { env: env(cache) });
    expect(list.stdout).toContain(`${REPO}  main → ${hub.commit}`);
    expect(list.stdout).toContain('complete');

    // The pulled model is what --backend local finds by default, named by its commit.
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,review\n1,great phone\n2,awful battery\n');
    const scored = await runCli(['score', input, '--text-column', 'review', '--backend', 'local', '-o', path.join(dir, 'out.csv')], { env: env(cache) });
    expect(scored.code).toBe(0);
    expect(scored.stdout).toContain(`model local:distilbert-sst2-int8@${hub.commit}`);
  });

  it('resumes a download cut in the middle with a Range request', async () => {
    const cache = path.join(dir, 'cache-b');
    const size = statSync(path.join(FIXTURE, ONNX)).size;
    hub.cutNextAfter = Math.floor(size / 3);
    const hubEnv = readHubEnv(env(cache));
    // Tried once (no retry within the pull): the next run resumes.
    await expect(pullModel({ hub: hubEnv, repo: REPO, revision: 'main', modelDir: undefined, retryDelaysMs: [] })).rejects.toMatchObject({
      code: 'download',
      message: expect.stringMatching(/was cut after .* run the same command again to resume/),
    });
    const incomplete = path.join(snapshotFolder(cache, REPO, hub.commit), `${ONNX}.incomplete`);
    expect(statSync(incomplete).size).toBe(Math.floor(size / 3));
    const before = hub.bodyBytes;
    const result = await pullModel({ hub: hubEnv, repo: REPO, revision: 'main', modelDir: undefined });
    expect(result.downloaded).toEqual([ONNX]);
    expect(hub.bodyBytes - before).toBe(size - Math.floor(size / 3)); // only the rest was sent
    expect(readFileSync(path.join(result.folder, ONNX)).equals(readFileSync(path.join(FIXTURE, ONNX)))).toBe(true);
    expect(existsSync(incomplete)).toBe(false);
  });

  // After a killed pull, `model list` said `incomplete: missing onnx/model_quantized.onnx` and no more, and the pull
  // that resumed it said nothing of the bytes it kept: a user took it for a fresh download (or did not try it at all).
  it('a pull cut short: model list says the same pull resumes it, and that pull says where it resumes', async () => {
    const cache = path.join(dir, 'cache-resume-said');
    const size = statSync(path.join(FIXTURE, ONNX)).size;
    hub.cutNextAfter = 200_000;
    await expect(pullModel({ hub: readHubEnv(env(cache)), repo: REPO, revision: 'main', modelDir: undefined, retryDelaysMs: [] })).rejects.toMatchObject({ code: 'download' });
    const list = await runCli(['model', 'list'], { env: env(cache) });
    expect(list.code).toBe(0);
    // No ref yet (written once a pull completes): the revision is not known, the command is.
    expect(list.stdout).toMatch(/ incomplete: missing onnx\/model_quantized\.onnx; the model pull that fetched it resumes it \('sentiment-batch model pull', and its --revision if it had one\)\n/);
    const pulled = await runCli(['model', 'pull'], { env: env(cache) });
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stderr).toContain(`${ONNX}: resuming at 0.2 MB of ${(size / 1e6).toFixed(1)} MB (the bytes an earlier try kept)\n`);
    // Another repo and revision are named, as the pull that resumes it must be given them.
    const other = path.join(cache, 'models--acme--tiny', 'snapshots', 'abc123');
    mkdirSync(other, { recursive: true });
    mkdirSync(path.join(cache, 'models--acme--tiny', 'refs'), { recursive: true });
    writeFileSync(path.join(cache, 'models--acme--tiny', 'refs', 'v2'), 'abc123');
    expect((await runCli(['model', 'list'], { env: env(cache) })).stdout).toContain("; 'sentiment-batch model pull --repo acme/tiny --revision v2' resumes it\n");
  });

  // A pull killed or cut short leaves its snapshot without a ref: --backend local said 'run `sentiment-batch model pull`
  // once', as if none had been made, not that one was left unfinished and that the same command resumes it (local3).
  it('score on a cache a pull left unfinished says so and that the pull resumes it; that pull resumes, and score then runs', async () => {
    const cache = path.join(dir, 'cache-half-pulled');
    hub.cutNextAfter = 200_000;
    await expect(pullModel({ hub: readHubEnv(env(cache)), repo: REPO, revision: 'main', modelDir: undefined, retryDelaysMs: [] })).rejects.toMatchObject({ code: 'download' });
    const input = path.join(dir, 'half-pulled.csv');
    writeFileSync(input, 'id,review\n1,great phone\n');
    const score = () => runCli(['score', input, '--text-column', 'review', '--backend', 'local', '-o', path.join(dir, 'half-pulled-out.csv')], { env: env(cache) });
    const refused = await score();
    expect(refused.code).toBe(2);
    const folder = snapshotFolder(cache, REPO, hub.commit);
    expect(refused.stderr).toContain(
      `no local model in the Hub cache ${cache} (${REPO}@main): a model pull into it was left unfinished (${folder} holds 0.9 MB of it, missing ${ONNX}): ` +
        "the model pull that fetched it resumes it from there ('sentiment-batch model pull', and its --revision if it had one; it needs the internet), or point --model-dir at a copy",
    );
    const pulled = await runCli(['model', 'pull'], { env: env(cache) });
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stderr).toMatch(/resuming at 0\.2 MB of/);
    expect((await score()).code).toBe(0);
  });

  // One dropped connection or 503 on the 67 MB file stopped the pull (exit 4, 'run the same command again'): a container
  // pulling at start failed to start.
  it('a dropped connection or a 503 is tried again within the pull, resuming; what would fail again is not', async () => {
    const cache = path.join(dir, 'cache-retried');
    const hubEnv = readHubEnv(env(cache));
    const size = statSync(path.join(FIXTURE, ONNX)).size;
    const retries: Array<[string, number, number]> = [];
    const onRetry = (file: string, reason: string, attempt: number) => void retries.push([file, attempt, reason.includes('was cut after') ? 1 : reason.includes('HTTP 503') ? 503 : 0]);
    hub.cutNextAfter = Math.floor(size / 3);
    const before = hub.bodyBytes;
    const result = await pullModel({ hub: hubEnv, repo: REPO, revision: 'main', modelDir: undefined, onRetry, retryDelaysMs: [1, 1, 1] });
    expect(result.downloaded).toContain(ONNX);
    expect(retries).toEqual([[ONNX, 2, 1]]);
    const smallFiles = ['config.json', 'tokenizer.json', 'tokenizer_config.json'].reduce((sum, f) => sum + statSync(path.join(FIXTURE, f)).size, 0);
    expect(hub.bodyBytes - before).toBe(smallFiles + size); // the cut third, then only the rest
    expect(readFileSync(path.join(result.folder, ONNX)).equals(readFileSync(path.join(FIXTURE, ONNX)))).toBe(true);

    const other = path.join(dir, 'plain-retried');
    retries.length = 0;
    hub.failNext = 2;
    await pullModel({ hub: hubEnv, repo: REPO, revision: 'main', modelDir: other, onRetry, retryDelaysMs: [1, 1, 1] });
    expect(retries).toEqual([[ONNX, 2, 503], [ONNX, 3, 503]]);

    retries.length = 0;
    hub.failNext = 5;
    try {
      await expect(pullModel({ hub: hubEnv, repo: REPO, revision: 'main', modelDir: path.join(dir, 'plain-503'), onRetry, retryDelaysMs: [1, 1] })).rejects.toThrow(
        /answered HTTP 503 for .*onnx\/model_quantized\.onnx; try again later$/,
      );
      expect(retries.map(([, attempt]) => attempt)).toEqual([2, 3]);
    } finally {
      hub.failNext = 0;
    }

    // A 404 is no passing trouble: one try.
    retries.length = 0;
    await expect(pullModel({ hub: hubEnv, repo: REPO, revision: 'v9', modelDir: undefined, onRetry, retryDelaysMs: [1, 1] })).rejects.toThrow(/HTTP 404/);
    expect(retries).toEqual([]);
  });

  // A link that dropped every 20 MB gave up on a large file unfinished: four tries at most, each of which had advanced it.
  // Reproduced with a hub dropping each transfer of a 60 MB file after 5 MB: exit 4 at 20000000 bytes.
  it('tries that each get further are not counted against the file: a link that drops every N bytes finishes it', async () => {
    // A 3 MB ONNX file (random bytes: the pull checks hashes, it loads nothing), cut every 400 kB: at least 8 tries. A
    // cut loses what undici had buffered and not yet handed on (up to ~64 kB), so the cut is well above that.
    const big = path.join(dir, 'big-model');
    for (const file of MODEL_FILES) {
      mkdirSync(path.dirname(path.join(big, file)), { recursive: true });
      copyFileSync(path.join(FIXTURE, file), path.join(big, file));
    }
    writeFileSync(path.join(big, ONNX), randomBytes(3_000_000));
    const cutting = await startFakeHub(REPO, big, MODEL_FILES);
    cutting.cutEvery = 400_000;
    const totals: number[] = [];
    const listeners: string[] = [];
    try {
      const result = await pullModel({
        hub: readHubEnv({ HF_ENDPOINT: cutting.endpoint, HF_HUB_CACHE: path.join(dir, 'unused-cut-every') }),
        // One progress listener per file, not one per try (each said its quarters again, at the rate of resumed bytes).
        onProgress: (file) => {
          listeners.push(file);
          return () => {};
        },
        repo: REPO,
        revision: 'main',
        modelDir: path.join(dir, 'plain-cut-every'),
        retryDelaysMs: [1, 1, 1],
        onRetry: (_file, reason, attempt, attempts, _delay, total) => {
          expect([reason, attempt, attempts]).toEqual([expect.stringContaining('was cut after'), 2, 4]);
          totals.push(total);
        },
      });
      expect(result.downloaded).toContain(ONNX);
      expect(readFileSync(path.join(result.folder, ONNX)).equals(readFileSync(path.join(big, ONNX)))).toBe(true);
      // More tries than the four a file got before, each one the next.
      expect(totals.length).toBeGreaterThanOrEqual(7);
      expect(totals).toEqual(totals.map((_, i) => i + 2));
      expect(listeners).toEqual([...MODEL_FILES]);
    } finally {
      await cutting.close();
    }
  });

  // Counted by the most bytes ever held, not by the bytes a try received: a server that ignores Range sends the start
  // again each time, and would 'advance' forever.
  it('tries that get no further still give up, saying how many were made', async () => {
    // Cut well past what undici may buffer and lose at a cut (~64 kB): each try keeps bytes, so the next asks for the rest.
    hub.cutEvery = 300_000;
    hub.ignoreRange = true;
    const attempts: number[] = [];
    try {
      await expect(
        pullModel({
          hub: readHubEnv(env(path.join(dir, 'unused-no-further'))),
          repo: REPO,
          revision: 'main',
          modelDir: path.join(dir, 'plain-no-further'),
          retryDelaysMs: [1, 1, 1],
          onRetry: (_file, _reason, attempt) => void attempts.push(attempt),
        }),
      ).rejects.toMatchObject({
        code: 'download',
        // 'run the same command again to resume' was the advice: the next run starts over the same way, and is cut there too.
        message: expect.stringMatching(
          /^gave up after \d+ tries(, the last 4 without getting further)?: the download of onnx\/model_quantized\.onnx was cut after \d+ bytes \(.*\); http:\/\/127\.0\.0\.1:\d+ ignores HTTP Range \(asked for the rest of the file, it sends it all again from its first byte\) and no answer of it got past \d+ bytes: a cut download cannot be resumed from there, and running the same command again starts over the same way; fetch it through another network, proxy or mirror \(HF_ENDPOINT\), or pull on a machine that can and point --model-dir at a copy of the folder$/,
        ),
      });
      expect(attempts.slice(-3)).toEqual([2, 3, 4]);
    } finally {
      hub.cutEvery = undefined;
      hub.ignoreRange = false;
    }
  });

  // A host that ignores Range answers the request for the rest with the whole file (200): the try starts over from the
  // first byte, within the pull, and a transfer that then runs to its end finishes the file.
  it('a host that ignores Range: the try after a cut starts over from the first byte, within the same pull, and finishes', async () => {
    const size = statSync(path.join(FIXTURE, ONNX)).size;
    hub.cutNextAfter = Math.floor(size / 3);
    hub.ignoreRange = true;
    const before = hub.bodyBytes;
    try {
      const result = await pullModel({ hub: readHubEnv(env(path.join(dir, 'unused-ignored-range'))), repo: REPO, revision: 'main', modelDir: path.join(dir, 'plain-ignored-range'), retryDelaysMs: [1, 1, 1] });
      expect(result.downloaded).toContain(ONNX);
      expect(readFileSync(path.join(result.folder, ONNX)).equals(readFileSync(path.join(FIXTURE, ONNX)))).toBe(true);
      // The small files, the cut third, then the whole ONNX file again.
      const small = MODEL_FILES.filter((file) => file !== ONNX).reduce((sum, file) => sum + statSync(path.join(FIXTURE, file)).size, 0);
      expect(hub.bodyBytes - before).toBe(small + Math.floor(size / 3) + size);
    } finally {
      hub.ignoreRange = false;
    }
  });

  // A storage host that stopped sending mid-file, the connection open, held the pull undici's 300 s (no line said
  // anything) before 'was cut after 3000000 bytes (Body Timeout Error)' and the retry. Reproduced against a local hub.
  it('a transfer that stalls (the connection open) is given up after the stall time, said so, and resumed', async () => {
    const size = statSync(path.join(FIXTURE, ONNX)).size;
    const reasons: string[] = [];
    hub.stallNextAfter = 100_000;
    const folder = path.join(dir, 'plain-stalled');
    const result = await pullModel({
      hub: readHubEnv(env(path.join(dir, 'unused-stalled'))),
      repo: REPO,
      revision: 'main',
      modelDir: folder,
      retryDelaysMs: [1, 1, 1],
      stallMs: 1_000,
      onRetry: (_file, reason) => void reasons.push(reason),
    });
    expect(hub.stallNextAfter).toBeUndefined();
    // One stall, unless a loaded machine held a healthy transfer 1 s too (a retry of the same words).
    expect(reasons.length).toBeGreaterThanOrEqual(1);
    for (const reason of reasons) expect(reason).toMatch(new RegExp(`^the download of ${ONNX} was cut after \\d+ bytes \\(no byte came for 1 s\\); run the same command again to resume$`));
    expect(result.downloaded).toContain(ONNX);
    expect(statSync(path.join(folder, ONNX)).size).toBe(size);
    expect(readFileSync(path.join(folder, ONNX)).equals(readFileSync(path.join(FIXTURE, ONNX)))).toBe(true);
  }, 60_000);

  it('a request that gets no answer at all (the connection open) is given up after the stall time too, and tried again', async () => {
    const reasons: string[] = [];
    hub.silentNext = true;
    try {
      const result = await pullModel({
        hub: readHubEnv(env(path.join(dir, 'unused-silent'))),
        repo: REPO,
        revision: 'main',
        modelDir: path.join(dir, 'plain-silent'),
        retryDelaysMs: [1, 1, 1],
        stallMs: 1_000,
        onRetry: (_file, reason) => void reasons.push(reason),
      });
      expect(reasons[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+ sent no answer for 1 s \(the connection open\); check the network, HTTPS_PROXY or HF_ENDPOINT$/);
      expect(readFileSync(path.join(result.folder, ONNX)).equals(readFileSync(path.join(FIXTURE, ONNX)))).toBe(true);
    } finally {
      hub.silentNext = false;
    }
  }, 60_000);

  // A pull killed after the last byte, before the rename (while it hashed the 67 MB): the next pull asked for the bytes
  // from the file's end, the storage answered 416, and every pull after failed 'the Hub answered HTTP 416 … try again later'.
  it('a whole file left in .incomplete (killed before its rename) is checked and put in place, not asked for past its end', async () => {
    const cache = path.join(dir, 'cache-whole-incomplete');
    const onnx = path.join(snapshotFolder(cache, REPO, hub.commit), ONNX);
    mkdirSync(path.dirname(onnx), { recursive: true });
    copyFileSync(path.join(FIXTURE, ONNX), `${onnx}.incomplete`);
    const before = hub.bodyBytes;
    const result = await pullModel({ hub: readHubEnv(env(cache)), repo: REPO, revision: 'main', modelDir: undefined });
    expect(result.downloaded).toContain(ONNX);
    expect(readFileSync(onnx).equals(readFileSync(path.join(FIXTURE, ONNX)))).toBe(true);
    expect(existsSync(`${onnx}.incomplete`)).toBe(false);
    // Only the three small files were sent.
    expect(hub.bodyBytes - before).toBe(['config.json', 'tokenizer.json', 'tokenizer_config.json'].reduce((sum, f) => sum + statSync(path.join(FIXTURE, f)).size, 0));
  });

  // An interrupted pull of another revision into the same --model-dir left its bytes: the resume appended the rest of
  // this file to them, the whole was 'corrupt' (exit 4) and only a second run fetched it.
  it('a resumed copy that does not match (another file\'s first bytes) is fetched whole in the same pull', async () => {
    const folder = path.join(dir, 'plain-other-start');
    const onnx = path.join(folder, ONNX);
    mkdirSync(path.dirname(onnx), { recursive: true });
    writeFileSync(`${onnx}.incomplete`, Buffer.alloc(1000, 7));
    const retried: string[] = [];
    const result = await pullModel({ hub: readHubEnv(env(path.join(dir, 'unused-other-start'))), repo: REPO, revision: 'main', modelDir: folder, retryDelaysMs: [1], onRetry: (file, reason) => void retried.push(`${file}: ${reason.slice(0, 40)}`) });
    expect(result.downloaded).toContain(ONNX);
    expect(retried).toEqual([`${ONNX}: ${ONNX} is corrupt: ${statSync(path.join(FIXTURE, ONNX)).size} bytes hashing`.slice(0, ONNX.length + 2 + 40)]);
    expect(readFileSync(onnx).equals(readFileSync(path.join(FIXTURE, ONNX)))).toBe(true);
  });

  it('the CLI says each retry in one line, without the failure\'s own advice to run the command again', async () => {
    const folder = path.join(dir, 'plain-other-start-cli');
    const onnx = path.join(folder, ONNX);
    mkdirSync(path.dirname(onnx), { recursive: true });
    writeFileSync(`${onnx}.incomplete`, Buffer.alloc(1000, 7));
    const pulled = await runCli(['model', 'pull', '--model-dir', folder], { env: env(path.join(dir, 'unused-other-start-cli')) });
    expect(pulled.code).toBe(0);
    expect(pulled.stderr).toMatch(new RegExp(`^${ONNX}: ${ONNX} is corrupt: \\d+ bytes hashing to [0-9a-f]{64}, expected \\d+ bytes hashing to [0-9a-f]{64}: trying again in 1 s \\(try 2 of 4\\)$`, 'm'));
  });

  it('a whole-sized .incomplete that does not match is fetched again in the same pull', async () => {
    const cache = path.join(dir, 'cache-whole-bad-incomplete');
    const onnx = path.join(snapshotFolder(cache, REPO, hub.commit), ONNX);
    mkdirSync(path.dirname(onnx), { recursive: true });
    writeFileSync(`${onnx}.incomplete`, Buffer.alloc(statSync(path.join(FIXTURE, ONNX)).size, 7));
    const result = await pullModel({ hub: readHubEnv(env(cache)), repo: REPO, revision: 'main', modelDir: undefined });
    expect(result.downloaded).toContain(ONNX);
    expect(readFileSync(onnx).equals(readFileSync(path.join(FIXTURE, ONNX)))).toBe(true);
  });

  it('refuses and removes a corrupted file, then a clean pull succeeds', async () => {
    const target = path.join(dir, 'plain-folder');
    const hubEnv = readHubEnv(env(path.join(dir, 'unused-cache')));
    for (const file of ['config.json', ONNX]) {
      hub.corrupt = file;
      await expect(pullModel({ hub: hubEnv, repo: REPO, revision: 'main', modelDir: target })).rejects.toMatchObject({
        code: 'download',
        message: expect.stringMatching(new RegExp(`${file.replace('.', '\\.')} is corrupt: .* The damaged copy was deleted`)),
      });
      expect(existsSync(path.join(target, file))).toBe(false);
      expect(existsSync(path.join(target, `${file}.incomplete`))).toBe(false);
    }
    hub.corrupt = undefined;
    const result = await pullModel({ hub: hubEnv, repo: REPO, revision: 'main', modelDir: target });
    expect(result.folder).toBe(target);
    expect(readdirSync(path.join(target, 'onnx'))).toEqual(['model_quantized.onnx']);
  });

  // A proxy's block page (200, text/html) in the storage's place was saved, found 'corrupt' and deleted, with 'run the
  // same command again to download it afresh', which fetched the same page again.
  it('a web page answered in the file\'s place says so, keeping what was downloaded before', async () => {
    const cache = path.join(dir, 'cache-web-page');
    const hubEnv = readHubEnv(env(cache));
    const size = statSync(path.join(FIXTURE, ONNX)).size;
    const cut = Math.floor(size / 3);
    hub.cutNextAfter = cut;
    await expect(pullModel({ hub: hubEnv, repo: REPO, revision: 'main', modelDir: undefined, retryDelaysMs: [] })).rejects.toMatchObject({ code: 'download' });
    const incomplete = path.join(snapshotFolder(cache, REPO, hub.commit), `${ONNX}.incomplete`);
    expect(statSync(incomplete).size).toBe(cut);
    hub.webPage = true;
    try {
      await expect(pullModel({ hub: hubEnv, repo: REPO, revision: 'main', modelDir: undefined })).rejects.toMatchObject({
        code: 'download',
        message: expect.stringMatching(
          new RegExp(`^http://127\\.0\\.0\\.1:\\d+ answered a web page \\(text/html\\) instead of onnx/model_quantized\\.onnx: something between this machine and the Hub \\(a proxy, a firewall, a captive portal, or HF_ENDPOINT naming a site that is not a Hub mirror\\) answers in its place; open ${hub.endpoint.replace(/\./g, '\\.')}/${REPO}/resolve/${hub.commit}/onnx/model_quantized\\.onnx in a browser`),
        ),
      });
      expect(statSync(incomplete).size).toBe(cut);
    } finally {
      hub.webPage = false;
    }
    expect((await pullModel({ hub: hubEnv, repo: REPO, revision: 'main', modelDir: undefined })).downloaded).toEqual([ONNX]);
    expect(statSync(path.join(snapshotFolder(cache, REPO, hub.commit), ONNX)).size).toBe(size);
  });

  it('a file damaged in the cache since its pull is fetched again by the next pull, not taken as already there', async () => {
    const cache = path.join(dir, 'cache-damaged');
    expect((await runCli(['model', 'pull'], { env: env(cache) })).code).toBe(0);
    const onnx = path.join(snapshotFolder(cache, REPO, hub.commit), ONNX);
    const damaged = readFileSync(onnx);
    damaged[damaged.length >> 1] = (damaged[damaged.length >> 1] as number) ^ 0xff; // same size, one byte changed
    writeFileSync(onnx, damaged);
    const before = hub.bodyBytes;
    const again = await runCli(['model', 'pull'], { env: env(cache) });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`${ONNX}: the copy there does not match the Hub's hash (damaged): downloading it again`);
    expect(again.stderr).toContain('config.json: already there');
    expect(again.stdout).toContain(`downloaded ${ONNX}`);
    expect(hub.bodyBytes - before).toBe(statSync(path.join(FIXTURE, ONNX)).size);
    expect(readFileSync(onnx).equals(readFileSync(path.join(FIXTURE, ONNX)))).toBe(true);
  });

  // A model file changed after its pull still loaded: every row scored, exit 0, under the commit's model id (and a
  // --cache kept those answers as that model's). A byte flipped in the weights, config.json's labels swapped.
  describe('score checks a pulled folder against what the pull verified', () => {
    const threads = { workers: 1, intraOpThreads: 1 };
    const open = (modelDir: string, origin: 'flag' | 'cache') => createLocalScorer({ modelDir, origin, device: 'cpu', threads, batch: undefined, log: createLogger('silent') });

    it('a byte flipped in the cache\'s ONNX weights is a model_file error (exit 2) saying to pull again, and the pull mends it', async () => {
      const cache = path.join(dir, 'cache-flipped');
      const hubEnv = readHubEnv(env(cache));
      const { folder } = await pullModel({ hub: hubEnv, repo: REPO, revision: 'main', modelDir: undefined });
      const onnx = path.join(folder, ONNX);
      const bytes = readFileSync(onnx);
      bytes[bytes.length - 64] = (bytes[bytes.length - 64] as number) ^ 0x01; // a weight: ONNX Runtime still loads it
      writeFileSync(onnx, bytes);
      await expect(open(folder, 'cache')).rejects.toMatchObject({
        code: 'model_file',
        message: expect.stringMatching(
          new RegExp(`^${onnx.replace(/[.\/\\]/g, '\\$&')} is not the file \`model pull\` fetched \\(${REPO.replace('/', '\\/')} at commit ${hub.commit}\\): it was damaged or changed since .* run \`sentiment-batch model pull\` again: it checks each file against the Hub and fetches a damaged one afresh`),
        ),
      });
      expect((await pullModel({ hub: hubEnv, repo: REPO, revision: 'main', modelDir: undefined })).downloaded).toEqual([ONNX]);
      const scorer = await open(folder, 'cache');
      await scorer.close();
      expect(scorer.modelId).toBe(`local:distilbert-sst2-int8@${hub.commit}`);
    });

    // tokenizer.json cut short (a copy interrupted, a bad disk) was said as '… cannot be read as a tokenizer (Expected
    // property name or '}' in JSON at position 1000)', exit 2, with no word of how to get a good one.
    it('a tokenizer.json cut short since its pull is a model_file error saying to pull again, and the pull mends it', async () => {
      const cache = path.join(dir, 'cache-cut-tokenizer');
      const hubEnv = readHubEnv(env(cache));
      const { folder } = await pullModel({ hub: hubEnv, repo: REPO, revision: 'main', modelDir: undefined });
      const tokenizerFile = path.join(folder, 'tokenizer.json');
      writeFileSync(tokenizerFile, readFileSync(tokenizerFile).subarray(0, 1000));
      await expect(open(folder, 'cache')).rejects.toMatchObject({
        code: 'model_file',
        message: expect.stringMatching(
          new RegExp(`^${tokenizerFile.replace(/[.\/\\]/g, '\\$&')} is not the file \`model pull\` fetched .*\\(1000 bytes hashing to .* run \`sentiment-batch model pull\` again: it checks each file against the Hub and fetches a damaged one afresh`),
        ),
      });
      expect((await pullModel({ hub: hubEnv, repo: REPO, revision: 'main', modelDir: undefined })).downloaded).toEqual(['tokenizer.json']);
      await (await open(folder, 'cache')).close();
    });

    it('swapped labels in a --model-dir folder\'s config.json are refused, naming the pull that restores it; without the record the folder is used as it is', async () => {
      const folder = path.join(dir, 'plain-swapped');
      await pullModel({ hub: readHubEnv(env(path.join(dir, 'unused-swapped'))), repo: REPO, revision: 'main', modelDir: folder });
      const config = path.join(folder, 'config.json');
      const labels = JSON.parse(readFileSync(config, 'utf8')) as { id2label: Record<string, string> };
      labels.id2label = { 0: labels.id2label[1] as string, 1: labels.id2label[0] as string };
      writeFileSync(config, JSON.stringify(labels));
      await expect(open(folder, 'flag')).rejects.toMatchObject({
        code: 'model_file',
        message: expect.stringContaining(`config.json is not the file \`model pull\` fetched (${REPO} at commit ${hub.commit})`),
      });
      await expect(open(folder, 'flag')).rejects.toThrow(
        `run \`sentiment-batch model pull --model-dir ${folder} --revision ${hub.commit}\` to fetch it afresh, or copy a good model folder there (if you changed it on purpose, delete ${path.join(folder, '.sentiment-batch-pull.json')} to use the folder as it is)`,
      );
      rmSync(path.join(folder, '.sentiment-batch-pull.json'));
      const scorer = await open(folder, 'flag');
      await scorer.close();
    });
  });

  describe.skipIf(!canMount())('on filesystems mounted for the test (root)', () => {
    const mount = useTmpfsMounts(() => dir);

    // The line said '(it resumes the download)' after 'write elsewhere (HF_HUB_CACHE)': a pull into another cache
    // folder downloads every file afresh (measured: a 20 MB tmpfs held 20,250,624 bytes of the ONNX file).
    it('a full disk is exit 74 naming the file and how to go on, not a download cut to resume (exit 4)', async () => {
      const full = mount('full', '256k');
      const cache = path.join(full, 'hub');
      const pulled = await runCli(['model', 'pull'], { env: env(cache) });
      expect(pulled.code).toBe(74);
      expect(pulled.stderr).toMatch(
        /^sentiment-batch: no space left on the device holding \S+\/tokenizer\.json\.incomplete: free some space or write elsewhere \(HF_HUB_CACHE\), then run the same command again \(it resumes the download in the same folder; in another it downloads afresh\); tokenizer\.json needs (\d+\.\d) MB more there \(0\.7 MB, (\d+\.\d) MB of it written\)$/m,
      );
      // It said 'free some space' and not how much: the 67 MB ONNX file, on a disk of a few MB free, stopped again.
      const [, more, written] = /needs (\d+\.\d) MB more there \(0\.7 MB, (\d+\.\d) MB/.exec(pulled.stderr) ?? [];
      expect(Number(more) + Number(written)).toBeCloseTo(0.7, 1);
      expect(pulled.stderr).not.toContain('was cut after');
      const intoFolder = await runCli(['model', 'pull', '--model-dir', path.join(full, 'copy')], { env: env(path.join(dir, 'unused-full')) });
      expect(intoFolder.code).toBe(74);
      expect(intoFolder.stderr).toContain('write elsewhere (--model-dir)');
    });

    it('a read-only cache folder is exit 74 saying so, not ENOENT', async () => {
      const readOnly = mount('read-only', '64k', 'ro');
      const pulled = await runCli(['model', 'pull'], { env: env(path.join(readOnly, 'hub')) });
      expect(pulled.code).toBe(74);
      expect(pulled.stderr.trim()).toBe(
        `sentiment-batch: the folder ${readOnly} is on a read-only filesystem: mount it writable or write elsewhere (HF_HUB_CACHE), then run the same command again (it resumes the download in the same folder; in another it downloads afresh)`,
      );
    });
  });

  describe.skipIf(!canMount())('a complete model on a volume mounted read-only (root)', () => {
    const mount = useTmpfsMounts(() => dir);

    // Before the lock, such a pull said 'nothing to download, already complete' (exit 0); with it, every file took its
    // lock (a folder <file>.lock) first: exit 74, 'is on a read-only filesystem … (it resumes the download)'. A model
    // baked into an image and mounted read-only, pulled again by a start script, stopped the container.
    it('pulls as already complete, writing nothing (--model-dir, and the cache with its ref already recorded)', async () => {
      const volume = mount('baked', '4m');
      expect((await runCli(['model', 'pull', '--model-dir', path.join(volume, 'model')], { env: env(path.join(dir, 'unused-baked')) })).code).toBe(0);
      expect((await runCli(['model', 'pull'], { env: env(path.join(volume, 'hub')) })).code).toBe(0);
      // The folder as an older version pulled it, without the record of the files checked (pull-record.ts): still complete.
      rmSync(path.join(volume, 'model', '.sentiment-batch-pull.json'));
      execFileSync('mount', ['-o', 'remount,ro', volume]);
      const intoFolder = await runCli(['model', 'pull', '--model-dir', path.join(volume, 'model')], { env: env(path.join(dir, 'unused-baked')) });
      expect([intoFolder.code, intoFolder.stderr]).toEqual([0, MODEL_FILES.map((file) => `${file}: already there\n`).join('')]);
      expect(intoFolder.stdout).toContain('nothing to download, already complete');
      const cached = await runCli(['model', 'pull'], { env: env(path.join(volume, 'hub')) });
      expect([cached.code, cached.stdout]).toEqual([0, expect.stringContaining('nothing to download, already complete')]);
    });
  });

  // Two pods on one cache volume, each pulling at start: both wrote into the same .incomplete, and both failed ('is corrupt',
  // exit 4; 'stat ….incomplete failed: no such file or directory', exit 74), or one renamed it into place while the other
  // still wrote into it.
  it('two pulls at once into one cache: the second waits for the first, then finds the file whole', async () => {
    const cache = path.join(dir, 'cache-two');
    const onnx = path.join(snapshotFolder(cache, REPO, hub.commit), ONNX);
    hub.slow = true;
    // The first transfer is held until the second pull waits: on a loaded machine the second pull's start outlasted
    // the whole slow transfer, and it found the file there without waiting.
    hub.hold = true;
    try {
      const first = spawnCli(['model', 'pull'], { env: env(cache) });
      await waitWhileRunning(first, () => existsSync(`${onnx}.incomplete`), 'the first pull to start on the ONNX file', 50_000);
      const waiting = spawnCli(['model', 'pull'], { env: env(cache) });
      let said = '';
      waiting.stderr?.on('data', (chunk: Buffer) => (said += chunk.toString()));
      await waitFor(() => said.includes('waiting for it to finish'), 60_000, 'the second pull to wait for the first');
      // Released at full speed: the second pull has been seen waiting; the 2.7 s the rest took at 4 KiB per 20 ms showed nothing more.
      hub.slow = false;
      hub.hold = false;
      const second = await waiting.result;
      const firstResult = await first.result;
      expect([firstResult.code, second.code]).toEqual([0, 0]);
      // After a pull killed with -9 the same line waits out its lock: it says so, and how long at most.
      expect(second.stderr).toContain(`${ONNX}: another model pull is fetching it: waiting for it to finish (one that was stopped holds it 20 s at most)\n`);
      expect(second.stdout).toContain('nothing to download, already complete');
      expect(readFileSync(onnx).equals(readFileSync(path.join(FIXTURE, ONNX)))).toBe(true);
      expect(readdirSync(path.dirname(onnx))).toEqual(['model_quantized.onnx']);
    } finally {
      hub.slow = false;
      hub.hold = false;
    }
  }, 120_000);

  // A pull stopped by SIGTERM said 'stopped by SIGTERM (nothing under way to save)' over the bytes it kept to resume.
  it('a pull stopped by SIGTERM says that what was downloaded is kept, and how to resume', async () => {
    const cache = path.join(dir, 'cache-sigterm');
    const onnx = path.join(snapshotFolder(cache, REPO, hub.commit), ONNX);
    hub.slow = true;
    hub.hold = true;
    try {
      const pull = spawnCli(['model', 'pull'], { env: env(cache) });
      await waitWhileRunning(pull, () => existsSync(`${onnx}.incomplete`) && statSync(`${onnx}.incomplete`).size > 0, 'the pull to write part of the ONNX file', 50_000);
      pull.kill('SIGTERM');
      const stopped = await pull.result;
      expect(stopped.code).toBe(130);
      expect(stopped.stderr).toMatch(/\nsentiment-batch: stopped by SIGTERM; what was downloaded is kept: run the same command again to resume\n$/);
      expect(statSync(`${onnx}.incomplete`).size).toBeGreaterThan(0);
      expect(existsSync(`${onnx}.lock`)).toBe(false);
    } finally {
      hub.slow = false;
      hub.hold = false;
    }
  }, 60_000);

  it('a model pulled at a pinned commit is named by score, which looks for main, with the --model-dir that uses it', async () => {
    const cache = path.join(dir, 'cache-pinned');
    expect((await runCli(['model', 'pull', '--revision', hub.commit], { env: env(cache) })).code).toBe(0);
    const input = path.join(dir, 'pinned.csv');
    writeFileSync(input, 'id,review\n1,great phone\n');
    const scored = await runCli(['score', input, '--text-column', 'review', '--backend', 'local', '-o', path.join(dir, 'pinned-out.csv')], { env: env(cache) });
    expect(scored.code).toBe(2);
    // Before: only 'run `sentiment-batch model pull` once', which the user had just done.
    expect(scored.stderr).toContain(`(the cache holds ${REPO} at commit ${hub.commit}: pass --model-dir ${snapshotFolder(cache, REPO, hub.commit)} to use it)`);
  });

  it('a cache path that is a file: model list says so without speaking of a checkpoint; score says there is no model (exit 2)', async () => {
    const file = path.join(dir, 'cache-is-a-file');
    writeFileSync(file, 'x');
    const list = await runCli(['model', 'list'], { env: env(file) });
    expect(list.code).toBe(74);
    // Before: '…, then run the same command again (it continues from the checkpoint)', which model list has none of.
    expect(list.stderr.trim()).toBe(`sentiment-batch: a part of the path ${file} is not a folder (a file, or a symbolic link to nothing): fix the path, then run the same command again`);
    const input = path.join(dir, 'file-cache.csv');
    writeFileSync(input, 'id,review\n1,great phone\n');
    const scored = await runCli(['score', input, '--text-column', 'review', '--backend', 'local', '-o', path.join(dir, 'file-cache-out.csv')], { env: env(file) });
    expect(scored.code).toBe(2);
    expect(scored.stderr).toContain(`no local model in the Hub cache ${file}`);
  });

  it('goes through HTTP_PROXY / HTTPS_PROXY when set; this machine\'s own addresses go direct', async () => {
    const proxy = await startForwardProxy();
    // Host names only the proxy can reach (test/support/forward-proxy.ts): a direct request could not.
    const named = await startFakeHub(REPO, FIXTURE, MODEL_FILES, { hub: `hub.${PROXIED_DOMAIN}`, storage: `storage.${PROXIED_DOMAIN}` });
    try {
      const cache = path.join(dir, 'cache-proxy');
      const proxied = await runCli(['model', 'pull'], { env: { ...env(cache), HF_ENDPOINT: named.endpoint, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: '' } });
      expect(proxied.code).toBe(0);
      const hubHost = new URL(named.endpoint).host;
      expect(proxy.targets).toContain(hubHost);
      // The storage redirect went through the proxy too.
      expect(proxy.targets.some((t) => t.startsWith(`storage.${PROXIED_DOMAIN}:`))).toBe(true);
      expect(readFileSync(path.join(snapshotFolder(cache, REPO, named.commit), ONNX)).equals(readFileSync(path.join(FIXTURE, ONNX)))).toBe(true);

      // A hub on this machine (127.0.0.1) is never sent to the proxy, NO_PROXY or not: the proxy would reach its own.
      proxy.targets.length = 0;
      const local = await runCli(['model', 'pull'], { env: { ...env(path.join(dir, 'cache-proxy-local')), HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: '' } });
      expect(local.code).toBe(0);
      expect(proxy.targets).toEqual([]);
    } finally {
      await named.close();
      await proxy.close();
    }
  });

  // Before: 'cannot reach http://hub.proxied.test:PORT (connect ECONNREFUSED 127.0.0.1:PORT); check the network,
  // HTTPS_PROXY or HF_ENDPOINT': the proxy's address with no word that it was the proxy, and a variable not the one set.
  it('a proxy that is down (connection refused) is named as the proxy, with the variable that set it, as score names it', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const endpoint = `http://hub.${PROXIED_DOMAIN}:8080`;
    const result = await runCli(['model', 'pull'], {
      env: { ...env(path.join(dir, 'cache-proxy-down')), HF_ENDPOINT: endpoint, HTTP_PROXY: `http://corp:s3cret@127.0.0.1:${port}`, HTTPS_PROXY: '', NO_PROXY: '' },
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(
      `sentiment-batch: the proxy http://127.0.0.1:${port} (from HTTP_PROXY) could not be reached (connect ECONNREFUSED 127.0.0.1:${port}) to fetch from ${endpoint}; ` +
        'check that the proxy is up and that HTTP_PROXY names the right one (or name the host in NO_PROXY to reach it directly)\n',
    );
  });

  // Before: 'cannot reach http://hub.proxied.test:8080 through the proxy … (Proxy response (407) !== 200 when HTTP Tunneling);
  // check the network, HTTP_PROXY or HF_ENDPOINT', undici's words, where score says to put the credentials in the proxy URL.
  it('a proxy asking for credentials (407) says to give them in the proxy URL, as score says it', async () => {
    const asking = http.createServer((_req, res) => res.writeHead(407).end());
    asking.on('connect', (_req, socket: import('node:net').Socket) => {
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n');
    });
    await new Promise<void>((resolve) => asking.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(asking.address() as AddressInfo).port}`;
      const endpoint = `http://hub.${PROXIED_DOMAIN}:8080`;
      const result = await runCli(['model', 'pull'], { env: { ...env(path.join(dir, 'cache-proxy-407')), HF_ENDPOINT: endpoint, HTTP_PROXY: url, HTTPS_PROXY: '', NO_PROXY: '' } });
      expect(result.code).toBe(4);
      expect(result.stderr).toBe(
        `sentiment-batch: the proxy ${url} (from HTTP_PROXY) will not connect to ${endpoint}: it asks for credentials (407): give them in the proxy URL, ` +
          'HTTP_PROXY=http://USER:PASSWORD@HOST:PORT (percent-encoded), or check them there\n',
      );
    } finally {
      await new Promise((resolve) => asking.close(resolve));
    }
  });

  // Before: 'cannot reach https://mirror… through the proxy … (Proxy response (502) !== 200 when HTTP Tunneling); check the
  // network, HTTP_PROXY or HF_ENDPOINT', undici's words: the proxy was reached and could not reach the Hub.
  it('a proxy that answers 502 Bad Gateway says so, and what to check: HF_ENDPOINT when set, else the Hub being up', async () => {
    const gateway = http.createServer((_req, res) => res.writeHead(502).end());
    gateway.on('connect', (_req, socket: import('node:net').Socket) => socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n'));
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
      const endpoint = `http://hub.${PROXIED_DOMAIN}:8080`;
      const mirror = await runCli(['model', 'pull'], { env: { ...env(path.join(dir, 'cache-proxy-502')), HF_ENDPOINT: endpoint, HTTP_PROXY: url, HTTPS_PROXY: '', NO_PROXY: '' } });
      expect(mirror.code).toBe(4);
      expect(mirror.stderr).toBe(
        `sentiment-batch: the proxy ${url} (from HTTP_PROXY) answered 502 Bad Gateway when asked to connect to ${endpoint}: it could not reach that host; ` +
          `check that HF_ENDPOINT (${endpoint}) names a Hub mirror that is up and that the proxy can reach it (or name the host in NO_PROXY to reach it directly), then run the same command again\n`,
      );
      // The Hub itself (HF_ENDPOINT unset): only the proxy on this machine is connected to.
      const hubEnv = { HF_HUB_CACHE: path.join(dir, 'cache-proxy-502-hub'), HTTPS_PROXY: url, HTTP_PROXY: '', NO_PROXY: '' };
      const direct = await runCli(['model', 'pull'], { env: hubEnv });
      expect(direct.code).toBe(4);
      expect(direct.stderr).toBe(
        `sentiment-batch: the proxy ${url} (from HTTPS_PROXY) answered 502 Bad Gateway when asked to connect to https://huggingface.co: it could not reach that host; ` +
          'the Hub may be down (run the same command again later), or the proxy does not reach it (ask for it to be allowed, or name the host in NO_PROXY to reach it directly)\n',
      );
    } finally {
      await new Promise((resolve) => gateway.close(resolve));
    }
  });

  it('an unknown repo or revision is one clear line with exit 4', async () => {
    const result = await runCli(['model', 'pull', '--revision', 'v9'], { env: env(path.join(dir, 'cache-c')) });
    expect(result.code).toBe(4);
    expect(result.stderr.trim()).toBe(
      `sentiment-batch: the Hub mirror ${hub.endpoint} (HF_ENDPOINT) has no ${REPO}@v9/config.json (HTTP 404 for ${hub.endpoint}/${REPO}/resolve/v9/config.json): ` +
        'check --repo, --revision and that the repo has an ONNX export, and that HF_ENDPOINT is the address under which the mirror serves {repo}/resolve/{revision}/{file}',
    );
  });
});

// With HF_TOKEN set, a 401/403 said 'a gated or private repo needs HF_TOKEN': the user checked a variable that was set.
// The storage host, which never gets the token, was said to be the Hub asking for one.
describe('what a refusal (401, 403) says', () => {
  const request = (token: string | undefined): HubRequest => ({ endpoint: 'https://hub.example', repo: REPO, revision: 'main', file: ONNX, token, dispatcher: undefined as never });

  it('without HF_TOKEN, to set it; with it, that the token was refused', () => {
    expect(httpError(401, request(undefined)).message).toBe(`the Hub refused ${REPO}@main/${ONNX} (HTTP 401): a gated or private repo needs HF_TOKEN`);
    expect(httpError(403, request('hf_x')).message).toBe(
      `the Hub refused ${REPO}@main/${ONNX} (HTTP 403) with the token in HF_TOKEN: check that the token is valid and can read this repo (a gated repo also needs its terms accepted on its Hub page by the token's account)`,
    );
  });

  // With HF_ENDPOINT pointing at a mirror, a 404 said 'the Hub has no …: check --repo, --revision': a mirror's wrong
  // address (its path left out) answers 404 for every file, and the line named neither the mirror nor HF_ENDPOINT.
  it('a 404 from a mirror names it and HF_ENDPOINT; from the Hub itself, --repo and --revision only', () => {
    const mirror = { ...request(undefined), endpoint: 'http://mirror.example/hf' };
    expect(httpError(404, mirror).message).toBe(
      `the Hub mirror http://mirror.example/hf (HF_ENDPOINT) has no ${REPO}@main/${ONNX} (HTTP 404 for http://mirror.example/hf/${REPO}/resolve/main/onnx/model_quantized.onnx): ` +
        'check --repo, --revision and that the repo has an ONNX export, and that HF_ENDPOINT is the address under which the mirror serves {repo}/resolve/{revision}/{file}',
    );
    const hub = { ...request(undefined), endpoint: 'https://huggingface.co' };
    expect(httpError(404, hub).message).toBe(`the Hub has no ${REPO}@main/${ONNX} (HTTP 404): check --repo, --revision and that the repo has an ONNX export`);
  });

  it('from the storage host a file redirects to, that its link may have expired', () => {
    expect(httpError(403, request('hf_x'), 'https://cdn.example/blobs/abc?sig=1').message).toBe(
      `the storage host https://cdn.example refused ${REPO}@main/${ONNX} (HTTP 403): the Hub's link to it may have expired; run the same command again (a proxy that forbids that host would refuse it again)`,
    );
  });
});

// Each drop of a link that drops every 20 MB restarts the count of tries: the line said 'try 2 of 4' at every one.
describe('the line before a file is tried again', () => {
  const cut = `the download of ${ONNX} was cut after 20000000 bytes (other side closed); run the same command again to resume`;

  it('counts the tries, and after one that got further, both all of them and those since', () => {
    expect(retryLine(ONNX, cut, 2, 4, 1000, 2)).toBe(`${ONNX}: the download of ${ONNX} was cut after 20000000 bytes (other side closed): trying again in 1 s (try 2 of 4)\n`);
    expect(retryLine(ONNX, cut, 3, 4, 3000, 7)).toBe(
      `${ONNX}: the download of ${ONNX} was cut after 20000000 bytes (other side closed): trying again in 3 s (try 7, 3 of 4 since the last that got further)\n`,
    );
  });
});

// In a log (not a terminal) a pull said nothing about a file until it was done: minutes on a slow link for the 67 MB file.
describe('model pull progress in a log', () => {
  const written = (size: number, steps: number[]) => {
    const lines: string[] = [];
    const listener = progressLine(ONNX, { isTTY: false, write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream & { isTTY?: boolean });
    for (const received of steps) listener(received, size);
    return lines.join('');
  };

  it('says each quarter of a large file, once, then the file done', () => {
    const size = 68_372_574;
    const said = written(size, [1e6, 17.2e6, 17.3e6, 40e6, 52e6, 60e6, size, size]);
    expect(said).toMatch(
      new RegExp(
        `^${ONNX}: 17\\.2/68\\.4 MB \\(25%\\) at [\\d.]+ MB/s\\n${ONNX}: 40\\.0/68\\.4 MB \\(50%\\) at [\\d.]+ MB/s\\n${ONNX}: 52\\.0/68\\.4 MB \\(75%\\) at [\\d.]+ MB/s\\n${ONNX}: 68\\.4 MB at [\\d.]+ MB/s\\n$`,
      ),
    );
  });

  // A file resumed at 20 of 68 MB said '25%' as if reached now, and a rate of all its bytes over this pull's seconds:
  // 23.7 MB/s on a 5 MB/s link, 923 MB/s after a try that resumed at 60 MB.
  it('a resumed file: no quarter it already had, and the rate of the bytes this pull received', () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const lines: string[] = [];
      const listener = progressLine(ONNX, { isTTY: false, write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream & { isTTY?: boolean });
      const size = 60e6;
      listener(20e6, size); // the transfer starts, resuming
      for (const [seconds, received] of [[1, 25e6], [2, 30e6], [6, 50e6], [8, size]] as const) {
        vi.setSystemTime(seconds * 1000);
        listener(received, size);
      }
      expect(lines.join('')).toBe(`${ONNX}: 30.0/60.0 MB (50%) at 5.0 MB/s\n${ONNX}: 50.0/60.0 MB (75%) at 5.0 MB/s\n${ONNX}: 60.0 MB at 5.0 MB/s\n`);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says a small file once, when it is done', () => {
    expect(written(711_396, [300_000, 600_000, 711_396])).toMatch(new RegExp(`^${ONNX}: 0\\.7 MB at [\\d.]+ MB/s\\n$`));
  });

  // config.json (461 bytes in the test model, about 700 in the real one) was said as '0.0 MB at 0.5 MB/s': read as
  // nothing downloaded. A file under 0.1 MB is said in kB.
  it('says a file of a few hundred bytes in kB, not 0.0 MB', () => {
    expect(written(461, [461])).toMatch(new RegExp(`^${ONNX}: 0\\.5 kB at [\\d.]+ MB/s\\n$`));
    expect(written(99_949, [99_949])).toMatch(new RegExp(`^${ONNX}: 99\\.9 kB at [\\d.]+ MB/s\\n$`));
  });

  it('says a few hundred bytes in kB on a terminal too', () => {
    const lines: string[] = [];
    const listener = progressLine(ONNX, { isTTY: true, write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream & { isTTY?: boolean });
    listener(372, 372);
    expect(lines.join('')).toMatch(/ 0\.4\/0\.4 kB {2}[\d.]+ MB\/s\n$/);
  });
});
