// A worker that fails after saying it is ready, while another still loads its model: the pool has to be listening.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../src/scoring/local/worker-pool.js';
import type { WorkerSetup } from '../src/scoring/local/worker-protocol.js';
import { tempDir } from './support/cli.js';

/**
 * The first worker to start says it is ready, then throws; the second says so only once the first has thrown. Its
 * 'error' had no listener then (waitReady had let go of it, the pool was not made yet): an uncaught exception.
 */
const FAKE_WORKER = `
import { parentPort, workerData } from 'node:worker_threads';
const shared = new Int32Array(workerData.shared);
parentPort.on('message', () => {});
if (Atomics.add(shared, 0, 1) === 0) {
  parentPort.postMessage({ ready: true });
  setTimeout(() => {
    Atomics.store(shared, 1, 1);
    Atomics.notify(shared, 1);
    throw new Error('worker broke after ready');
  }, 20);
} else {
  Atomics.wait(shared, 1, 0);
  setTimeout(() => parentPort.postMessage({ ready: true }), 200);
}
`;

describe('WorkerPool.start', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('a worker that fails after its ready, while another still loads, is the pool failure, not an uncaught exception', async () => {
    const script = path.join(dir, 'fake-worker.mjs');
    writeFileSync(script, FAKE_WORKER);
    const setup = { onnxPath: 'unused.onnx', intraOpThreads: 1, device: 'cpu', shared: new SharedArrayBuffer(8) } as WorkerSetup;
    const pool = await WorkerPool.start(2, setup, undefined, script);
    try {
      expect(pool.idle).toBe(0);
      await expect(pool.run(1, 1, new BigInt64Array(1), new BigInt64Array(1))).rejects.toThrow('an inference worker failed: worker broke after ready');
    } finally {
      await pool.close();
    }
  });
});
