/**
 * A fixed set of inference workers, each with its own ONNX Runtime session.
 * `run` hands a padded batch to an idle worker and resolves with its logits;
 * `idle` says how many could take a batch now.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { findPackageRoot } from '../../package-root.js';
import { SentimentBatchError } from '../../errors.js';
import { runtimeInstallFault } from './runtime-install.js';
import { keepRuntimeTelemetryOff } from './runtime-telemetry.js';
import type { BatchReply, BatchRequest, ReadyMessage, WorkerSetup } from './worker-protocol.js';

export interface Logits {
  data: Float32Array;
  labels: number;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

/** ONNX Runtime refused a batch: `detail` is what it said (the load-time reach probe words it as the model's fault). */
export class BatchFailedError extends SentimentBatchError {
  constructor(readonly detail: string) {
    super('internal', `ONNX Runtime could not score a batch: ${detail}`);
  }
}

export class WorkerPool {
  private readonly slots: Slot[];
  private readonly waiting = new Map<number, { slot: Slot; resolve: (l: Logits) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | undefined;

  private constructor(workers: Worker[]) {
    this.slots = workers.map((worker) => ({ worker, busy: false }));
    for (const slot of this.slots) {
      slot.worker.on('message', (reply: BatchReply) => this.settle(slot, reply));
      slot.worker.on('error', (error) => this.fail(new SentimentBatchError('internal', `an inference worker failed: ${error.message}`, { cause: error })));
    }
  }

  /**
   * Starts `count` workers and waits until each has loaded the model. `remedy`: what a model file ONNX Runtime
   * cannot load calls for (how to get a good copy), added to that error. `script`: the worker's code (a test's stand-in).
   */
  static async start(count: number, setup: WorkerSetup, remedy?: string, script = workerScript()): Promise<WorkerPool> {
    // Before ONNX Runtime loads in a worker: it reads the variable then (runtime-telemetry.ts).
    keepRuntimeTelemetryOff();
    const workers = Array.from({ length: count }, () => new Worker(script, { workerData: setup }));
    // The pool listens from the start: a worker that failed after its ready, while another still loaded, had no
    // 'error' listener (waitReady lets go of it) and was an uncaught exception; now it is the pool's failure.
    const pool = new WorkerPool(workers);
    // Every worker answers (loaded or refused) before any is stopped: terminating one while ONNX Runtime is still
    // loading its session aborts the whole process (a damaged model file, 2 workers: "terminate called after throwing
    // an instance of 'Napi::Error'", exit 134, nothing said about the file).
    const loaded = await Promise.allSettled(workers.map((worker) => waitReady(worker, setup.onnxPath, remedy)));
    const refused = loaded.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (refused) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      throw refused.reason;
    }
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  get idle(): number {
    return this.failure ? 0 : this.slots.filter((slot) => !slot.busy).length;
  }

  run(batch: number, sequence: number, inputIds: BigInt64Array, attentionMask: BigInt64Array): Promise<Logits> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots.find((s) => !s.busy);
    if (!slot) return Promise.reject(new SentimentBatchError('internal', 'no idle inference worker (a bug in the batcher)'));
    slot.busy = true;
    const id = this.nextId++;
    const request: BatchRequest = { id, batch, sequence, inputIds, attentionMask };
    return new Promise<Logits>((resolve, reject) => {
      this.waiting.set(id, { slot, resolve, reject });
      slot.worker.postMessage(request, [inputIds.buffer as ArrayBuffer, attentionMask.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private settle(slot: Slot, reply: BatchReply): void {
    const waiter = this.waiting.get(reply.id);
    if (!waiter) return;
    this.waiting.delete(reply.id);
    slot.busy = false;
    if ('error' in reply) waiter.reject(new BatchFailedError(reply.error));
    else waiter.resolve({ data: reply.logits, labels: reply.labels });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}

/**
 * The compiled worker beside this module; run from the TypeScript sources
 * (vitest), the built copy under dist/ (tests build first), since a worker
 * thread loads plain JavaScript.
 */
function workerScript(): string {
  const beside = fileURLToPath(new URL('./inference-worker.js', import.meta.url));
  if (existsSync(beside)) return beside;
  const built = path.join(findPackageRoot() ?? '.', 'dist', 'src', 'scoring', 'local', 'inference-worker.js');
  if (existsSync(built)) return built;
  throw new SentimentBatchError('internal', `the inference worker script is missing (${beside}); run \`npm run build\``);
}

function waitReady(worker: Worker, onnxPath: string, remedy: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void =>
      reject(new SentimentBatchError('model_file', `cannot start the local model: ${runtimeInstallFault(error) ?? error.message}`, { cause: error }));
    worker.once('error', onError);
    worker.once('message', (message: ReadyMessage) => {
      worker.off('error', onError);
      if (message.ready) resolve();
      else if (message.unfit) {
        // A model of another interface (a BERT export with token_type_ids, another output name): the command's choice of model, not a bug.
        reject(new SentimentBatchError('model_file', `${onnxPath} is not a model --backend local can run: ${message.error}; use an export with that interface (docs/local-model.md, --repo)`));
      } else reject(new SentimentBatchError('model_file', `ONNX Runtime cannot load ${onnxPath}: ${message.error.replace(/[\s.]+$/, '')}${remedy ? `; ${remedy}` : ''}`));
    });
  });
}
