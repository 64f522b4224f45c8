import { configDefaults, defineConfig } from 'vitest/config';
import { SLOW_TIER } from './test/support/slow-tier.js';
import { SlowestFirst } from './test/support/slowest-first.js';

// End-to-end files spawn the built CLI against real servers. They replace no module and touch no process
// state, so they share worker processes like the in-process files (a fresh process and module graph per
// file is CPU the 2 cores spend on nothing); their project's name sorts first, so these long files start
// first instead of ending the run (test/support/slowest-first.ts orders them).
const END_TO_END = ['test/e2e-*.test.ts'];
// In-process files that need a process of their own: those that replace a module (vi.mock: in a shared
// process a file run before may have loaded the real one); one counts the process's signal listeners,
// which a file run before it in a shared process may have added.
const OWN_PROCESS = [
  'test/answer-journal-full-disk.test.ts',
  'test/edited-export-answers.test.ts',
  'test/failed-rows-fsync.test.ts',
  'test/folder-fsync.test.ts',
  'test/gzip-resume-reads-once.test.ts',
  'test/lockless-run.test.ts',
  'test/mend-checkpoint-refused.test.ts',
  'test/output-digest.test.ts',
  'test/report-columns-sample.test.ts',
  'test/run-cache-words.test.ts',
  'test/server-cli.test.ts',
  'test/server-token-sources.test.ts',
];

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
