/**
 * A preload that lists the modules a process loads, for `npm run bench -- startup`
 * and the test that keeps heavy packages off the paths that do not use them:
 *
 *   MODULE_LOG=/tmp/modules.txt node --import ./dist/bench/module-log.js dist/bin/cli.js --help
 *
 * writes one file URL per line: every ESM import and CommonJS entry reached
 * from one (a resolve hook, on Node's hooks thread), then, at exit, every file
 * in the CommonJS cache (the require() calls inside CommonJS packages, which
 * Node 20's hooks do not see). Lines may repeat; built-in modules are left out.
 * The hook slows loading, so time without it.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
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
  process.on('exit', () => {
    const files = Object.keys(commonJsCache).map((name) => pathToFileURL(name).href);
    appendFileSync(file, files.map((url) => `${url}\n`).join(''));
  });
}

const requested = process.env['MODULE_LOG'];
// Loaded as the hooks module the data arrives through initialize(); as a preload, on the main thread only.
if (isMainThread && requested && logFile === undefined) installOnMainThread(requested);

/** Parses a log into the set of loaded file URLs. */
export function loadedModules(log: string): Set<string> {
  return new Set(log.split('\n').filter((line) => line !== ''));
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
