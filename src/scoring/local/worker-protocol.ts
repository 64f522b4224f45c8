/** Messages between the main thread and the inference workers. */
export interface WorkerSetup {
  onnxPath: string;
  intraOpThreads: number;
  device: 'cpu' | 'cuda';
}

export interface BatchRequest {
  id: number;
  batch: number;
  sequence: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
}

export type BatchReply = { id: number; logits: Float32Array; labels: number } | { id: number; error: string };

/** `unfit`: the model loaded, but its inputs or outputs are not those of a DistilBERT SST-2 export. */
export type ReadyMessage = { ready: true } | { ready: false; error: string; unfit?: true };
