import { spawnSync } from 'node:child_process';
import { CLI } from './cli.js';

/**
 * Whether the CLI of this checkout can be run as another user (root only). A clone in a folder that only its owner
 * may enter (/root, or mktemp -d's 0700 folder) cannot be read by uid 1000: the CLI then ends exit 1 with
 * "Cannot find module" before our code runs, which says nothing about the folder under test. Such tests skip.
 */
export function cliRunsAs(uid: number): boolean {
  if (process.getuid?.() !== 0) return false;
  const result = spawnSync(process.execPath, [CLI, '--version'], { uid, gid: uid, stdio: 'ignore', timeout: 60_000 });
  return result.status === 0;
}
