/**
 * One inference thread: holds an ONNX Runtime session and runs the batches
 * the pool sends it. ONNX Runtime's Node binding runs a session synchronously
 * on the calling thread, so sessions live here, off the main thread, which
 * keeps reading, tokenizing and writing while the model computes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { BatchReply, BatchRequest, WorkerSetup } from './worker-protocol.js';
import { errorMessage } from '../../errors.js';

const setup = workerData as WorkerSetup;
// ONNX Runtime's warnings went to stderr as they are, colour codes and all, beside the run's own lines: as a user
// whose home is not writable (a container's non-root user, a read-only root filesystem), each worker printed
// '[W:onnxruntime:…, telemetry.cc:800 …] Failed to persist telemetry device ID'. Its errors still reach the run as
// the messages of what failed (load, batch).
ort.env.logLevel = 'error';
const port = parentPort;
if (!port) throw new Error('inference-worker.js runs as a worker thread only');

async function start(): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(setup.onnxPath, {
    intraOpNumThreads: setup.intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    // A batch ONNX Runtime refused printed its own red '[E:onnxruntime:, sequential_executor.cc:671 ExecuteKernel] …'
    // line beside the run's: what it says reaches the run as the error of the batch (or of the load-time probe).
    logSeverityLevel: 4,
    graphOptimizationLevel: 'all',
    executionProviders: setup.device === 'cuda' ? ['cuda', 'cpu'] : ['cpu'],
  });
}

start().then(
  (session) => {
    const unfit = interfaceProblem(session);
    if (unfit) {
      port.postMessage({ ready: false, error: unfit, unfit: true });
      return;
    }
    port.on('message', (request: BatchRequest) => {
      void run(session, request).then((reply) => port.postMessage(reply, 'logits' in reply ? [reply.logits.buffer as ArrayBuffer] : []));
    });
    port.postMessage({ ready: true });
  },
  (error: unknown) => port.postMessage({ ready: false, error: errorMessage(error) }),
);

/**
 * What the model lacks of the interface `run` feeds and reads (inputs input_ids and attention_mask, nothing else
 * required; an output logits), or undefined. Said at load: a batch would fail on it for every row.
 */
function interfaceProblem(session: ort.InferenceSession): string | undefined {
  const inputs = [...session.inputNames].sort();
  const fits = inputs.length === 2 && inputs[0] === 'attention_mask' && inputs[1] === 'input_ids' && session.outputNames.includes('logits');
  if (fits) return undefined;
  return `expected the inputs input_ids and attention_mask and the output logits of a DistilBERT SST-2 export, found the inputs ${session.inputNames.join(', ') || 'none'} and the outputs ${session.outputNames.join(', ') || 'none'}`;
}

async function run(session: ort.InferenceSession, request: BatchRequest): Promise<BatchReply> {
  try {
    const dims = [request.batch, request.sequence];
    const feeds = {
      input_ids: new ort.Tensor('int64', request.inputIds, dims),
      attention_mask: new ort.Tensor('int64', request.attentionMask, dims),
    };
    const result = await session.run(feeds);
    const logits = result.logits;
    if (!logits || logits.type !== 'float32' || logits.dims.length !== 2 || logits.dims[0] !== request.batch) {
      return { id: request.id, error: `the model's "logits" output is ${logits ? `${logits.type} [${logits.dims.join(', ')}]` : 'missing'}; expected float32 [${request.batch}, labels]` };
    }
    return { id: request.id, logits: new Float32Array(logits.data as Float32Array), labels: logits.dims[1] as number };
  } catch (error) {
    return { id: request.id, error: errorMessage(error) };
  }
}
