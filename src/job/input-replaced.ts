/**
 * The input's path no longer naming the file the run reads (`mv new.csv in.csv`, `rm in.csv`, an export tool that
 * writes a new file and renames it over the old): the reader holds the old file open and would read it to its end,
 * every row sent and paid for, only for the end's check (input-unchanged.ts) to refuse the output. Asked, in a paid run, at each
 * periodic checkpoint, once the rows written are recorded, it stops the run there instead: 6,000 requests were
 * paid for a 6,000-row export replaced 8 s into its 49 s run (serve, 2026-12-05). So is the file it reads written in place
 * (`cp new.csv in.csv` keeps the inode). A file only appended to is the
 * same file: the reader reads on, and the end's check decides, as before.
 */
import { fstatSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { STDIN_PATH } from '../io/format.js';
import { sameStoredEnds } from '../io/open-input.js';
import { refuseChangedInput, type WatchedInput } from './input-unchanged.js';

/** Which file a path names: device and inode, as bigints (overlayfs gives inode numbers past 2^53). */
export interface FileId {
  dev: bigint;
  ino: bigint;
}

/** The file open as `fd`: the one read, whatever its path names by then (a stat of the path after the open could see a newer one). */
export function fileIdOfDescriptor(fd: number): FileId {
  const info = fstatSync(fd, { bigint: true });
  return { dev: info.dev, ino: info.ino };
}

const idKey = (id: FileId): string => `${id.dev}:${id.ino}`;

/**
 * A file at the path as it was when compared: its identity and what any write to it changes (size, modification and
 * change times). An accepted copy rewritten in place (`cat new.csv > in.csv`) keeps its inode: remembered by that alone,
 * it was never compared again, and the run paid for every row only for the end's check to refuse the output.
 */
async function versionOf(inputPath: string): Promise<{ id: FileId; size: bigint; key: string } | undefined> {
  if (inputPath === STDIN_PATH) return undefined;
  const info = await stat(inputPath, { bigint: true }).catch(() => undefined);
  if (info === undefined) return undefined;
  const id = { dev: info.dev, ino: info.ino };
  return { id, size: info.size, key: `${idKey(id)}:${info.size}:${info.mtimeNs}:${info.ctimeNs}` };
}

/**
 * The check made at each periodic checkpoint. `reading` tells the file the reader opened (source.ts, from its
 * descriptor). A path naming another file is compared with the input as it was at the start (refuseChangedInput: size,
 * modification time, the first and last 64 KiB), which throws when they differ, in the same words as at the end of the
 * run (a file gzipped in place is named so). A file put there with the same bytes, size and modification time
 * (`cp -p` and a rename) is the same input and the run goes on; that file is remembered as the input, so the next
 * checkpoints do not read and hash it again: they did at every one (8 of the 10 checkpoints of a 2,000-row run replaced
 * 5 s in, measured 2026-12-05 with strace).
 */
export class ReplacedInputCheck {
  readonly #input: WatchedInput;
  readonly #reading: () => FileId | undefined;
  // Files at the path that were compared and found to hold the input's bytes, as they were then (versionOf).
  readonly #accepted = new Set<string>();
  #comparisons = 0;

  constructor(input: WatchedInput, reading: () => FileId | undefined) {
    this.#input = input;
    this.#reading = reading;
  }

  /** How many times a file at the path was compared with the input (for tests and measurement). */
  get comparisons(): number {
    return this.#comparisons;
  }

  /** Whether the file at the path, of `size` bytes, holds the input's bytes as at the start, with maybe more after them. */
  #writtenOnOnly(size: bigint): boolean {
    const { identity } = this.#input;
    if (size < BigInt(identity.size)) return false;
    try {
      return sameStoredEnds(this.#input.path, identity);
    } catch {
      return false; // gone meanwhile: refuseChangedInput says how
    }
  }

  async check(): Promise<void> {
    const reading = this.#reading();
    if (reading === undefined) return; // standard input, or nothing opened yet
    const now = await versionOf(this.#input.path);
    if (now !== undefined && this.#accepted.has(now.key)) return;
    if (now !== undefined && idKey(now.id) === idKey(reading)) {
      // The file the reader holds, written since the start: appended to, or only touched, it is read on (the end's
      // check decides); written in place (`cp new.csv in.csv`, `cat > in.csv`, `truncate -s` keep the inode), its bytes
      // read from here on belong to no one export, so the run stops here as for a file renamed over it.
      if (this.#writtenOnOnly(now.size)) {
        this.#accepted.add(now.key);
        return;
      }
    }
    this.#comparisons += 1;
    await refuseChangedInput(this.#input);
    // Remembered only if the path still names the file just compared, unwritten (not one renamed over it meanwhile).
    const after = await versionOf(this.#input.path);
    if (now !== undefined && after !== undefined && after.key === now.key) this.#accepted.add(now.key);
  }
}
