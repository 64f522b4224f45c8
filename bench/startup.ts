/**
 * Wall time of short CLI invocations, start to exit, as a scheduler or a
 * test pays it: --help, --version, a usage error, an embedded `score` of one
 * row and of the 30-row fixture, `estimate`, `report` (HTML), a one-row Workers AI
 * `score` against the project's server (in this process, the test scorer),
 * and `serve` from its start to its first answer (then stopped with SIGTERM;
 * its CPU time includes the stop).
 * Each is run STARTUP_RUNS times (default 9) and the medians printed: wall
 * time from spawn to exit, and CPU time at exit (bench/cpu-at-exit.ts: far
 * steadier than wall time on a loaded machine), with the modules it loaded (one more run under bench/module-log.ts: all of them, the
 * project's own, and the heavy packages among them).
 *
 * With STARTUP_BASELINE pointing at another built checkout (its dist/, e.g.
 * the commit before a change), both run side by side, alternating, and the
 * ratio is printed: on a shared machine only a side-by-side ratio means much.
 * The load average is printed with the figures.
 *
 *   npm run bench -- startup
 *   STARTUP_BASELINE=/tmp/sb-base npm run bench -- startup
 *
 * A baseline of commit C, built beside this checkout (sharing its node_modules):
 *   mkdir /tmp/sb-base && git archive C | tar -x -C /tmp/sb-base
 *   ln -s "$PWD/node_modules" /tmp/sb-base/ && (cd /tmp/sb-base && npx tsc -p tsconfig.json)
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer } from '../src/server/index.js';
// No Cloudflare or Redis settings from the shell: the embedded model unless a run asks for Workers AI.
import { cleanEnv } from '../test/support/cli.js';
import { TestScorer } from '../test/support/test-scorer.js';
import { loadedModules, packagesOf } from './module-log.js';
import { CLI, REPO_ROOT, builtCli, describeLoad, median } from './support.js';

/** The packages this bench watches: each is only needed on some paths. */
const HEAVY = ['undici', '@huggingface/tokenizers', 'onnxruntime-node', 'lmdb', 'ioredis', 'pino', 'csv-parse', 'csv-stringify', 'bottleneck', 'proper-lockfile', 'vega', 'vega-lite'];
const MODULE_LOG_PRELOAD = path.join(REPO_ROOT, 'dist', 'bench', 'module-log.js');
const CPU_PRELOAD = path.join(REPO_ROOT, 'dist', 'bench', 'cpu-at-exit.js');

interface Build {
  name: string;
  cli: string;
}

interface Invocation {
  name: string;
  /** Arguments after the CLI; `out` is a fresh folder for this one run. */
  args(out: string): string[];
  env?: Record<string, string>;
  expectCode: number;
  /** A server: timed from spawn to its first answer to a scoring request (the URL read from its standard output), then stopped. */
  server?: boolean;
}

interface Measured {
  ms: number[];
  cpuMs: number[];
  modules: number;
  projectModules: number;
  heavy: string[];
}

/**
 * Runs the CLI once; resolves with the wall time in ms (spawn to exit; a server: spawn to its first answer). Throws on
 * an unexpected exit code.
 */
function timeOnce(build: Build, invocation: Invocation, out: string, nodeArgs: string[] = [], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let answeredMs: number | undefined;
    // Standard output is a pipe, drained, not /dev/null: estimate refuses to print its figures where they are thrown away (exit 2).
    const child = spawn(process.execPath, [...nodeArgs, build.cli, ...invocation.args(out)], { cwd: REPO_ROOT, env: cleanEnv({ ...invocation.env, ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let asked = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (!invocation.server || asked) return;
      stdout += chunk.toString();
      // The whole line: a chunk may end within the URL.
      const url = /listening on (http:\/\/\S+)\r?\n/.exec(stdout)?.[1];
      asked = url !== undefined;
      if (url)
        void firstAnswer(url).then(
          () => {
            answeredMs = performance.now() - started;
            child.kill('SIGTERM');
          },
          (error: unknown) => {
            child.kill('SIGKILL');
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = answeredMs ?? performance.now() - started;
      if (code === invocation.expectCode && (!invocation.server || answeredMs !== undefined)) resolve(ms);
      else reject(new Error(`${build.name} ${invocation.name}: exit ${String(code)}, expected ${invocation.expectCode}: ${stderr.slice(0, 400)}`));
    });
  });
}

/** One scoring request to a `serve` at `url`; throws unless it is answered 200. */
async function firstAnswer(url: string): Promise<void> {
  const response = await fetch(`${url}/client/v4/accounts/bench/ai/run/@cf/huggingface/distilbert-sst-2-int8`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
    body: JSON.stringify({ text: 'great product, would buy again' }),
  });
  await response.text();
  if (response.status !== 200) throw new Error(`serve answered ${response.status}`);
}

/** Wall and CPU time of one run. */
async function timeRun(build: Build, invocation: Invocation, out: string): Promise<{ ms: number; cpuMs: number }> {
  const log = path.join(out, 'cpu.txt');
  const ms = await timeOnce(build, invocation, out, ['--import', pathToFileURL(CPU_PRELOAD).href], { CPU_LOG: log });
  return { ms, cpuMs: Number(readFileSync(log, 'utf8').trim()) };
}

async function countModules(build: Build, invocation: Invocation, out: string): Promise<Omit<Measured, 'ms' | 'cpuMs'>> {
  const log = path.join(out, 'modules.txt');
  await timeOnce(build, invocation, out, ['--import', pathToFileURL(MODULE_LOG_PRELOAD).href], { MODULE_LOG: log });
  const modules = loadedModules(readFileSync(log, 'utf8'));
  const buildRoot = pathToFileURL(path.dirname(path.dirname(build.cli))).href;
  const packages = packagesOf(modules);
  return {
    modules: [...modules].filter((url) => url.startsWith('file:')).length,
    projectModules: [...modules].filter((url) => url.startsWith(buildRoot)).length,
    heavy: HEAVY.filter((name) => packages.has(name)),
  };
}

function invocations(work: string, baseURL: string): Invocation[] {
  const fixture = path.join(REPO_ROOT, 'fixtures', 'reviews.csv');
  const scored = path.join(work, 'reviews.scored.csv');
  const oneRow = path.join(work, 'one.csv');
  writeFileSync(oneRow, 'id,review\n1,"great product, would buy again"\n');
  return [
    { name: '--help', args: () => ['--help'], expectCode: 0 },
    { name: '--version', args: () => ['--version'], expectCode: 0 },
    { name: 'usage error (score, no file)', args: () => ['score'], expectCode: 2 },
    { name: 'score, embedded, 1 row', args: (out) => ['score', oneRow, '--text-column', 'review', '-o', path.join(out, 'out.csv'), '--progress', 'off'], expectCode: 0 },
    { name: 'score, embedded, 30 rows', args: (out) => ['score', fixture, '--text-column', 'review', '-o', path.join(out, 'out.csv'), '--progress', 'off'], expectCode: 0 },
    { name: 'estimate, 30 rows', args: () => ['estimate', fixture, '--text-column', 'review'], expectCode: 0 },
    { name: 'report (HTML), 30 rows', args: (out) => ['report', scored, '-o', path.join(out, 'report.html')], expectCode: 0 },
    {
      name: 'score, Workers AI, 1 row',
      args: (out) => ['score', oneRow, '--text-column', 'review', '-o', path.join(out, 'out.csv'), '--progress', 'off'],
      env: { CLOUDFLARE_ACCOUNT_ID: 'bench-account', CLOUDFLARE_API_TOKEN: 'bench-token', CLOUDFLARE_BASE_URL: baseURL },
      expectCode: 0,
    },
    // Stopped by SIGTERM once it answered: exit 0 (docs/server.md).
    { name: 'serve, start to first answer', args: () => ['serve', '--port', '0'], expectCode: 0, server: true },
  ];
}

export async function run(): Promise<Record<string, unknown>> {
  const runs = Number(process.env['STARTUP_RUNS'] ?? 9);
  const builds: Build[] = [{ name: 'this build', cli: CLI }];
  const baseline = process.env['STARTUP_BASELINE'];
  if (baseline) builds.push({ name: `baseline ${path.resolve(baseline)}`, cli: builtCli(path.resolve(baseline)) });
  const work = mkdtempSync(path.join(tmpdir(), 'bench-startup-'));
  const server = await startServer({ scorer: new TestScorer(), token: 'bench-token' });
  try {
    // The report's input: the fixture scored once (the same file for every build).
    copyFileSync(path.join(REPO_ROOT, 'fixtures', 'reviews.csv'), path.join(work, 'reviews.csv'));
    const list = invocations(work, server.baseURL);
    const prepare: Invocation = { name: 'prepare', args: () => ['score', path.join(work, 'reviews.csv'), '--text-column', 'review', '--progress', 'off'], expectCode: 0 };
    await timeOnce(builds[0] as Build, prepare, work);

    const loadAverageBefore = describeLoad();
    let fresh = 0;
    const freshDir = () => mkdtempSync(path.join(work, `run-${fresh++}-`));
    const measured = new Map<string, Measured>();
    for (const invocation of list) {
      for (const build of builds) measured.set(`${build.name}|${invocation.name}`, { ms: [], cpuMs: [], ...(await countModules(build, invocation, freshDir())) });
      for (let round = 0; round < runs; round++) {
        // Alternate which goes first, so that neither always runs right after the other.
        const order = round % 2 === 0 ? builds : [...builds].reverse();
        for (const build of order) {
          const m = measured.get(`${build.name}|${invocation.name}`) as Measured;
          const { ms, cpuMs } = await timeRun(build, invocation, freshDir());
          m.ms.push(ms);
          m.cpuMs.push(cpuMs);
        }
      }
    }
    const loadAverageAfter = describeLoad();

    console.log(`load average (1/5/15 min) before ${loadAverageBefore}, after ${loadAverageAfter}; median of ${runs} runs each: wall ms from spawn to exit, CPU ms at exit`);
    const figures: Record<string, unknown> = { runs, loadAverageBefore, loadAverageAfter };
    for (const invocation of list) {
      const rows = builds.map((build) => {
        const m = measured.get(`${build.name}|${invocation.name}`) as Measured;
        return {
          build: build.name,
          medianMs: Number(median(m.ms).toFixed(1)),
          medianCpuMs: Number(median(m.cpuMs).toFixed(1)),
          ms: m.ms.map((ms) => Math.round(ms)),
          cpuMs: m.cpuMs.map((ms) => Math.round(ms)),
          modules: m.modules,
          projectModules: m.projectModules,
          heavy: m.heavy,
        };
      });
      const entry: Record<string, unknown> = { builds: rows };
      console.log(`  ${invocation.name}`);
      for (const r of rows) console.log(`    ${r.build}: wall ${r.medianMs} ms, CPU ${r.medianCpuMs} ms; modules ${r.modules} (project ${r.projectModules}); heavy: ${r.heavy.join(', ') || 'none'}`);
      if (rows.length === 2) {
        entry.wallRatio = Number((rows[0]!.medianMs / rows[1]!.medianMs).toFixed(3));
        entry.cpuRatio = Number((rows[0]!.medianCpuMs / rows[1]!.medianCpuMs).toFixed(3));
        console.log(`    this build / baseline: wall ${entry.wallRatio as number}, CPU ${entry.cpuRatio as number}`);
      }
      figures[invocation.name] = entry;
    }
    return figures;
  } finally {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
