/**
 * Preloaded into the CLI by tests (`node --import <this file>`): once the command line has loaded (its
 * 'unhandledRejection' listener is there, or after 3 s without one), rejects a promise nobody handles, as a bug
 * of ours or of a library would. Plain JavaScript: the child runs it as it is, with nothing to build.
 */
let waited = 0;
const timer = setInterval(() => {
  if (process.listenerCount('unhandledRejection') === 0 && (waited += 20) < 3_000) return;
  clearInterval(timer);
  void Promise.reject(new Error('a deliberate unhandled rejection'));
}, 20);
