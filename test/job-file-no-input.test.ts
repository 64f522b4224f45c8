import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFor } from '../src/commands/score.js';
import { ConfigError } from '../src/errors.js';
import { tempDir } from './support/cli.js';

// `run job.json` with no "input" in the file was told "no input: give an input file (or - for standard input), or
// a job file naming one": run takes no input file (a second argument is refused), and a job file was given.
describe('a job file that names no input', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('is told the key to add', () => {
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ output: 'out.csv', textColumn: 'review' }));
    expect(() => settingsFor('run', [job], {}, {})).toThrow(
      new ConfigError(`job file ${job} names no input: add "input": "PATH" to it (relative to its folder; "-" reads standard input)`),
    );
  });
});
