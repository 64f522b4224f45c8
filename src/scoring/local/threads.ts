/**
 * How the cores are used: several workers with one ONNX Runtime thread each
 * (batches in parallel), or one worker whose session spreads each batch over
 * all cores (intra-op threads). `npm run bench -- local` measures both: on
 * 2 cores, workers scored 36.9 short / 3.9 long texts per second against
 * 23.9 / 2.9 for intra-op threads (a loaded machine; docs/local-model.md), so
 * workers are the default.
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
