/**
 * How the cores are used: several workers with one ONNX Runtime thread each
 * (batches in parallel), or one worker whose session spreads each batch over
 * all cores (intra-op threads). `npm run bench -- local` measures both; the
 * default is the one that scored more texts per second there (docs/local-model.md).
 */
import os from 'node:os';

export type ThreadMode = 'workers' | 'intra-op';

export interface ThreadPlan {
  workers: number;
  intraOpThreads: number;
}

export const DEFAULT_THREAD_MODE: ThreadMode = 'workers';

export function planThreads(cores: number = os.availableParallelism(), mode: ThreadMode = DEFAULT_THREAD_MODE): ThreadPlan {
  const n = Math.max(1, Math.floor(cores));
  return mode === 'workers' ? { workers: n, intraOpThreads: 1 } : { workers: 1, intraOpThreads: n };
}
