import { constants } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';

/**
 * Opening the job's own files (partial output, checkpoint, lock, journal,
 * summary) without ever following a symlink someone planted at their path:
 * in a shared folder, /tmp or a shared volume, `out.csv.partial -> ~/.bashrc`
 * would otherwise make the job overwrite the link's target. (The journal and
 * failed-rows list use the synchronous no-follow-file.ts.)
 *
 * - An existing file is opened with O_NOFOLLOW: a symlink fails with ELOOP.
 * - A new file is created with O_CREAT|O_EXCL (which never follows a symlink
 *   either): whatever was at the path is unlinked first (a link, not its target).
 * The folder itself is the user's choice and trusted.
 */

const { O_RDONLY, O_RDWR, O_CREAT, O_EXCL, O_NOFOLLOW } = constants;

/** Files the job creates are readable by others, like the output (umask applies). */
const FILE_MODE = 0o644;

export type ExistingMode = 'read' | 'read-write';

/** Opens an existing file without following a symlink; ELOOP when the path is one. */
export async function openExistingNoFollow(file: string, mode: ExistingMode): Promise<FileHandle> {
  return open(file, (mode === 'read' ? O_RDONLY : O_RDWR) | O_NOFOLLOW);
}

/** Creates `file` anew for writing (and reading): unlinks whatever is at the path, then creates it exclusively. */
export async function createFresh(file: string): Promise<FileHandle> {
  await rm(file, { force: true });
  return createExclusive(file);
}

/** Creates `file` for writing; EEXIST when anything (a file, a symlink) is already at the path. */
export async function createExclusive(file: string): Promise<FileHandle> {
  return open(file, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, FILE_MODE);
}

/** Reads a whole file as UTF-8 without following a symlink. */
export async function readFileNoFollow(file: string): Promise<string> {
  const handle = await openExistingNoFollow(file, 'read');
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
