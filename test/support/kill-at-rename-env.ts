import path from 'node:path';
import { REPO_ROOT } from './cli.js';

/** The preload that makes the CLI signal itself at a rename: plain JavaScript, run by the child as it is. */
const KILL_AT_RENAME = path.join(REPO_ROOT, 'test/support/kill-at-rename.mjs');

export interface AtRename {
  /** Right `after` the rename onto the file (the default), or right `before` it. */
  when?: 'before' | 'after';
  /** Another signal than SIGKILL (SIGTERM: a signal at that instant; before an async rename the preload then waits 200 ms). */
  signal?: NodeJS.Signals;
}

/**
 * The environment variables that make a CLI run kill itself (kill -9) at its first rename onto `file`, through
 * kill-at-rename.mjs preloaded (NODE_OPTIONS): a crash at an exact instant of a sequence of file operations, which a
 * timed kill hits only by luck. Merged into the run's own environment.
 */
export function killAtRename(file: string, { when = 'after', signal }: AtRename = {}): Record<string, string> {
  return {
    NODE_OPTIONS: `--import ${KILL_AT_RENAME}`,
    SB_TEST_KILL_RENAME_TO: file,
    SB_TEST_KILL_RENAME_WHEN: when,
    ...(signal !== undefined ? { SB_TEST_KILL_RENAME_SIGNAL: signal } : {}),
  };
}
