/**
 * Preloaded into the CLI by tests (`NODE_OPTIONS=--import <this file>`; kill-at-rename-env.ts sets both): the process
 * kills itself with SIGKILL at the Nth rename onto SB_TEST_KILL_RENAME_TO (N from
 * SB_TEST_KILL_RENAME_NTH, default 1), right after it (SB_TEST_KILL_RENAME_WHEN=after,
 * the default) or right before it (`before`): a crash at an exact instant of a
 * sequence of file operations, which a timed kill -9 hits only by luck. Both
 * `rename` of node:fs/promises and `renameSync` of node:fs are watched. SB_TEST_KILL_RENAME_SIGNAL sends another
 * signal instead (SIGTERM: a second signal at that instant); before an async rename it then waits 200 ms, so the
 * signal's handler runs before the rename does.
 * Plain JavaScript: the child process runs it as it is, with nothing to build.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

const target = process.env.SB_TEST_KILL_RENAME_TO;
if (target) {
  const nth = Number(process.env.SB_TEST_KILL_RENAME_NTH ?? 1);
  const before = process.env.SB_TEST_KILL_RENAME_WHEN === 'before';
  const again = !(before && process.env.SB_TEST_KILL_RENAME_ONCE === '1');
  let seen = 0;
  const hit = (to) => path.resolve(String(to)) === path.resolve(target) && ++seen === nth;
  const signal = process.env.SB_TEST_KILL_RENAME_SIGNAL ?? 'SIGKILL';
  const die = () => process.kill(process.pid, signal);
  const rename = fs.promises.rename;
  fs.promises.rename = async function (from, to) {
    const now = hit(to);
    if (now && before) {
      die();
      if (signal !== 'SIGKILL') await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await rename.call(this, from, to);
    if (now && again) die();
  };
  const renameSync = fs.renameSync;
  fs.renameSync = function (from, to) {
    const now = hit(to);
    if (now && before) die();
    renameSync.call(this, from, to);
    if (now && again) die();
  };
  // `import { rename } from 'node:fs/promises'` and `import { renameSync } from 'node:fs'` see the replacements too.
  syncBuiltinESMExports();
}
