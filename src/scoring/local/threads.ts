/**
 * How the cores are used: several workers with one ONNX Runtime thread each
 * (batches in parallel), or one worker whose session spreads each batch over
 * all cores (intra-op threads). `npm run bench -- local` measures both: on
 * 2 cores, workers scored 36.9 short / 3.9 long texts per second against
 * 23.9 / 2.9 for intra-op threads (a loaded machine; docs/local-model.md), so
 * workers are the default.
 *
 * --threads asks for cores, so it is capped at the machine's: each worker loads
 * its own session (115–229 MB more per worker with the real model, measured in
 * docs/local-model.md), and workers beyond the
 * cores only wait for them (--threads 999 on 2 cores grew to 9.4 GB and had not
 * scored 10 rows). A job file written on a bigger machine still runs here, with
 * one warning line, rather than failing.
 */
import os from 'node:os';

export type ThreadMode = 'workers' | 'intra-op';

export interface ThreadPlan {
  workers: number;
  intraOpThreads: number;
}

const DEFAULT_THREAD_MODE: ThreadMode = 'workers';

export function planThreads(cores: number = os.availableParallelism(), mode: ThreadMode = DEFAULT_THREAD_MODE): ThreadPlan {
  const n = Math.max(1, Math.floor(cores));
  return mode === 'workers' ? { workers: n, intraOpThreads: 1 } : { workers: 1, intraOpThreads: n };
}

/**
 * The cores to use for a requested count (undefined: all of them), and whether the request
 * was more than the machine has (then the machine's count is used).
 */
export function usableCores(requested: number | undefined, available: number = os.availableParallelism()): { cores: number; capped: boolean } {
  const machine = Math.max(1, Math.floor(available));
  if (requested === undefined) return { cores: machine, capped: false };
  return requested > machine ? { cores: machine, capped: true } : { cores: requested, capped: false };
}
