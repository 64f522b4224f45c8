/**
 * Preloaded into the CLI by tests (`NODE_OPTIONS=--import <this file>`, `SIGNAL_AT_MODULE=<name>`): when the CLI first
 * asks for a module of its bundle named `<name>-<hash>.js` (dist/bin), the process sends itself SIGTERM and that
 * module is resolved only 300 ms later, so the signal is handled at that step, as a timed kill would hit it only by
 * luck (`embedded`: while a job sets up, making its scorer). Plain JavaScript: the child runs it as it is.
 */
import { register } from 'node:module';

const name = process.env.SIGNAL_AT_MODULE ?? '';
const hooks = `
  import { setTimeout as delay } from 'node:timers/promises';
  const pattern = new RegExp('/' + ${JSON.stringify(name)} + '-[^/]*\\\\.js$');
  export async function resolve(specifier, context, next) {
    if (pattern.test(specifier) && !globalThis.signalled) {
      globalThis.signalled = true;
      process.kill(process.pid, 'SIGTERM');
      await delay(300);
    }
    return next(specifier, context);
  }
`;
if (name !== '') register(`data:text/javascript,${encodeURIComponent(hooks)}`);
