import { lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { SettingWords } from '../config/setting-names.js';
import { kindOf } from '../wording/file-kind.js';
import { statOrUndefined } from './same-file.js';
import { mountedFileAt } from './mounted-target.js';

/**
 * An output path (-o, --report, --summary-json, report -o) where something
 * other than a regular file already is: a device node, a named pipe, a socket,
 * or a symbolic link to one (/proc/self/fd/1). Every such file is written
 * whole into a temp file and renamed over its path, which would replace the
 * node itself with a regular file (as root: /dev/full, /dev/null) and exit 0. A
 * file mounted on its own refuses that rename (EBUSY) only once all the work is done.
 * Refused before any work, one line, exit 2. A symbolic link to a regular file
 * (or to nothing) stays allowed: the rename replaces the link, never its target.
 */
export function refuseNonRegularTarget(named: SettingWords, given: string, toStdout: boolean): void {
  const absolute = path.resolve(given);
  const stats = statOrUndefined(absolute);
  // Missing, a link to nothing or one that loops (the rename replaces the link itself), a regular file, or a folder (refused with its own line by the callers).
  const point = stats?.isFile() === true ? mountedFileAt(absolute) : undefined;
  if (point !== undefined) {
    // Reached through a symbolic link to its folder: the folder to mount is the real one, named (not the link).
    const folder = path.dirname(point) === path.dirname(absolute) ? 'its folder' : `its folder (${path.dirname(point)})`;
    const instead = `mount ${folder} instead and name the file in it${toStdout ? ' (or - for standard output)' : ''}`;
    throw new ConfigError(`${named.head}: is a file mounted on its own (a bind mount such as docker's -v ./${path.basename(point)}:${point}), which cannot be replaced: sentiment-batch writes its output files beside their path and renames them over it, so ${instead}; nothing was done`);
  }
  if (!stats || stats.isFile() || stats.isDirectory()) return;
  const link = linkTarget(absolute);
  const what = link === undefined ? `is ${kindOf(stats)}` : `is a symbolic link to ${link}, which is ${kindOf(stats)}`;
  const instead = toStdout ? 'give the path of a file (or - for standard output)' : 'give the path of a file';
  throw new ConfigError(`${named.head}: ${what}, not a regular file; sentiment-batch replaces its output files whole, so ${instead}`);
}

function linkTarget(absolute: string): string | undefined {
  try {
    return lstatSync(absolute).isSymbolicLink() ? readlinkSync(absolute) : undefined;
  } catch {
    return undefined;
  }
}
