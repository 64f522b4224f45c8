/**
 * A preload that lists the modules a process loads, for `npm run bench -- startup`
 * and the test that keeps heavy packages off the paths that do not use them:
 *
 *   MODULE_LOG=/tmp/modules.txt node --import ./dist/bench/module-log.js dist/bin/cli.js --help
 *
 * writes one file URL per line: every ESM import and CommonJS entry reached
 * from one (a resolve hook, on Node's hooks thread), then, at exit, every file
 * in the CommonJS cache (the require() calls inside CommonJS packages, which
 * Node 20's hooks do not see), and a `node:NAME` line for each public built-in
 * module loaded after this preload (process.moduleLoadList: ESM and CommonJS
 * alike; those this preload loads itself, node:fs, node:module, node:url,
 * node:worker_threads and what they need, cannot be told apart and are left
 * out). Lines may repeat. The hook slows loading, so time without it.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

let logFile: string | undefined;

/** Hooks thread: told where to write. */
export function initialize(data: { file: string }): void {
  logFile = data.file;
}

interface Resolved {
  url: string;
}

/** Hooks thread: every resolution, written as it happens (the process may end with process.exit). */
export async function resolve(specifier: string, context: unknown, next: (specifier: string, context: unknown) => Promise<Resolved>): Promise<Resolved> {
  const resolved = await next(specifier, context);
  if (logFile && resolved.url.startsWith('file:')) appendFileSync(logFile, `${resolved.url}\n`);
  return resolved;
}

/** The process's main thread (not the hooks thread, nor a worker the program starts). */
function installOnMainThread(file: string): void {
  writeFileSync(file, '');
  register(import.meta.url, { data: { file } });
  const commonJsCache = createRequire(import.meta.url).cache;
  const builtinsBefore = new Set(moduleLoadList());
  process.on('exit', () => {
    const files = Object.keys(commonJsCache).map((name) => pathToFileURL(name).href);
    const builtins = moduleLoadList().filter((entry) => !builtinsBefore.has(entry)).flatMap(publicBuiltin);
    appendFileSync(file, [...files, ...builtins].map((line) => `${line}\n`).join(''));
  });
}

/** Node's list of the built-in modules and bindings loaded so far (not in @types/node). */
function moduleLoadList(): readonly string[] {
  return (process as unknown as { moduleLoadList: readonly string[] }).moduleLoadList;
}

/** `node:zlib` for moduleLoadList's "NativeModule zlib"; nothing for Node's internal modules and bindings. */
function publicBuiltin(entry: string): string[] {
  const match = /^NativeModule ((?!internal\/)\S+)$/.exec(entry);
  return match ? [`node:${match[1] as string}`] : [];
}

const requested = process.env['MODULE_LOG'];
// Loaded as the hooks module the data arrives through initialize(); as a preload, on the main thread only.
if (isMainThread && requested && logFile === undefined) installOnMainThread(requested);

/** Parses a log into the set of its lines: loaded file URLs and `node:` built-ins. */
export function loadedModules(log: string): Set<string> {
  return new Set(log.split('\n').filter((line) => line !== ''));
}

/** The built-in modules among the lines of a log (`node:zlib`), as loaded after the preload. */
export function builtinsOf(modules: Iterable<string>): Set<string> {
  return new Set([...modules].filter((line) => line.startsWith('node:')));
}

/**
 * The program's own source modules among loaded file URLs, as paths under src/ (`config/options.js`): a chunk of the
 * bundle (dist/bin, scripts/bundle-cli.ts) stands for the modules its source map lists; dist/src's files for themselves.
 */
export function sourceModulesOf(modules: Iterable<string>): Set<string> {
  const sources = new Set<string>();
  for (const url of modules) {
    if (!url.startsWith('file:') || url.includes('/node_modules/')) continue;
    const file = fileURLToPath(url);
    const unbundled = /[\\/]dist[\\/]src[\\/](.+)$/.exec(file);
    if (unbundled) sources.add((unbundled[1] as string).replaceAll('\\', '/'));
    else if (/[\\/]dist[\\/]bin[\\/][^\\/]+\.js$/.test(file) && existsSync(`${file}.map`)) {
      const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
      for (const source of map.sources) sources.add(source.replace(/^(?:\.\.\/)*src\//, ''));
    }
  }
  return sources;
}

/** The npm packages among loaded file URLs (`@scope/name` or `name`), with how many of their files loaded. */
export function packagesOf(modules: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const url of modules) {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (match) counts.set(match[1] as string, (counts.get(match[1] as string) ?? 0) + 1);
  }
  return counts;
}
