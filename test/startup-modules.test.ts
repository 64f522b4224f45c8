import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinsOf, packagesOf, loadedModules, sourceModulesOf } from '../bench/module-log.js';
import { REPO_ROOT, runCli, spawnCli, waitFor, type CliResult } from './support/cli.js';
import { scoreInProcess } from './support/score-in-process.js';

/**
 * Which packages a CLI invocation loads, read from the built bench/module-log.js
 * preload (npm test builds bench/ with src/): a path that does not use a heavy
 * package must not pay for loading it at every start. Deterministic, unlike a
 * time (bench/startup.ts has the times).
 */
const PRELOAD = pathToFileURL(path.join(REPO_ROOT, 'dist', 'bench', 'module-log.js')).href;
const dir = mkdtempSync(path.join(tmpdir(), 'startup-modules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NETWORK_AND_NATIVE = ['undici', '@huggingface/tokenizers', 'onnxruntime-node', 'lmdb', 'ioredis'];
let runs = 0;

interface Loaded {
  /** npm packages. */
  packages: Set<string>;
  /** Built-in modules (`node:zlib`), those the preload loads itself left out (bench/module-log.ts). */
  builtins: Set<string>;
  /** The program's own modules, as paths under src/ (`config/options.js`), read through the bundle's source maps. */
  sources: Set<string>;
}

function logged(name: string): { env: Record<string, string>; packages(): Set<string>; loaded(): Loaded } {
  const file = path.join(dir, `${name}-${runs++}.txt`);
  const lines = () => loadedModules(readFileSync(file, 'utf8'));
  return {
    env: { NODE_OPTIONS: `--import=${PRELOAD}`, MODULE_LOG: file },
    packages: () => new Set(packagesOf(lines()).keys()),
    loaded: () => ({ packages: new Set(packagesOf(lines()).keys()), builtins: builtinsOf(lines()), sources: sourceModulesOf(lines()) }),
  };
}

async function loadedBy(args: string[], expectCode: number, env: Record<string, string> = {}): Promise<Loaded> {
  const log = logged(args[0] ?? 'none');
  const result: CliResult = await runCli(args, { env: { ...env, ...log.env } });
  expect(result.stderr).not.toMatch(/internal error/);
  expect(result.code).toBe(expectCode);
  return log.loaded();
}

async function packagesLoadedBy(args: string[], expectCode: number, env: Record<string, string> = {}): Promise<Set<string>> {
  return (await loadedBy(args, expectCode, env)).packages;
}

/**
 * What --help and --version must not load: each needs only the command line and the modules that word its errors.
 * Built-ins: crypto (a probe's random name), zlib (gzip input), v8 (the WebAssembly budget of HTTP commands), and the
 * network. The program's own: the option table, the raw-argument reading of score/run, the score command's help
 * text, the WebAssembly budget, the commands and the job.
 */
const NOT_FOR_HELP = {
  builtins: ['node:crypto', 'node:zlib', 'node:v8', 'node:http', 'node:https', 'node:net', 'node:tls', 'node:child_process'],
  sources: ['config/options.js', 'config/asked-log-format.js', 'commands/help.js', 'process/wasm-tiering.js', 'commands/score.js', 'job/run.js', 'log.js'],
};

describe('packages loaded at start', () => {
  it('--help and a usage error load none of the heavy packages', async () => {
    const [help, usage] = await Promise.all([packagesLoadedBy(['--help'], 0), packagesLoadedBy(['score'], 2)]);
    const heavy = [...NETWORK_AND_NATIVE, 'pino', 'csv-parse', 'bottleneck', 'proper-lockfile', 'vega'];
    expect(heavy.filter((name) => help.has(name))).toEqual([]);
    expect(heavy.filter((name) => usage.has(name))).toEqual([]);
  });

  it('--help and --version load no package, and only the command line of the program', async () => {
    for (const args of [['--help'], ['--version']]) {
      const loaded = await loadedBy(args, 0);
      expect({ args, packages: [...loaded.packages] }).toEqual({ args, packages: [] });
      expect({ args, builtins: NOT_FOR_HELP.builtins.filter((name) => loaded.builtins.has(name)) }).toEqual({ args, builtins: [] });
      expect({ args, sources: NOT_FOR_HELP.sources.filter((name) => loaded.sources.has(name)) }).toEqual({ args, sources: [] });
      // The log sees the program's modules through the bundle: else the line above could not fail.
      expect(loaded.sources.has('command-line.js')).toBe(true);
    }
  });

  it('the log sees built-ins and the modules inside the bundle: a score loads what --help must not', async () => {
    // Proves the checks above can fail: the same log of a usage error of score has the option table, the v8 budget, zlib and crypto.
    const loaded = await loadedBy(['score'], 2);
    expect(NOT_FOR_HELP.builtins.filter((name) => loaded.builtins.has(name))).toEqual(['node:crypto', 'node:zlib', 'node:v8']);
    expect(['config/options.js', 'config/asked-log-format.js', 'commands/help.js', 'process/wasm-tiering.js', 'commands/score.js'].filter((name) => !loaded.sources.has(name))).toEqual([]);
  });

  it('an embedded score loads its logger, parser and lock, but no HTTP client, tokenizer, rate limiter or cache', async () => {
    const packages = await packagesLoadedBy(['score', 'fixtures/reviews.csv', '--text-column', 'review', '-o', path.join(dir, 'out.csv')], 0);
    // What it uses, CommonJS and ESM alike: proves the log sees both kinds.
    expect(['pino', 'csv-parse', 'proper-lockfile'].filter((name) => packages.has(name))).toEqual(['pino', 'csv-parse', 'proper-lockfile']);
    expect([...NETWORK_AND_NATIVE, 'bottleneck'].filter((name) => packages.has(name))).toEqual([]);
  });

  it('estimate without --cache loads the tokenizer it counts with, not LMDB, the job or its logger', async () => {
    const packages = await packagesLoadedBy(['estimate', 'fixtures/reviews.csv', '--text-column', 'review'], 0);
    expect(packages.has('@huggingface/tokenizers')).toBe(true);
    expect(['undici', 'onnxruntime-node', 'lmdb', 'ioredis', 'pino', 'bottleneck', 'proper-lockfile'].filter((name) => packages.has(name))).toEqual([]);
  });

  it("report to HTML loads vega's and vega-lite's one-file builds, not their ~300-module entries", async () => {
    const scored = path.join(dir, 'reviews.scored.csv');
    // The scored file is set-up (this test watches the report's start): made in this process, no CLI start.
    expect((await scoreInProcess([path.join(REPO_ROOT, 'fixtures/reviews.csv'), '--text-column', 'review', '-o', scored])).code).toBe(0);
    const log = logged('report');
    const result = await runCli(['report', scored, '-o', path.join(dir, 'reviews.report.html')], { env: log.env });
    expect(result.code).toBe(0);
    // report/chart-library.ts reads the two files itself: neither package, nor any of vega's d3-* parts, goes through Node's loader.
    expect([...log.packages()].filter((name) => name.startsWith('vega') || name.startsWith('d3-'))).toEqual([]);
    expect(readFileSync(path.join(dir, 'reviews.report.html'), 'utf8').match(/<svg/g)?.length).toBeGreaterThan(0);
  });

  it('report loads its logger (pino) only for a line it says: none for a clean file, one for a warning', async () => {
    const scored = path.join(dir, 'two.scored.csv');
    const rows = 'review,day,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n';
    writeFileSync(scored, `${rows}good,2026-01-02,POSITIVE,0.9,0.1,,\nbad,2026-01-03,NEGATIVE,0.2,0.8,,\n`);
    const clean = await loadedBy(['report', scored, '--text-column', 'review', '--date', 'day', '-o', path.join(dir, 'clean.json')], 0);
    expect(clean.packages.has('pino')).toBe(false);
    writeFileSync(scored, `${rows}good,2026-01-02,POSITIVE,0.9,0.1,,\nbad,soon,NEGATIVE,0.2,0.8,,\n`);
    const log = logged('report');
    const warned = await runCli(['report', scored, '--text-column', 'review', '--date', 'day', '-o', path.join(dir, 'warned.json')], { env: log.env });
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(/"level":40,.*--date day: the date of 1 of 2 scored rows could not be read \(e\.g\. 'soon'\)/);
    expect(log.packages().has('pino')).toBe(true);
  });

  it("estimate names the embedded model from its file's header: the scoring code is not loaded, nor the weights decoded", async () => {
    const loaded = await loadedBy(['estimate', 'fixtures/reviews.csv', '--text-column', 'review'], 0);
    expect(['scoring/embedded.js', 'model/predict.js', 'model/features.js'].filter((name) => loaded.sources.has(name))).toEqual([]);
    // The log sees the modules of the estimate's model chunk: else the line above could not fail.
    expect(loaded.sources.has('scoring/embedded-file.js')).toBe(true);
  });

  it('model list and serve load no HTTP client', async () => {
    const list = await packagesLoadedBy(['model', 'list'], 0, { HF_HUB_CACHE: path.join(dir, 'hub') });
    expect(list.has('undici')).toBe(false);

    const log = logged('serve');
    const serve = spawnCli(['serve', '--port', '0'], { env: log.env });
    let stdout = '';
    serve.stdout?.on('data', (chunk: string) => (stdout += chunk));
    await waitFor(() => stdout.includes('listening on') || serve.exitCode !== null, 30_000, 'serve to listen');
    serve.kill('SIGTERM');
    const result = await serve.result;
    expect(result.code).toBe(0);
    const packages = log.packages();
    expect(packages.has('@huggingface/tokenizers')).toBe(true);
    expect(packages.has('undici')).toBe(false);
  });
});
