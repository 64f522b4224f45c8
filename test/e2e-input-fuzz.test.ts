import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { runInputCase } from './support/input-fuzz.js';

/**
 * The input-handling differential fuzz (bench/input-fuzz.ts, test/support/input-fuzz.ts), 60 seeds here (the bench runs more): mutated CSV,
 * TSV and JSONL inputs, gzip among them, each run from a file and from standard input with the embedded model, the
 * output read back by csv-parse or JSON.parse against the input; every tenth seed also killed -9 and resumed. A
 * failure lists each seed's problems and the commands that reproduce it. Slow tier (about 2 CLI runs a seed); 60
 * seeds keep the CI's slow tier in bounds (200 took 725 s at load average 16).
 */
describe('input-handling fuzz', () => {
  const { path: inDir } = useTempDir();
  const BLOCK = 30;
  it.each([1, 31])('seeds %i to +29', { timeout: 900_000 }, async (first) => {
    const failures: string[] = [];
    for (let seed = first; seed < first + BLOCK; seed++) {
      const dir = inDir(String(seed));
      mkdirSync(dir);
      const result = await runInputCase(seed, { cli: builtCli(), dir, kill: seed % 10 === 0 });
      if (result.problems.length > 0) failures.push(`seed ${seed} (${result.input.format}${result.input.gzip ? '.gz' : ''}: ${result.input.features.join(', ')})\n  ${result.problems.join('\n  ')}\n  ${result.commands.join('\n  ')}`);
    }
    expect(failures.join('\n')).toBe('');
  });
});
