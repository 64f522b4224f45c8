import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { withPath } from '../machine-fault.js';
import { createFresh, createSharedExclusiveSync, writeAllSync } from './no-follow.js';
import { keepModeOf, keepModeOnFdSync, keepModeOnHandle } from './kept-mode.js';

/**
 * Replaces `file` with `content` so that a reader (or a crash at any instant)
 * sees either the old or the new content, never a mix: write a temp file in
 * the same folder, fsync it, rename over the target, fsync the folder.
 * The temp file is created exclusively (never through a planted symlink) and
 * removed on any failure (a full disk must not leave `.tmp-PID` files behind);
 * the rename replaces a symlink at `file` itself, never its target.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const temp = atomicTempPath(file);
  try {
    const handle = await createFresh(temp);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
      await keepModeOnHandle(file, handle);
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw withPath(error, file);
  }
  await syncDirectory(path.dirname(file));
}

/**
 * writeFileAtomic for a process about to exit: the same temp file, fsync and rename, synchronously. Created with
 * writeFileAtomic's mode too: it made the second signal's --summary-json owner-only (0600) where every other run's
 * is 0644, so a monitor reading it as another user found it unreadable that one time.
 */
export function writeFileAtomicSync(file: string, content: string): void {
  const temp = atomicTempPath(file);
  try {
    // This process's own writeFileAtomic of the same file, cut short by the exit this write comes before (a second
    // signal while the run's summary was being written), left its temp file: the exclusive create then failed (EEXIST)
    // and the summary was removed instead of written. The name is this pid's: no other process writes it.
    rmSync(temp, { force: true });
    const fd = createSharedExclusiveSync(temp);
    try {
      writeAllSync(fd, content);
      fsyncSync(fd);
      keepModeOnFdSync(file, fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw withPath(error, file);
  }
}

/** The temp file writeFileAtomic fills before the rename. */
function atomicTempPath(file: string): string {
  return `${file}.tmp-${process.pid}`;
}

/**
 * Removes the temp files of writeFileAtomic(file) for each of `files` (all in
 * one folder, listed once) that other processes left: a kill -9 between
 * creating one and renaming it (`.tmp-PID`, named by a pid no later run has).
 * The answer journal's rewrites (journal/answer-journal.ts) name theirs alike.
 * Only for files under this process's output lock: no live process writes them
 * but this one.
 */
export async function removeLeftoverTemps(folder: string, files: readonly string[]): Promise<void> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return; // nothing to tidy where nothing can be listed; the run meets the folder's fault itself
  }
  const leftBy = (file: string) => {
    const prefix = `${path.basename(file)}.tmp-`;
    const own = path.basename(atomicTempPath(file));
    return names.filter((name) => name !== own && name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)));
  };
  const left = files.flatMap(leftBy);
  await Promise.all(left.map((name) => rm(path.join(folder, name), { force: true }).catch(() => undefined)));
}

/** Removes what a writeFileAtomic of `file` cut short (a process exiting on a signal mid-write) left behind. */
export async function removeUnfinishedWrite(file: string): Promise<void> {
  await rm(atomicTempPath(file), { force: true });
}

/**
 * Why a folder's fsync may fail with the rename still sound: the filesystem or platform does not fsync folders
 * (EINVAL on some, ENOTSUP/EOPNOTSUPP on network and FUSE filesystems, EISDIR/EPERM/EBADF where a folder cannot be
 * opened or synced as a file, as on Windows). Anything else (EIO above all) is the disk failing: a rename whose
 * folder did not reach the disk may be undone by a power cut, and was counted saved when every error was swallowed.
 */
const UNSUPPORTED = new Set(['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EISDIR', 'EPERM', 'EBADF', 'ENOSYS']);

/**
 * Makes a rename durable: fsyncs the folder that holds it. A folder this user may write but not read (a drop folder,
 * 0300) cannot be opened for it; there the rename is atomic still, as where folders are not synced (UNSUPPORTED).
 * A real failure (EIO, a full disk at write-back) is thrown naming the folder, a machine fault (exit 74).
 */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch (error) {
    throwUnlessUnopenable(error, dir);
    return;
  }
  try {
    await handle.sync();
  } catch (error) {
    throwUnlessUnsupported(error, dir);
  } finally {
    await handle.close();
  }
}

/**
 * syncDirectory for a writer that is synchronous throughout (the answer journal's rewrite, journal/answer-journal.ts,
 * whose rename a power cut could otherwise undo, bringing back the old file without the lines appended to the new one).
 */
export function syncDirectorySync(dir: string): void {
  let fd;
  try {
    fd = openSync(dir, 'r');
  } catch (error) {
    throwUnlessUnopenable(error, dir);
    return;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    throwUnlessUnsupported(error, dir);
  } finally {
    closeSync(fd);
  }
}

/** A folder that cannot be opened for its fsync: let by when this user may not read it or the platform does not sync folders. */
function throwUnlessUnopenable(error: unknown, dir: string): void {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code === 'EACCES' || UNSUPPORTED.has(code)) return;
  throw withPath(error, dir);
}

function throwUnlessUnsupported(error: unknown, dir: string): void {
  if (!UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw withPath(error, dir);
}

/**
 * Puts the complete copy at `replacement` in place of `target` (a partial output renamed over the output): the target's
 * permissions and owner kept (kept-mode.ts), the rename made durable (syncDirectory).
 */
export async function renameOver(replacement: string, target: string): Promise<void> {
  await keepModeOf(target, replacement);
  await rename(replacement, target);
  await syncDirectory(path.dirname(target));
}
