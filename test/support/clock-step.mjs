/**
 * Preloaded into the CLI by tests (`NODE_OPTIONS=--import <this file>`): steps the wall clock (Date.now) forward by
 * SB_TEST_CLOCK_STEP_MS as NTP stepping a drifted clock, `date -s` or a VM resumed does to a running process, at the
 * moment the process first opens a file whose name ends with SB_TEST_CLOCK_STEP_AT (`.partial`: the run has started
 * and writes its output), so that the step falls mid-run however slowly the machine starts the process. The monotonic
 * clock (performance.now) is left as it is, as those leave it. Plain JavaScript: the child runs it as it is.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const step = Number(process.env.SB_TEST_CLOCK_STEP_MS ?? 0);
const at = process.env.SB_TEST_CLOCK_STEP_AT;
if (step !== 0 && at) {
  let stepped = false;
  const now = Date.now.bind(Date);
  Date.now = () => now() + (stepped ? step : 0);
  const open = fs.promises.open;
  fs.promises.open = async function (file, ...rest) {
    if (String(file).endsWith(at)) stepped = true;
    return open.call(this, file, ...rest);
  };
  // `import { open } from 'node:fs/promises'` sees it too.
  syncBuiltinESMExports();
}
