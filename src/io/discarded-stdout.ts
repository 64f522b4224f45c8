import { fstatSync, statSync } from 'node:fs';
import type { JobSettings } from '../config/options.js';
import { settingName } from '../config/setting-names.js';
import { ConfigError } from '../errors.js';
import { STDOUT_PATH } from './format.js';

/**
 * `-o -` whose standard output is /dev/null: every record scored is thrown away. So it is when standard output was
 * closed (`>&-`, a service with no stdout): Node opens /dev/null in its place at start, so each write "succeeds". The
 * job ran to the end, exit 0, paying Workers AI for every row (27 requests for the 30-row fixture, 3,000 for 3,000),
 * where `-o /dev/null` is refused (a character device, exit 2) and a reader that closes the pipe is exit 2 too. Refused
 * the same way, before any work. A `>/dev/null` on purpose (a benchmark) can name `-o` a file in a temp folder.
 */
export function refuseDiscardedStdout(settings: Pick<JobSettings, 'output'> & Parameters<typeof settingName>[0], fd = 1): void {
  if (settings.output !== STDOUT_PATH || !isDevNull(fd)) return;
  const named = settingName(settings, 'output', '-o', STDOUT_PATH);
  throw new ConfigError(
    `${named}: standard output is /dev/null (or was closed, which Node replaces with /dev/null), so every scored record would be thrown away: send it to a file or a pipe (> scored.csv, | next-step), or name the file with -o`,
  );
}

function isDevNull(fd: number): boolean {
  try {
    const stats = fstatSync(fd);
    return stats.isCharacterDevice() && stats.rdev === statSync('/dev/null').rdev;
  } catch {
    return false; // no such descriptor to judge (Windows, an exotic platform): written as before
  }
}
