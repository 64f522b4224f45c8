/**
 * Differential fuzz of "correct to the byte" (the records written back with their original bytes: the README's
 * opening, docs/input-formats.md): seeded awkward exports (CSV with
 * every line ending, quotes, delimiters and BOMs; JSONL with huge integers, duplicate keys, escapes...) run
 * through the built CLI (a file, gzip, standard input to standard output, Workers AI through `serve` with
 * faults and a mend, a run cut by SIGKILL or SIGTERM and resumed), each output checked by an oracle that splits
 * the input bytes on its own (test/support/byte-oracle.ts): every record's bytes, in order, then only the
 * appended answer. See test/support/bytes-fuzz.ts for a case.
 *
 * Environment:
 *   BYTES_FUZZ_SEED     first seed (default 1); cases use SEED, SEED+1, ... (from 1000000 on, backslash-escaped
 *                       CSV exports run with --escape backslash: test/support/awkward-export.ts BACKSLASH_SEEDS;
 *                       from 2000000 on, exports that quote nothing, MySQL-style, run with --quote none: UNQUOTED_SEEDS)
 *   BYTES_FUZZ_CASES    how many cases (default 200)
 *   BYTES_FUZZ_MINUTES  stop starting cases after this long (default 10)
 *   BYTES_FUZZ_MODE     only this way of running (file, gzip, stdio, serve, kill; local: --backend local, the tiny ONNX fixture)
 *   BYTES_FUZZ_CUT_FAULTS 1: the service fails a fifth of the requests until a kill-mode cut
 *   BYTES_FUZZ_FAIL_DIR where a failing case's folder is kept: <dir>/<seed> (default /tmp/bytes-fuzz-fail)
 *
 * `npm run bench -- bytes-fuzz`. Not part of `npm test` (test/e2e-bytes-fuzz.test.ts runs a few seeds).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, REPO_ROOT, runFuzzSeeds, startServe } from './support.js';
import { FUZZ_MODES, runFuzzCase, type FuzzMode } from '../test/support/bytes-fuzz.js';

export async function run(): Promise<Record<string, unknown>> {
  const first = Number(process.env.BYTES_FUZZ_SEED ?? 1);
  const cases = Number(process.env.BYTES_FUZZ_CASES ?? 200);
  const minutes = Number(process.env.BYTES_FUZZ_MINUTES ?? 10);
  const mode = process.env.BYTES_FUZZ_MODE as FuzzMode | undefined;
  if (mode !== undefined && !FUZZ_MODES.includes(mode) && mode !== 'local') throw new Error(`BYTES_FUZZ_MODE must be one of ${FUZZ_MODES.join(', ')}`);
  const failDir = process.env.BYTES_FUZZ_FAIL_DIR ?? '/tmp/bytes-fuzz-fail';
  const work = mkdtempSync(path.join(tmpdir(), 'bytes-fuzz-'));
  const server = await startServe(['--seed', '1']);
  // Stopped early (Ctrl-C, kill): take the server down too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      server.stop();
      console.log(`bytes-fuzz: stopped by ${signal}; work folder kept: ${work}`);
      process.exit(130);
    });
  }
  const started = performance.now();
  const byMode: Record<string, number> = {};
  let failed: number[] = [];
  let runs = 0;
  let done = 0;
  try {
    failed = await runFuzzSeeds({ first, cases, minutes, started, work, failDir }, async (seed, dir) => {
      const result = await runFuzzCase(seed, { cli: CLI, dir, serveUrl: `${server.url}/client/v4`, ...(mode !== undefined ? { mode } : {}), cutFaults: process.env.BYTES_FUZZ_CUT_FAULTS === '1', localModelDir: path.join(REPO_ROOT, 'fixtures/tiny-distilbert') });
      done++;
      runs += result.runs;
      byMode[result.mode] = (byMode[result.mode] ?? 0) + 1;
      const what = `seed ${seed} ${result.mode} ${result.export.format} ${result.export.bytes.length} bytes (${result.export.features.join(', ')})${result.notes.length > 0 ? `; ${result.notes.join('; ')}` : ''}`;
      return { what, problems: result.problems, commands: result.commands };
    });
  } finally {
    server.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`bytes-fuzz: ${done} cases (${runs} CLI runs) in ${seconds.toFixed(1)} s, seeds ${first}–${first + done - 1}; ${failed.length} failed${failed.length > 0 ? `: ${failed.join(', ')} (kept in ${failDir})` : ''}`);
  return { cases: done, runs, seconds: Number(seconds.toFixed(1)), byMode, failedSeeds: failed };
}
