import { describe, expect, it } from 'vitest';
import { threadsFor } from '../src/scoring/local/backend-settings.js';
import { planThreads, usableCores } from '../src/scoring/local/threads.js';

describe('--threads is capped at the cores the machine has', () => {
  it('uses every core by default, and a count up to the cores as given', () => {
    expect(usableCores(undefined, 2)).toEqual({ cores: 2, capped: false });
    expect(usableCores(1, 2)).toEqual({ cores: 1, capped: false });
    expect(usableCores(2, 2)).toEqual({ cores: 2, capped: false });
    expect(threadsFor({ threads: 2, jobFile: undefined }, 2)).toEqual({ cores: 2 });
  });

  it('caps more threads than cores at the cores, with one warning line naming the flag or the job file key', () => {
    // Before the cap, --threads 999 started 999 workers, each with its own ONNX session (9.4 GB on 2 cores).
    const flag = threadsFor({ threads: 999, jobFile: undefined }, 2);
    expect(flag.cores).toBe(2);
    expect(planThreads(flag.cores)).toEqual({ workers: 2, intraOpThreads: 1 });
    expect(flag.warning).toBe(
      '--threads asks for 999 threads, more than the 2 cores this machine has: using 2 (each thread loads its own copy of the model, 115–229 MB more per thread as measured; give at most 2 to silence this)',
    );
    const jobFile = { path: 'jobs/nightly.json', keys: new Set(['threads'] as const) };
    const fromFile = threadsFor({ threads: 8, jobFile }, 1);
    expect(fromFile.cores).toBe(1);
    expect(fromFile.warning).toMatch(/^"threads" in job file jobs\/nightly\.json asks for 8 threads, more than the 1 core this machine has: using 1 /);
  });
});
