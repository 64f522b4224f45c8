/**
 * Preloaded into the CLI by tests (`NODE_OPTIONS=--import <this file>`): the process limit that process/thread-room.ts
 * reads as cli.ts's first step, without Docker or root. SB_TEST_PIDS ("max current") is what each cgroup folder's
 * pids.max and pids.current hold; SB_TEST_THREAD_NAMES (comma-separated), when set, the names of this process's
 * threads (/proc/self/task/N/comm, a line each as the kernel writes it): Node 24's `MainThread` with no `libuv-worker`
 * is a pool not started yet, Node 20's `node` cannot be told; `unreadable`, a /proc/self/task that cannot be read (ENOENT,
 * as where /proc is not mounted). Every other read goes to the disk as it is.
 * Plain JavaScript: the child process runs it as it is.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const pids = process.env.SB_TEST_PIDS?.split(' ');
const names = process.env.SB_TEST_THREAD_NAMES?.split(',');
const { readFileSync, readdirSync } = fs;

fs.readFileSync = function (file, ...rest) {
  const faked = typeof file === 'string' ? fakedFile(file) : undefined;
  if (faked === undefined) return readFileSync.call(this, file, ...rest);
  return rest[0] === undefined ? Buffer.from(faked) : faked;
};
fs.readdirSync = function (dir, ...rest) {
  if (names !== undefined && dir === '/proc/self/task') {
    if (names[0] === 'unreadable') throw Object.assign(new Error(`ENOENT: no such file or directory, scandir '${dir}'`), { code: 'ENOENT' });
    return names.map((_, i) => String(i + 1));
  }
  return readdirSync.call(this, dir, ...rest);
};
// cli.ts (bundled into dist/bin/cli.js) imports them by name: its bindings are given these too.
syncBuiltinESMExports();

function fakedFile(file) {
  const limit = /^\/sys\/fs\/cgroup(?:\/.*)?\/pids\.(max|current)$/.exec(file);
  if (pids !== undefined && limit !== null) return `${limit[1] === 'max' ? pids[0] : pids[1]}\n`;
  const task = /^\/proc\/self\/task\/(\d+)\/comm$/.exec(file);
  if (names !== undefined && task !== null) return `${names[Number(task[1]) - 1]}\n`;
  return undefined;
}
