/**
 * Preloaded into the CLI by tests (`NODE_OPTIONS=--import <this file>`): the process
 * kills itself with SIGKILL right after the Nth rename onto SB_TEST_KILL_AFTER_RENAME_TO
 * (N from SB_TEST_KILL_AFTER_RENAME_NTH, default 1), which is a crash at an exact
 * instant of a sequence of file operations, as a timed kill -9 hits only by luck.
 * Plain JavaScript: the child process runs it as it is, with nothing to build.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

const target = process.env.SB_TEST_KILL_AFTER_RENAME_TO;
if (target) {
  const nth = Number(process.env.SB_TEST_KILL_AFTER_RENAME_NTH ?? 1);
  let seen = 0;
  const rename = fs.promises.rename;
  fs.promises.rename = async function (from, to) {
    await rename.call(this, from, to);
    if (path.resolve(String(to)) === path.resolve(target) && ++seen === nth) process.kill(process.pid, 'SIGKILL');
  };
  // `import { rename } from 'node:fs/promises'` sees the replacement too.
  syncBuiltinESMExports();
}
