/**
 * Preloaded into the CLI by tests (`NODE_OPTIONS=--import <this file>`): when the entry (dist/bin/cli.js) asks for
 * its signals module, the process sends itself SIGTERM and that module is resolved only 300 ms later, so the
 * signal lands while the entry has run its first lines but the handlers of process/signals.ts are not loaded yet:
 * the moment a timed kill hits only by luck. Plain JavaScript: the child runs it as it is, with nothing to build.
 */
import { register } from 'node:module';

const hooks = `
  import { setTimeout as delay } from 'node:timers/promises';
  export async function resolve(specifier, context, next) {
    if (/\\/signals-[^/]*\\.js$/.test(specifier) && !globalThis.signalled) {
      globalThis.signalled = true;
      process.kill(process.pid, 'SIGTERM');
      await delay(300);
    }
    return next(specifier, context);
  }
`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
