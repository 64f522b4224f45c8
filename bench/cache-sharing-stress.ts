/**
 * Stress of one result cache folder shared by processes started together
 * (docs/cost.md, "Sharing"). Each round makes a new folder; each of the
 * processes opens the cache, puts its own keys in small commits (awaiting
 * `flush` after every `--per-commit` puts) while reading the others' keys,
 * closes it, and does that `--cycles` times. A round fails when a process
 * does not exit 0 (a crash, a cache error, a hang killed after 60 s), reads a
 * wrong value, is told its writes stopped, or when a key it put is missing
 * or wrong afterwards.
 *
 *   npm run build && node dist/bench/cache-sharing-stress.js [--rounds 40] [--processes 4]
 *     [--keys 200] [--per-commit 5] [--cycles 1] [--openers 0] [--opens 100] [--folders 1] [--cache-module path/to/cache.js]
 *
 * `--openers N` adds N processes that only open and close the cache, `--opens`
 * times each, while the others write (an open is what undid commits, see
 * src/state/cache-open-lock.ts).
 * `--folders N` runs N rounds at once (more load); `--cache-module` points at
 * another build of src/state/cache.ts (to compare with an older version).
 * Not part of `npm test` or `npm run bench`: 40 rounds take minutes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import type { Scores } from '../src/scoring/scorer.js';

const MODEL = 'stress-model';
const KEY_SPACING = 1_000_000;
const CHILD_TIMEOUT_MS = 60_000;

interface CacheLike {
  get(modelId: string, text: string): Scores | undefined;
  put(modelId: string, text: string, scores: Scores): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}
interface CacheModule {
  ResultCache: { open(dir: string, options?: { onWritesStopped?: (message: string) => void }): CacheLike };
}

/** The scores of key number i, full-precision doubles, the same in every process. */
export function scoresOf(i: number): Scores {
  const positive = Math.sin(i + 0.5) ** 2;
  return { label: positive >= 0.5 ? 'POSITIVE' : 'NEGATIVE', positive, negative: 1 - positive };
}
const sameScores = (a: Scores, b: Scores): boolean => a.label === b.label && Object.is(a.positive, b.positive) && Object.is(a.negative, b.negative);

/** What a child reports, one JSON line per cycle then one at the end. */
interface CycleReport {
  cycle: number;
  from: number;
  to: number;
  stopped: string[];
}
interface EndReport {
  done: true;
  reads: number;
  wrong: number;
}

/** Opener child: `opener <module> <dir> <opens>`: opens and closes the cache, nothing else. */
async function opener([modulePath, dir, opens]: string[]): Promise<void> {
  const { ResultCache } = (await import(pathToFileURL(modulePath as string).href)) as CacheModule;
  for (let n = 0; n < Number(opens); n++) await ResultCache.open(dir as string).close();
  const end: EndReport = { done: true, reads: 0, wrong: 0 };
  console.log(JSON.stringify(end));
}

/** Child: `child <module> <dir> <id> <keys> <perCommit> <cycles> <processes>`. */
async function child(args: string[]): Promise<void> {
  const [modulePath, dir, idArg, keysArg, perArg, cyclesArg, processesArg] = args as [string, string, string, string, string, string, string];
  const { ResultCache } = (await import(pathToFileURL(modulePath).href)) as CacheModule;
  const [id, keys, perCommit, cycles, processes] = [idArg, keysArg, perArg, cyclesArg, processesArg].map(Number) as [number, number, number, number, number];
  const first = id * KEY_SPACING;
  let reads = 0;
  let wrong = 0;
  let next = first;
  for (let cycle = 0; cycle < cycles; cycle++) {
    const stopped: string[] = [];
    const cache = ResultCache.open(dir, { onWritesStopped: (message) => stopped.push(message) });
    const from = next;
    const end = first + Math.round(((cycle + 1) * keys) / cycles);
    for (; next < end; next++) {
      cache.put(MODEL, `t${next}`, scoresOf(next));
      // Read a key another process may have written (or be writing) by now.
      const other = ((id + 1 + (next % Math.max(1, processes - 1))) % processes) * KEY_SPACING + (next - first);
      const got = cache.get(MODEL, `t${other}`);
      reads += 1;
      if (got !== undefined && !sameScores(got, scoresOf(other))) wrong += 1;
      if ((next - first) % perCommit === perCommit - 1) await cache.flush();
    }
    await cache.close();
    const report: CycleReport = { cycle, from, to: next, stopped };
    console.log(JSON.stringify(report));
  }
  const end: EndReport = { done: true, reads, wrong };
  console.log(JSON.stringify(end));
}

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runChild(args: string[], role = 'child'): Promise<ChildResult> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), role, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => proc.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

interface Settings {
  modulePath: string;
  processes: number;
  keys: number;
  perCommit: number;
  cycles: number;
  openers: number;
  opens: number;
}

/** One round on a new folder; the problems found (none when it went right). */
async function round(settings: Settings): Promise<{ problems: string[]; written: number }> {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'sb-cache-stress-'));
  const dir = path.join(parent, 'cache');
  const problems: string[] = [];
  // Each cycle's keys, and where they came from: to tell which commit of which cycle went missing.
  const expected: Array<[number, number, string]> = [];
  try {
    const { processes, keys, perCommit, cycles, modulePath } = settings;
    // The cache exists before the openers start (an opener does not create it); the writers start on it together.
    const { ResultCache } = (await import(pathToFileURL(modulePath).href)) as CacheModule;
    if (settings.openers > 0) await ResultCache.open(dir).close();
    const results = await Promise.all([
      ...Array.from({ length: processes }, (_, id) => runChild([modulePath, dir, String(id), String(keys), String(perCommit), String(cycles), String(processes)])),
      ...Array.from({ length: settings.openers }, () => runChild([modulePath, dir, String(settings.opens)], 'opener')),
    ]);
    results.forEach((result, id) => {
      const lines = result.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as CycleReport | EndReport);
      const end = lines.find((line): line is EndReport => 'done' in line);
      if (result.code !== 0 || end === undefined) {
        const why = result.stderr.split('\n').find((line) => /error|fault|abort/i.test(line)) ?? '';
        problems.push(`process ${id}: exit ${result.code ?? result.signal} ${why.slice(0, 200)}`);
      } else if (end.wrong > 0) problems.push(`process ${id}: ${end.wrong} wrong values read`);
      for (const line of lines) {
        if ('done' in line) continue;
        if (line.stopped.length > 0) problems.push(`process ${id} cycle ${line.cycle}: writes stopped: ${line.stopped[0]}`);
        expected.push([line.from, line.to, `process ${id} cycle ${line.cycle} of keys ${line.from % KEY_SPACING}-${(line.to % KEY_SPACING) - 1}`]);
      }
    });
    const cache = ResultCache.open(dir);
    let missing = 0;
    let wrong = 0;
    const where: string[] = [];
    for (const [from, to, cycle] of expected) {
      const lost: number[] = [];
      for (let i = from; i < to; i++) {
        const got = cache.get(MODEL, `t${i}`);
        if (got === undefined) lost.push(i % KEY_SPACING);
        else if (!sameScores(got, scoresOf(i))) wrong += 1;
      }
      missing += lost.length;
      if (lost.length > 0) where.push(`${cycle}: ${lost.length === to - from ? 'all' : lost.slice(0, 10).join(',') + (lost.length > 10 ? ',…' : '')}`);
    }
    await cache.close();
    if (missing > 0 || wrong > 0) problems.push(`${missing} keys missing, ${wrong} wrong afterwards${where.length > 0 ? ` (${where.join('; ')})` : ''}`);
  } catch (error) {
    problems.push(`checking the cache afterwards: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
  return { problems, written: expected.reduce((sum, [from, to]) => sum + to - from, 0) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '40' },
      processes: { type: 'string', default: '4' },
      keys: { type: 'string', default: '200' },
      'per-commit': { type: 'string', default: '5' },
      cycles: { type: 'string', default: '1' },
      openers: { type: 'string', default: '0' },
      opens: { type: 'string', default: '100' },
      folders: { type: 'string', default: '1' },
      'cache-module': { type: 'string', default: fileURLToPath(new URL('../src/state/cache.js', import.meta.url)) },
    },
  });
  const settings: Settings = {
    modulePath: path.resolve(values['cache-module']),
    processes: Number(values.processes),
    keys: Number(values.keys),
    perCommit: Number(values['per-commit']),
    cycles: Number(values.cycles),
    openers: Number(values.openers),
    opens: Number(values.opens),
  };
  const [rounds, folders] = [Number(values.rounds), Number(values.folders)];
  const started = Date.now();
  let failed = 0;
  let written = 0;
  for (let done = 0; done < rounds; done += folders) {
    const batch = await Promise.all(Array.from({ length: Math.min(folders, rounds - done) }, () => round(settings)));
    batch.forEach((result, k) => {
      written += result.written;
      if (result.problems.length === 0) return;
      failed += 1;
      console.log(`round ${done + k + 1}: ${result.problems.join('; ')}`);
    });
  }
  console.log(
    `${failed} of ${rounds} rounds failed (${settings.processes} processes x ${settings.keys} keys in commits of ${settings.perCommit}, ` +
      `${settings.cycles} open/close cycle(s) each, ${settings.openers} opener(s) x ${settings.opens} opens, ${folders} folder(s) at once; ${written} keys put; ` +
      `${settings.modulePath}; ${Math.round((Date.now() - started) / 1000)} s)`,
  );
  process.exitCode = failed > 0 ? 1 : 0;
}

if (process.argv[2] === 'child') await child(process.argv.slice(3));
else if (process.argv[2] === 'opener') await opener(process.argv.slice(3));
else await main();
