/**
 * Preloaded into the CLI by tests (`NODE_OPTIONS=--import <this file>`): the process kills itself with SIGKILL right
 * after the Nth `rm` of node:fs/promises on SB_TEST_KILL_RM (N from SB_TEST_KILL_RM_NTH, default 1) has removed it: a
 * crash between a file's removal and whatever was to replace it, which a timed kill -9 hits only by luck.
 * Plain JavaScript: the child process runs it as it is.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

const target = process.env.SB_TEST_KILL_RM;
if (target) {
  const nth = Number(process.env.SB_TEST_KILL_RM_NTH ?? 1);
  let seen = 0;
  const rm = fs.promises.rm;
  fs.promises.rm = async function (file, ...rest) {
    await rm.call(this, file, ...rest);
    if (path.resolve(String(file)) === path.resolve(target) && ++seen === nth) process.kill(process.pid, 'SIGKILL');
  };
  // `import { rm } from 'node:fs/promises'` sees the replacement too.
  syncBuiltinESMExports();
}
