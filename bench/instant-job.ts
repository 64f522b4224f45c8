/**
 * Child process of the pipeline benchmark: runs one scoring job in-process
 * with an instant scorer, then prints one JSON line of figures. Flags:
 *   instant-job.js INPUT OUTPUT [--remote] [--kill-at-percent P] [--exit-after-first-request]
 * --remote makes the scorer count as remote (limiter, tokenizer, retries),
 * and reports when its first request was made, for the resume measurement.
 */
import { stat } from 'node:fs/promises';
import { DEFAULTS, type JobSettings } from '../src/config/options.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { createLogger } from '../src/log.js';
import { toScores, type Scorer } from '../src/scoring/scorer.js';

const [input, output, ...flags] = process.argv.slice(2);
const remote = flags.includes('--remote');
const exitAfterFirst = flags.includes('--exit-after-first-request');
const killAt = flags.includes('--kill-at-percent') ? Number(flags[flags.indexOf('--kill-at-percent') + 1]) : undefined;

let firstRequestMs: number | undefined;
let calls = 0;
const answer = toScores(0.8, 0.2);
const scorer: Scorer = {
  modelId: 'bench:instant',
  remote,
  async score() {
    calls += 1;
    if (firstRequestMs === undefined) {
      firstRequestMs = performance.now();
      if (exitAfterFirst) {
        process.stdout.write(`${JSON.stringify({ firstRequestSinceStartMs: firstRequestMs })}\n`);
        process.exit(0);
      }
    }
    return answer;
  },
  scoreSync: remote
    ? undefined
    : () => {
        calls += 1;
        return answer;
      },
  async close() {},
};

const settings: JobSettings = {
  ...DEFAULTS,
  input: input as string,
  output: output as string,
  text: ['review'],
  rpm: 100_000_000,
  concurrency: 64,
  progress: 'off',
  logLevel: 'warn',
  // A run to be killed at a given share checkpoints often, so some checkpoint lands past that share.
  ...(killAt !== undefined ? { checkpointIntervalMs: 100 } : {}),
};
const stop = new StopController();
if (killAt !== undefined) {
  const size = (await stat(input as string)).size;
  // Simulates a crash part-way: a SIGKILL once the checkpoint is past the given share of the input.
  setInterval(async () => {
    try {
      const { readFile } = await import('node:fs/promises');
      const c = JSON.parse(await readFile(`${output}.checkpoint.json`, 'utf8')) as { position: { inputOffset: number } };
      if (c.position.inputOffset / size >= killAt / 100) process.kill(process.pid, 'SIGKILL');
    } catch {
      // not written yet
    }
  }, 20).unref();
}
const started = performance.now();
const summary = await runJob(settings, { log: createLogger('warn'), stop, createScorer: () => scorer });
const elapsed = (performance.now() - started) / 1000;
process.stdout.write(
  `${JSON.stringify({
    exitCode: summary.exitCode,
    rows: summary.totals.read,
    calls,
    seconds: elapsed,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    firstRequestSinceStartMs: firstRequestMs,
  })}\n`,
);
