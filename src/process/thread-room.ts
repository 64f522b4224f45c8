import { readdirSync, readFileSync } from 'node:fs';

/**
 * Fitting libuv's thread pool into a process limit (`docker run --pids-limit`, Kubernetes' `podPidsLimit`: the cgroup's
 * pids.max counts threads). Node starts with 7 threads in a container (main, 4 V8 workers, its signal watcher, ...:
 * pids.current read by `node -e` under `--pids-limit 11`); the pool starts 4 more (UV_THREADPOOL_SIZE) at the first
 * file read, and under a pids.max of 10 one of them cannot be made: libuv ends the process with a segmentation fault,
 * exit 139, no line. cli.ts calls this before anything reads a file asynchronously, so the program can still say why,
 * or start a smaller pool (libuv reads UV_THREADPOOL_SIZE from the environment when the pool starts, not before).
 */

/** libuv's pool when UV_THREADPOOL_SIZE is not set. */
const LIBUV_DEFAULT = 4;

/**
 * Where this process's cgroup keeps its process limit: v2 at its own path (a systemd unit's TasksMax, a container
 * sharing the host's cgroup namespace), at the root of a container's own namespace, then v1 (Docker's cgroupfs driver
 * on a v1 host: /sys/fs/cgroup/pids is the container's cgroup).
 */
function pidsFolders(): string[] {
  let own: string | undefined;
  try {
    own = /^0::(\/.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))?.[1];
  } catch {
    own = undefined;
  }
  const v2 = own !== undefined && own !== '/' ? [`/sys/fs/cgroup${own}`] : [];
  return [...v2, '/sys/fs/cgroup', '/sys/fs/cgroup/pids'];
}

export type ThreadRoom =
  /** No limit to fit (none set, "max", not Linux, unreadable): nothing to do. */
  | { kind: 'unlimited' }
  /** The pool fits as it is. */
  | { kind: 'fits' }
  /** The pool is made smaller to fit: UV_THREADPOOL_SIZE to set. */
  | { kind: 'smaller'; threads: number; max: number }
  /** Not one more thread fits: the pool could not start. */
  | { kind: 'none'; max: number; current: number };

/**
 * What to do about the thread pool under `max` threads with `current` running, `asked` the UV_THREADPOOL_SIZE set (or
 * undefined). libuv takes 1 to 1024 of a value it can read (its own rule: a number under 1 is 1).
 */
export function fitPool(max: number, current: number, asked: string | undefined): ThreadRoom {
  const parsed = asked === undefined ? Number.NaN : Number.parseInt(asked, 10);
  const wanted = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 1), 1024) : LIBUV_DEFAULT;
  const free = max - current;
  if (free >= wanted) return { kind: 'fits' };
  if (free < 1) return { kind: 'none', max, current };
  return { kind: 'smaller', threads: free, max };
}

/**
 * Whether libuv's pool already runs, by this process's thread names: Node 24 names them (`MainThread`, `libuv-worker`),
 * Node 20 names none (each `node`), and undefined says it cannot be told. `names`: null when they cannot be read (as
 * taskNames says it; left out, or undefined, this process's own are read). Node 20 reads an ES module entry (dist/bin/cli.js)
 * through the pool, so there it runs before the first line: 11 threads there against 7 under Node 24 (/proc/self/status,
 * measured 2026-12-07 with Node 20.20.2 and 24.22.3). Its 4 are then in pids.current already, and a pids.max of 11 that
 * left none free was refused (exit 74) though the run needs no more and finished (exit 0) before the check.
 */
export function poolStarted(names: readonly string[] | null = taskNames()): boolean | undefined {
  if (names === null) return undefined;
  if (names.includes('libuv-worker')) return true;
  return names.includes('MainThread') ? false : undefined;
}

/** The names of this process's threads (/proc/self/task/N/comm), null when they cannot be read. */
function taskNames(): string[] | null {
  try {
    return readdirSync('/proc/self/task').map((task) => readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim());
  } catch {
    return null;
  }
}

/**
 * Reads the cgroup's pids.max and pids.current from the first of `folders` that has both (synchronously: see above).
 * With no thread free it refuses only when the pool is known not to run yet (`started`, read then: most runs never
 * need it); a pool that runs, or may, is not refused: if it does not, libuv ends the process as it did without this.
 */
export function threadRoom(asked: string | undefined, folders?: readonly string[], started: () => boolean | undefined = poolStarted): ThreadRoom {
  if (process.platform !== 'linux') return { kind: 'unlimited' };
  for (const folder of folders ?? pidsFolders()) {
    let max: string;
    let current: string;
    try {
      max = readFileSync(`${folder}/pids.max`, 'utf8').trim();
      current = readFileSync(`${folder}/pids.current`, 'utf8').trim();
    } catch {
      continue;
    }
    const limit = Number(max);
    const used = Number(current);
    // "max" (no limit), or a file not as the kernel writes it: nothing to fit.
    if (!Number.isInteger(limit) || !Number.isInteger(used)) return { kind: 'unlimited' };
    const room = fitPool(limit, used, asked);
    return room.kind === 'none' && started() !== false ? { kind: 'fits' } : room;
  }
  return { kind: 'unlimited' };
}

/** The closing line when not one thread more fits (cli.ts writes it, exit 74). */
export function noRoomWords(room: { max: number; current: number }): string {
  return (
    `too few threads allowed: the process limit of this container or cgroup (pids.max ${room.max}) is used up by the ${room.current} ` +
    `running, and Node needs at least 1 more for its file reads (4 by default); raise it (docker run --pids-limit, at least ` +
    `${room.current + 1}, 11 and up for the default pool; Kubernetes podPidsLimit), then run the same command again`
  );
}
