// The inference workers' start: a model ONNX Runtime refuses is one model_file line and exit 2, never a native abort.
import { cpSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';

const MODEL = path.join(REPO_ROOT, 'fixtures/tiny-distilbert');

describe('score --backend local with a damaged model file and several workers', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  // Stopping a worker while ONNX Runtime still loaded its session aborted the process ("terminate called after
  // throwing an instance of 'Napi::Error'", exit 134, no word of the file) in about one run in three with 2 workers.
  it.skipIf(availableParallelism() < 2)('is exit 2 naming the file, run after run', async () => {
    const copy = path.join(dir, 'damaged');
    cpSync(MODEL, copy, { recursive: true });
    writeFileSync(path.join(copy, 'onnx/model_quantized.onnx'), 'not a model');
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,review\n1,great\n2,awful\n');
    const args = ['score', input, '--text-column', 'review', '--backend', 'local', '--model-dir', copy, '--threads', '2', '-o', path.join(dir, 'out.csv')];
    for (let round = 0; round < 10; round++) {
      const result = await runCli(args);
      expect({ round, code: result.code, signal: result.signal }).toEqual({ round, code: 2, signal: null });
      expect(result.stderr).toMatch(/ONNX Runtime cannot load .*model_quantized\.onnx/);
      expect(result.stderr).not.toMatch(/Napi::Error/);
    }
  }, 120_000);
});
