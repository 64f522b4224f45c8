import { configDefaults, defineConfig } from 'vitest/config';

// End-to-end files spawn the built CLI against real servers: each keeps a process of its own, and vitest
// starts isolated files before the others, so these long files start first instead of ending the run.
const END_TO_END = ['test/e2e-*.test.ts'];
// Files that replace a module (vi.mock) need a module graph of their own.
const MOCKING = ['test/gzip-resume-reads-once.test.ts'];

export default defineConfig({
  test: {
    // End-to-end tests spawn the built CLI and real servers; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most end-to-end files spend their time waiting (rate limits, answer latency, grace periods), not
    // computing: three at once keep the suite short on 2 cores without starving the CPU-bound ones.
    maxWorkers: 3,
    projects: [
      { extends: true, test: { name: 'e2e', include: [...END_TO_END, ...MOCKING] } },
      {
        extends: true,
        // The in-process files share worker processes: a fresh process and module graph per file cost
        // about a third of their CPU time (measured on 42 of them: 54 s of CPU isolated, 36 s shared).
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...END_TO_END, ...MOCKING], isolate: false },
      },
    ],
  },
});
