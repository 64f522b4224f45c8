/**
 * Preloaded into the CLI by tests (`node --import <this file>`): once the command line has loaded (its
 * 'unhandledRejection' listener is there, or after 3 s without one), rejects a promise nobody handles, as a bug
 * of ours or of a library would. Plain JavaScript: the child runs it as it is, with nothing to build.
 *
 * Node hands the rejection to the listeners (or crashes on it) before it runs any immediate: an immediate set
 * beside the rejection runs only in a process that went on after it, and writes the test's line
 * (UNHANDLED_REJECTION_WENT_ON) on stderr. The test waits on that line or on the process's end, not on a clock
 * (`serve` runs until stopped).
 */

let waited = 0;
const timer = setInterval(() => {
  if (process.listenerCount('unhandledRejection') === 0 && (waited += 20) < 3_000) return;
  clearInterval(timer);
  void Promise.reject(new Error('a deliberate unhandled rejection'));
  setImmediate(() => process.stderr.write(`${process.env.UNHANDLED_REJECTION_WENT_ON ?? 'the process went on after the rejection'}\n`));
}, 20);
