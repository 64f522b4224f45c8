/**
 * How much of its input a run may hold, from the memory it may use: a container's limit (cgroup v2 `memory.max`, v1
 * `memory.limit_in_bytes`, or what Node reads of them) and V8's own heap limit, whichever is smaller.
 *
 * Why: the records a pass holds (pipeline.ts's window) and the read-through before it (input-prescan.ts) live mostly
 * outside V8's heap (read buffers, strings decoded from them, write buffers), and that memory is returned only when
 * V8 collects the objects holding it. V8 sizes its heap from its own flags, not from what the container leaves (Node
 * 24.22.3 under `docker run --memory 128m`: heap_size_limit 259 MiB), so it saw no reason to collect while 5 MiB
 * records piled up, and the OOM killer ended the run (exit 137) before the checkpoint moved: every rerun was killed
 * again (docs/container.md, memory). Under a small limit the window is bounded in characters by a share of that limit,
 * and a full collection runs each time that many characters have passed through, so the garbage left by large records
 * never adds up to the limit. Without a small limit nothing changes: the window stays 32 Mi characters, and nothing
 * collects but V8 itself.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { totalmem } from 'node:os';
import { readIfThere } from '../hub/read-if-there.js';

/**
 * The window's bound with room to spare: the characters of the records read and not yet written. Counted in records
 * only, the window held up to `window` records of up to 128 MiB each (docs/measured.md, memory). A record larger than
 * this is still read, alone. Rows of ordinary length never reach it: 256 records of 128 KiB do not.
 */
export const WINDOW_CHARACTERS = 32 * 1024 * 1024;

/** The window's least bound: under any limit a record of ordinary length still has company. */
const LEAST_WINDOW_CHARACTERS = 1024 * 1024;

/**
 * The share of the memory limit the window may hold: each character held is several copies (the raw bytes, the line,
 * the parsed value, the output line and its bytes) plus the garbage of those written. At 128 MiB this is 4 Mi
 * characters: a 5 MiB record is read alone. Under `docker run --memory 128m` 100 records of 5 MiB then peaked at 87 MiB
 * of anonymous memory (a share of 16: 120 MiB; 32 Mi characters without collections: killed at 128 MiB).
 */
const LIMIT_SHARE = 32;

export interface MemoryRoom {
  /** The characters of records a pass may hold read and not yet written (a record larger is read alone). */
  windowCharacters: number;
  /** Under a small limit: a full garbage collection after this many characters (or bytes read through) pass. */
  collectEvery?: number;
}

/** The room for a memory limit (bytes, undefined for none) and V8's heap limit (bytes). */
export function roomFor(limitBytes: number | undefined, heapLimitBytes: number): MemoryRoom {
  const bound = Math.min(limitBytes ?? Number.POSITIVE_INFINITY, heapLimitBytes);
  const share = Math.floor(bound / LIMIT_SHARE);
  if (share >= WINDOW_CHARACTERS) return { windowCharacters: WINDOW_CHARACTERS };
  const windowCharacters = Math.max(LEAST_WINDOW_CHARACTERS, share);
  return { windowCharacters, collectEvery: windowCharacters };
}

/** The files a limit is read from, as a container sees its own cgroup (v2, then v1). */
const LIMIT_FILES = ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes'];

/**
 * The memory limit this process runs under, in bytes, or undefined for none: the smallest of the cgroup files' values
 * and Node's `process.constrainedMemory()` (which also finds a cgroup that is not the namespace's root, as a host's
 * nested v1 cgroup). "max", 0 and values past the machine's memory (v1's "no limit" is 2^63 rounded down to a page)
 * mean none.
 */
export function memoryLimit(read: (file: string) => string | undefined = readIfThere, constrained: number | undefined = process.constrainedMemory?.(), machine = totalmem()): number | undefined {
  const values = LIMIT_FILES.map((file) => Number(read(file)?.trim() ?? Number.NaN));
  if (constrained !== undefined) values.push(constrained);
  const limits = values.filter((value) => Number.isFinite(value) && value > 0 && value < machine);
  return limits.length === 0 ? undefined : Math.min(...limits);
}

let current: MemoryRoom | undefined;

/** This process's room, read once. */
export function memoryRoom(): MemoryRoom {
  current ??= roomFor(memoryLimit(), getHeapStatistics().heap_size_limit);
  return current;
}

let collectGarbage: (() => void) | undefined;

/** A full garbage collection: `gc` exposed at run time, in a context of its own (the program's globals stay as they are). */
function fullCollection(): void {
  if (collectGarbage === undefined) {
    setFlagsFromString('--expose-gc');
    collectGarbage = runInNewContext('gc') as () => void;
  }
  collectGarbage();
}

/** Counts what passes through, collecting garbage each time `every` has passed (no-op without `every`). */
export class GarbageNudge {
  private since = 0;

  constructor(
    private readonly every: number | undefined,
    private readonly collect: () => void = fullCollection,
  ) {}

  passed(amount: number): void {
    if (this.every === undefined) return;
    this.since += amount;
    if (this.since < this.every) return;
    this.since = 0;
    this.collect();
  }
}
