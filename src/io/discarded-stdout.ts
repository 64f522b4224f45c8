import { fstatSync, statSync } from 'node:fs';
import type { JobSettings } from '../config/options.js';
import { settingName } from '../config/setting-names.js';
import { ConfigError } from '../errors.js';
import { STDOUT_PATH } from './format.js';

/**
 * The devices that take every write and keep nothing: /dev/null, /dev/zero, and /dev/random and /dev/urandom (a write
 * only stirs the entropy pool). /dev/full is not one: it refuses writes (ENOSPC), which ends the run with exit 74.
 */
const DISCARDING_DEVICES = ['/dev/null', '/dev/zero', '/dev/random', '/dev/urandom'];

/**
 * `-o -` whose standard output is /dev/null: every record scored is thrown away. So it is when standard output was
 * closed (`>&-`, a service with no stdout): Node opens /dev/null in its place at start, so each write "succeeds". The
 * job ran to the end, exit 0, paying Workers AI for every row (27 requests for the 30-row fixture, 3,000 for 3,000),
 * where `-o /dev/null` is refused (a character device, exit 2) and a reader that closes the pipe is exit 2 too. Refused
 * the same way, before any work; and /dev/zero and the random devices, which throw writes away as well. A `>/dev/null`
 * on purpose (a benchmark) can name `-o` a file in a temp folder.
 */
export function refuseDiscardedStdout(settings: Pick<JobSettings, 'output'> & Parameters<typeof settingName>[0], fd = 1): void {
  if (settings.output !== STDOUT_PATH) return;
  const device = discardingDevice(fd);
  if (device === undefined) return;
  const named = settingName(settings, 'output', '-o', STDOUT_PATH);
  throw new ConfigError(
    `${named}: standard output is ${deviceWords(device)}, so every scored record would be thrown away: send it to a file or a pipe (> scored.csv, | next-step), or name the file with -o`,
  );
}

/**
 * estimate's figures are all it gives, on standard output: closed (`>&-`) or a device that keeps nothing, they went
 * nowhere, exit 0. Refused the same way, before the input is read.
 */
export function refuseDiscardedEstimate(fd = 1): void {
  const device = discardingDevice(fd);
  if (device === undefined) return;
  throw new ConfigError(
    `estimate prints its figures on standard output, which is ${deviceWords(device)}, so they would be thrown away: send them to a file or a pipe (> estimate.txt, --json > estimate.json)`,
  );
}

function deviceWords(device: string): string {
  return device === '/dev/null' ? '/dev/null (or was closed, which Node replaces with /dev/null)' : `${device} (it keeps nothing written to it)`;
}

/** The discarding device `fd` is open on, if it is one. */
function discardingDevice(fd: number): string | undefined {
  try {
    const stats = fstatSync(fd);
    if (!stats.isCharacterDevice()) return undefined;
    return DISCARDING_DEVICES.find((device) => rdevOf(device) === stats.rdev);
  } catch {
    return undefined; // no such descriptor to judge (Windows, an exotic platform): written as before
  }
}

/** The device number of a device file, or undefined where it cannot be looked at (a container without it). */
function rdevOf(device: string): number | undefined {
  try {
    return statSync(device).rdev;
  } catch {
    return undefined;
  }
}
