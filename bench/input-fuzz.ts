/**
 * Differential fuzz of the input handling (test/support/input-fuzz.ts): seeded mutated CSV, TSV and JSONL inputs
 * (quotes, line endings, BOMs, `sep=`, ragged rows, NUL, invalid UTF-8, UTF-16, escapes, surrogates, JSON arrays,
 * gzip cut short...) run through the built CLI with the embedded model, from a file and from standard input, each
 * output read back by parsers of the fuzz's own (csv-parse, JSON.parse) against the input; a sample also killed -9
 * and resumed. Prints the cases run per format and each failure with its commands.
 *
 * Environment:
 *   INPUT_FUZZ_SEED      first seed (default 1); cases use SEED, SEED+1, ...
 *   INPUT_FUZZ_CASES     how many cases (default 300)
 *   INPUT_FUZZ_MINUTES   stop starting cases after this long (default 10)
 *   INPUT_FUZZ_FORMAT    only this format (csv, tsv, jsonl)
 *   INPUT_FUZZ_KILL_EVERY the kill -9 and resume check on every Nth case (default 10; 0: never)
 *   INPUT_FUZZ_FAIL_DIR  where a failing case's folder is kept: <dir>/<seed> (default /tmp/input-fuzz-fail)
 *
 * `npm run bench -- input-fuzz`. Not part of `npm test` (test/e2e-input-fuzz.test.ts runs a few hundred seeds).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, runFuzzSeeds } from './support.js';
import { runInputCase } from '../test/support/input-fuzz.js';
import type { FuzzFormat } from '../test/support/input-fuzz-gen.js';

export async function run(): Promise<Record<string, unknown>> {
  const first = Number(process.env.INPUT_FUZZ_SEED ?? 1);
  const cases = Number(process.env.INPUT_FUZZ_CASES ?? 300);
  const minutes = Number(process.env.INPUT_FUZZ_MINUTES ?? 10);
  const killEvery = Number(process.env.INPUT_FUZZ_KILL_EVERY ?? 10);
  const only = process.env.INPUT_FUZZ_FORMAT as FuzzFormat | undefined;
  if (only !== undefined && !['csv', 'tsv', 'jsonl'].includes(only)) throw new Error('INPUT_FUZZ_FORMAT must be csv, tsv or jsonl');
  const failDir = process.env.INPUT_FUZZ_FAIL_DIR ?? '/tmp/input-fuzz-fail';
  const work = mkdtempSync(path.join(tmpdir(), 'input-fuzz-'));
  const started = performance.now();
  const byFormat: Record<string, number> = {};
  const byExit: Record<string, number> = {};
  let failed: number[] = [];
  let kills = 0;
  try {
    failed = await runFuzzSeeds({ first, cases, minutes, started, work, failDir }, async (seed, dir) => {
      const result = await runInputCase(seed, { cli: CLI, dir, ...(only !== undefined ? { only } : {}), kill: killEvery > 0 && seed % killEvery === 0 });
      const key = `${result.input.format}${result.input.gzip ? '.gz' : ''}`;
      byFormat[key] = (byFormat[key] ?? 0) + 1;
      byExit[String(result.exitCode)] = (byExit[String(result.exitCode)] ?? 0) + 1;
      if (result.killed) kills++;
      const what = `seed ${seed} ${key} exit ${result.exitCode} ${result.input.plain.length} bytes (${result.input.features.join(', ')})${result.killed ? ' killed+resumed' : ''}`;
      return { what, problems: result.problems, commands: result.commands };
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const done = Object.values(byFormat).reduce((a, b) => a + b, 0);
  const seconds = (performance.now() - started) / 1000;
  console.log(`input-fuzz: ${done} cases in ${seconds.toFixed(1)} s, seeds ${first}–${first + done - 1}, by format ${JSON.stringify(byFormat)}, by exit ${JSON.stringify(byExit)}, ${kills} killed and resumed; ${failed.length} failed${failed.length > 0 ? `: ${failed.join(', ')} (kept in ${failDir})` : ''}`);
  return { cases: done, seconds: Number(seconds.toFixed(1)), byFormat, byExit, kills, failedSeeds: failed };
}
