import { configDefaults, defineConfig } from 'vitest/config';
import { OWN_PROCESS } from './test/support/own-process.js';
import { SLOW_TIER } from './test/support/slow-tier.js';
import { SlowestFirst } from './test/support/slowest-first.js';

// End-to-end files spawn the built CLI against real servers. They replace no module and touch no process
// state, so they share worker processes like the in-process files (a fresh process and module graph per
// file is CPU the 2 cores spend on nothing); their project's name sorts first, so these long files start
// first instead of ending the run (test/support/slowest-first.ts orders them).
const END_TO_END = ['test/e2e-*.test.ts'];

export default defineConfig({
  test: {
    // End-to-end tests spawn the built CLI and real servers; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most end-to-end files spend their time waiting (rate limits, answer latency, grace periods), not
    // computing: three at once keep the suite short on 2 cores without starving the CPU-bound ones.
    maxWorkers: 3,
    sequence: { sequencer: SlowestFirst },
    projects: [
      // The slow tier runs with `npm run test:slow` (vitest.slow.config.ts), not here.
      { extends: true, test: { name: 'end-to-end', include: END_TO_END, exclude: [...configDefaults.exclude, ...SLOW_TIER], isolate: false } },
      { extends: true, test: { name: 'own-process', include: OWN_PROCESS } },
      {
        extends: true,
        // The in-process files share worker processes: a fresh process and module graph per file cost
        // about a third of their CPU time (measured on 42 of them: 54 s of CPU isolated, 36 s shared).
        test: { name: 'shared-process', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...END_TO_END, ...OWN_PROCESS, ...SLOW_TIER], isolate: false },
      },
    ],
  },
});
