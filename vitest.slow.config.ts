import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';
import { SLOW_TIER } from './test/support/slow-tier.js';

// `npm run test:slow`: only the slow tier (test/support/slow-tier.ts), with the default suite's settings;
// end-to-end files share worker processes, as in the default suite's end-to-end project.
const { projects: _defaultProjects, ...settings } = base.test ?? {};

export default defineConfig({ test: { ...settings, include: SLOW_TIER, isolate: false } });
