/**
 * The input's path no longer naming the file the run reads (`mv new.csv in.csv`, `rm in.csv`, an export tool that
 * writes a new file and renames it over the old): the reader holds the old file open and would read it to its end,
 * every row sent and paid for, only for the end's check (input-unchanged.ts) to refuse the output. Asked, in a paid run, at each
 * periodic checkpoint, once the rows written are recorded, it stops the run there instead: 6,000 requests were
 * paid for a 6,000-row export replaced 8 s into its 49 s run (serve, 2026-12-05). A file only appended to is the
 * same file: the reader reads on, and the end's check decides, as before.
 */
import { stat } from 'node:fs/promises';
import { STDIN_PATH } from '../io/format.js';
import { refuseChangedInput, type WatchedInput } from './input-unchanged.js';

/** Which file a path names: device and inode, as bigints (overlayfs gives inode numbers past 2^53). */
export interface FileId {
  dev: bigint;
  ino: bigint;
}

/** The file `inputPath` names now, or undefined for standard input or a path that cannot be looked at. */
export async function fileIdOf(inputPath: string): Promise<FileId | undefined> {
  if (inputPath === STDIN_PATH) return undefined;
  const info = await stat(inputPath, { bigint: true }).catch(() => undefined);
  return info === undefined ? undefined : { dev: info.dev, ino: info.ino };
}

/**
 * Throws refuseChangedInput's error when the input's path names another file than at the start, or none: the same
 * words as at the end of the run (a file gzipped in place is named so). A file put there with the same bytes, size
 * and modification time (`cp -p`) is the same input, and the run goes on.
 */
export async function refuseReplacedInput(input: WatchedInput, atStart: FileId | undefined): Promise<void> {
  if (atStart === undefined) return;
  const now = await fileIdOf(input.path);
  if (now !== undefined && now.dev === atStart.dev && now.ino === atStart.ino) return;
  await refuseChangedInput(input);
}
