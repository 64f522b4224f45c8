// A write the file system takes only in part (a nearly full disk: write(2) stores part of a buffer and says so, no
// error) must not be counted whole by `model pull` (hub/download-file.ts through io/write-fully.ts): the part not taken
// was missing from <file>.incomplete, and the pull failed its hash check instead of finishing or naming the disk.
import { open } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_FILES, readHubEnv } from '../src/hub/hub-env.js';
import { pullModel } from '../src/hub/pull.js';
import { REPO_ROOT, tempDir } from './support/cli.js';
import { startFakeHub, type FakeHub } from './support/fake-hub.js';

const REPO = 'Xenova/distilbert-base-uncased-finetuned-sst-2-english';
const FIXTURE = path.join(REPO_ROOT, 'fixtures/tiny-distilbert');
const ONNX = 'onnx/model_quantized.onnx';

type Write = (buffer: Buffer, offset?: number, length?: number, position?: number | null) => Promise<{ bytesWritten: number; buffer: Buffer }>;

describe('model pull on a file system that takes writes in part', () => {
  let hub: FakeHub;
  let dir: string;
  let cleanup: () => void;
  let proto: { write: Write };
  let write: Write;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    hub = await startFakeHub(REPO, FIXTURE, MODEL_FILES);
    const handle = await open(path.join(dir, 'probe'), 'w');
    proto = Object.getPrototypeOf(handle) as { write: Write };
    await handle.close();
    write = proto.write;
  });
  afterEach(() => {
    proto.write = write;
  });
  afterAll(async () => {
    await hub.close();
    cleanup();
  });

  it('writes the rest of each part, so the file is whole and verified', async () => {
    // At most 1,000 bytes a call, as write(2) does with that much room left; the ONNX file comes in larger chunks.
    proto.write = function (this: unknown, buffer, offset = 0, length = buffer.length - offset, position = null) {
      return write.call(this, buffer, offset, Math.min(length, 1000), position);
    };
    const cache = path.join(dir, 'cache');
    const result = await pullModel({ hub: readHubEnv({ HF_ENDPOINT: hub.endpoint, HF_HUB_CACHE: cache }), repo: REPO, revision: 'main', modelDir: undefined, retryDelaysMs: [] });
    proto.write = write;
    expect(result.downloaded).toContain(ONNX);
    for (const file of MODEL_FILES) expect(readFileSync(path.join(result.folder, file)).equals(readFileSync(path.join(FIXTURE, file)))).toBe(true);
  });
});
