/**
 * A preload for `node --import` that appends the process's CPU time (user +
 * system, all threads, in ms) to the file named by CPU_LOG when it exits:
 * on a loaded machine CPU time varies far less than wall time
 * (`npm run bench -- startup` prints both).
 */
import { appendFileSync } from 'node:fs';

const file = process.env['CPU_LOG'];
if (file) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    appendFileSync(file, `${(user + system) / 1000}\n`);
  });
}
