/**
 * Preloaded into the CLI by tests (`NODE_OPTIONS=--import <this file>`): the process kills itself with SIGKILL at the
 * Nth synchronous open of SB_TEST_KILL_OPEN (N from SB_TEST_KILL_OPEN_NTH, default 1), right after it, or
 * SB_TEST_KILL_OPEN_DELAY_MS later (the work that open starts under way): a crash inside a sequence of reads and
 * writes, which a timed kill -9 hits only by luck. Plain JavaScript: the child process runs it as it is.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

const target = process.env.SB_TEST_KILL_OPEN;
if (target) {
  const nth = Number(process.env.SB_TEST_KILL_OPEN_NTH ?? 1);
  const delay = process.env.SB_TEST_KILL_OPEN_DELAY_MS;
  let seen = 0;
  const die = () => process.kill(process.pid, 'SIGKILL');
  const openSync = fs.openSync;
  fs.openSync = function (file, ...rest) {
    const fd = openSync.call(this, file, ...rest);
    if (typeof file === 'string' && path.resolve(file) === path.resolve(target) && ++seen === nth) {
      if (delay === undefined) die();
      else setTimeout(die, Number(delay));
    }
    return fd;
  };
  syncBuiltinESMExports();
}
