import type { Stats } from 'node:fs';

/**
 * What is at a path, in words for a message ("a named pipe"), from its lstat or stat. The one wording for
 * every line that names a file of the wrong kind: the job's own files (no-follow.ts), the result cache's
 * (cache-open.ts) and an output path given on the command line (regular-target.ts).
 */
export function kindOf(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  // Every kind Node can tell is above; a filesystem of its own may still answer none of them.
  return 'a file of an unknown kind';
}
