import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJobFlags, readJobFile } from '../src/config/resolve.js';
import { ConfigError } from '../src/errors.js';
import { tempDir } from './support/cli.js';

// An operator who wants a run to stop at its first failed row reaches for --max-error-rate 0, which is refused
// ("expects a number above 0 and at most 1"): the line now names the setting that does that, --max-errors 0.
describe('--max-error-rate 0', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('is refused with the setting that stops at the first failed row', () => {
    expect(() => parseJobFlags(['--max-error-rate', '0'])).toThrow(
      new ConfigError("--max-error-rate expects a number above 0 and at most 1, got '0'; to stop at the first failed row, give --max-errors 0"),
    );
    // Other bad values keep the plain line.
    expect(() => parseJobFlags(['--max-error-rate', '2'])).toThrow(new ConfigError("--max-error-rate expects a number above 0 and at most 1, got '2'"));
    // A percentage, as a dashboard writes a share: the fraction it means is said.
    expect(() => parseJobFlags(['--max-error-rate', '50%'])).toThrow(
      new ConfigError("--max-error-rate expects a number above 0 and at most 1, got '50%': a share is written as a fraction, 0.5 for 50%"),
    );
    expect(() => parseJobFlags(['--max-error-rate', '150%'])).toThrow(new ConfigError("--max-error-rate expects a number above 0 and at most 1, got '150%'"));
  });

  it('in a job file, named by its key', () => {
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'in.csv', maxErrorRate: 0 }));
    expect(() => readJobFile(job)).toThrow(
      new ConfigError(`job file ${job}: "maxErrorRate" expects a number above 0 and at most 1, got 0; to stop at the first failed row, give "maxErrors": 0`),
    );
  });
});
