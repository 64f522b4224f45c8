import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULTS, type JobSettings } from '../src/config/options.js';
import { ExitCode } from '../src/errors.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { toScores, type Scorer } from '../src/scoring/scorer.js';
import { tempDir } from './support/cli.js';
import { quiet } from './support/counting-remote.js';

/**
 * Scores 'good' rows, and rejects the others with a value that has no string form: the row scorer's own failure
 * handling then throws in turn, so the promise the pipeline holds for the row rejects (a bug's shape, not a
 * scorer's refusal). `usesTokenWindow` routes rows through the in-run dedupe, as --backend local's are.
 */
function rejectingScorer(usesTokenWindow: boolean): Scorer {
  return {
    modelId: 'test:rejecting',
    remote: false,
    usesTokenWindow,
    score: async (text: string) => {
      if (text.startsWith('good')) return toScores(0.9, 0.1);
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw Object.create(null) as Error;
    },
    close: async () => {},
  };
}

describe('a row whose scoring promise rejects', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  for (const usesTokenWindow of [false, true]) {
    it(`stops the run as an internal error with its figures (${usesTokenWindow ? 'token window, dedupe' : 'plain local scorer'})`, async () => {
      const input = path.join(dir, 'in.csv');
      const output = path.join(dir, 'out.csv');
      // Two rows with the same text: the second waits on the first's promise through the dedupe.
      writeFileSync(input, 'id,text\n1,good one\n2,good two\n3,odd\n4,odd\n5,good three\n');
      const settings: JobSettings = { ...DEFAULTS, input, output, backend: 'embedded', progress: 'off' };
      const summary = await runJob(settings, { log: quiet(), stop: new StopController(), createScorer: () => rejectingScorer(usesTokenWindow) });
      expect(summary.status).toBe('failed');
      expect(summary.exitCode).toBe(ExitCode.Internal);
      expect(summary.message).toMatch(/^unexpected error while scoring/);
      // The rows before the one that failed are written and counted; the output is left partial for the next run.
      expect(summary.totals.scored).toBe(2);
      expect(existsSync(output)).toBe(false);
      expect(readFileSync(`${output}.partial`, 'utf8')).toMatch(/good one[\s\S]*good two/);
    });
  }
});
