import path from 'node:path';
import { existingKind } from './same-file.js';

/**
 * Why a path given for a file to write (-o, --report, --summary-json, report -o)
 * names a folder, or undefined when it does not: an existing folder, or a path
 * ending in a slash (`-o out/`), or in `.` or `..` (`-o out/.`), which names a
 * folder whether or not it exists yet. The slash (or dot) would otherwise be
 * dropped on the way (path.resolve) and the run would write a file named `out`,
 * or fail only once every row was scored.
 */
export function namedFolder(given: string): string | undefined {
  const ending = folderEnding(given);
  if (ending !== undefined) return `ends in '${ending}', so it names a folder`;
  if (existingKind(given) === 'folder') return 'is a folder';
  return undefined;
}

/** A path from a job file, resolved against the job file's folder, keeping a trailing slash (see namedFolder). */
export function resolveKeepingSlash(base: string, given: string): string {
  const resolved = path.resolve(base, given);
  return folderEnding(given) !== undefined ? `${resolved}${path.sep}` : resolved;
}

/** The end of `given` that makes it a folder's name by its form alone: a slash, or a last part `.` or `..` after one. */
function folderEnding(given: string): string | undefined {
  if (given.endsWith('/') || given.endsWith(path.sep)) return given.at(-1);
  const last = path.basename(given);
  return (last === '.' || last === '..') && given !== last ? `${given.at(-1 - last.length)}${last}` : undefined;
}
