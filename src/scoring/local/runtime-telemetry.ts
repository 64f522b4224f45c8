/**
 * onnxruntime-node 1.30's Linux library carries Microsoft's 1DS telemetry client: every process that loads it writes a
 * device id and its events (OS, Node's path, errors: some 20 a run) to `~/.cache/Microsoft/DeveloperTools/.onnxruntime/`
 * (`$XDG_CACHE_HOME` when set), a `/tmp/mat-debug-<pid>.log` left behind by each run, and sends the events to
 * mobile.events.data.microsoft.com when it can reach it. A local run is sold as sending nothing anywhere
 * (docs/local-model.md), and a nightly job would leave one more file in /tmp every night. The library reads
 * ORT_DISABLE_TELEMETRY as it loads: set before any inference worker starts (worker-pool.ts), it writes and sends none
 * (measured: 0 events, no file). A value the operator set is theirs and left as is.
 */
export function keepRuntimeTelemetryOff(env: NodeJS.ProcessEnv = process.env): void {
  if (env.ORT_DISABLE_TELEMETRY === undefined) env.ORT_DISABLE_TELEMETRY = '1';
}
