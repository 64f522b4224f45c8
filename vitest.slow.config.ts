import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';
import { SLOW_TIER } from './test/support/slow-tier.js';

// `npm run test:slow`: only the slow tier (test/support/slow-tier.ts), with the default suite's settings;
// end-to-end files share worker processes, as in the default suite's end-to-end project.
const { projects: _defaultProjects, ...settings } = base.test ?? {};

// Their time-outs are bounds against a hang, not speed checks: the slow tier's soaks (40 kill -9 rounds, full disks,
// outages) ran 55-60 s of the default 60 in CI beside other work (load ~12), so they get three times that here.
export default defineConfig({ test: { ...settings, testTimeout: 180_000, hookTimeout: 180_000, include: SLOW_TIER, isolate: false } });
