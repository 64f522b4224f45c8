/**
 * Preloaded into the CLI by tests (`NODE_OPTIONS=--import <this file>`): right after the
 * process makes a folder whose name holds `.lock.new-` (the output lock being built,
 * before its owner file is written) it sends itself SIGTERM twice and waits, so the
 * second signal's exit-at-once lands at that exact step, which a timed kill hits only
 * by luck. (Two signals 100 ms apart: sent together they may arrive as one.)
 * Plain JavaScript: the child process runs it as it is, with nothing to build.
 */
import fs from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

const mkdir = fs.promises.mkdir;
fs.promises.mkdir = async function (target, ...rest) {
  const made = await mkdir.call(this, target, ...rest);
  if (String(target).includes('.lock.new-')) {
    process.kill(process.pid, 'SIGTERM');
    await delay(100);
    process.kill(process.pid, 'SIGTERM');
    await delay(2000);
  }
  return made;
};
