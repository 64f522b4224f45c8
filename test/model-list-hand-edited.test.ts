import { cpSync, mkdirSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotFolder } from '../src/hub/cache-layout.js';
import { MODEL_FILES } from '../src/hub/hub-env.js';
import { PULL_RECORD } from '../src/hub/pull-record.js';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';

// A Hub cache edited by hand (a blob deleted under a link, as huggingface_hub lays snapshots out; a file cut short)
// and then listed. A link leading nowhere made `model list` exit 74 ('stat … failed: no such file or directory
// (ENOENT); check that path and the machine, then run the same command again'), listing no model at all, and the
// same command failed the same way again; a file cut short since its pull was listed 'complete', which
// `score --backend local` then refused.
const REPO = 'Xenova/distilbert-base-uncased-finetuned-sst-2-english';
const COMMIT = 'a'.repeat(40);
const ONNX = 'onnx/model_quantized.onnx';
const FIXTURE = path.join(REPO_ROOT, 'fixtures/tiny-distilbert');

describe('model list of a Hub cache edited by hand', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  /** A cache holding the fixture as a pull leaves it: the files, refs/main and the pull's record (sizes as pulled). */
  const pulledCache = (name: string): { cache: string; folder: string } => {
    const cache = path.join(dir, name);
    const folder = snapshotFolder(cache, REPO, COMMIT);
    cpSync(FIXTURE, folder, { recursive: true });
    const repoDir = path.join(cache, `models--${REPO.replace('/', '--')}`);
    mkdirSync(path.join(repoDir, 'refs'), { recursive: true });
    writeFileSync(path.join(repoDir, 'refs', 'main'), COMMIT);
    const files = Object.fromEntries(MODEL_FILES.map((f) => [f, { hash: 'b'.repeat(64), size: sizeOf(path.join(FIXTURE, f)) }]));
    writeFileSync(path.join(folder, PULL_RECORD), JSON.stringify({ repo: REPO, commit: COMMIT, files }));
    return { cache, folder };
  };
  const list = (cache: string) => runCli(['model', 'list'], { env: { HF_HUB_CACHE: cache } });

  it('a file that is a link leading nowhere is listed as missing, with the pull that fetches it; the other models are listed', async () => {
    const { cache, folder } = pulledCache('dangling');
    rmSync(path.join(folder, ONNX));
    symlinkSync(path.join(dir, 'no-such-blob'), path.join(folder, ONNX));
    // A ref leading nowhere too (a refs file replaced by a link, its target removed).
    symlinkSync(path.join(dir, 'no-such-ref'), path.join(cache, `models--${REPO.replace('/', '--')}`, 'refs', 'v2'));
    cpSync(path.join(cache, `models--${REPO.replace('/', '--')}`), path.join(cache, 'models--acme--other'), { recursive: true, verbatimSymlinks: true });
    const result = await list(cache);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${REPO}  main → ${COMMIT}  0.7 MB  incomplete: missing ${ONNX}; 'sentiment-batch model pull' resumes it\n`);
    expect(result.stdout).toContain(`acme/other  main → ${COMMIT}`);
  });

  it('a file cut short since its pull is listed as damaged, not complete, with the pull that fetches it again', async () => {
    const { cache, folder } = pulledCache('cut');
    truncateSync(path.join(folder, ONNX), 100_000);
    const result = await list(cache);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `${REPO}  main → ${COMMIT}  0.8 MB  damaged: ${ONNX} is 100000 bytes, its pull checked ${sizeOf(path.join(FIXTURE, ONNX))}; 'sentiment-batch model pull' fetches it again\n`,
    );
  });

  it('an intact pulled folder is complete', async () => {
    const { cache } = pulledCache('intact');
    const result = await list(cache);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ {2}1\.3 MB {2}complete\n/);
  });
});

function sizeOf(file: string): number {
  return statSync(file).size;
}
