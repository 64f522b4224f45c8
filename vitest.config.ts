import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests spawn the built CLI and real servers; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most end-to-end files spend their time waiting (rate limits, answer latency, grace periods), not
    // computing: three at once keep the suite short on 2 cores without starving the CPU-bound ones.
    maxWorkers: 3,
  },
});
