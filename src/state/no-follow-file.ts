import { closeSync, constants, openSync, readFileSync, writeSync } from 'node:fs';

/**
 * Small synchronous file helpers for the job's side files (answer journal,
 * failed-rows list): never through a symlink someone planted at the path.
 */

/** Append-only, created 0600 if missing, refusing a symlink at the path. */
export const APPEND_NO_FOLLOW = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW;

/** The file's text, or undefined when it is missing or not a regular file we may read (e.g. a symlink). */
export function readTextNoFollow(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    return readFileSync(fd, 'utf8');
  } catch {
    return undefined; // a directory, a device...
  } finally {
    closeSync(fd);
  }
}

/** Writes all of `text` at the descriptor's position (appends for O_APPEND). */
export function writeAllSync(fd: number, text: string): void {
  const buffer = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < buffer.length; ) offset += writeSync(fd, buffer, offset, buffer.length - offset);
}
