/**
 * Short reviews per second through the real CLI with the embedded model:
 * `sentiment-batch score --backend embedded` as a child process on a CSV of
 * seeded synthetic short reviews, wall-clock time including start-up, model
 * load, CSV parsing and writing (one core: the pipeline is single-threaded).
 *
 * With EMBEDDED_CLI_BASELINE pointing at another built checkout (e.g. the
 * commit before a change, built in a temporary folder), both run side by
 * side, alternating, EMBEDDED_CLI_ROUNDS rounds each (default 5): on a shared
 * machine only a side-by-side ratio means much. Each run's output must be
 * byte for byte the other build's, on the short reviews and on a file of
 * awkward texts (emoji, non-Latin scripts, long and empty cells, quoted line
 * breaks), or the bench fails.
 *
 *   EMBEDDED_CLI_BASELINE=/tmp/speed-base npm run bench -- embedded
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, REPO_ROOT, builtCli, describeLoad, median, runNode } from './support.js';

/** Appends the child's CPU time at exit to CPU_LOG (steadier than wall time on a loaded machine). */
const CPU_PRELOAD = pathToFileURL(path.join(REPO_ROOT, 'dist', 'bench', 'cpu-at-exit.js')).href;

interface Run {
  seconds: number;
  cpuSeconds: number;
  output: Buffer;
}

function csvOf(texts: readonly string[]): string {
  return 'id,review\n' + texts.map((r, i) => `${i},"${r.replace(/"/g, '""')}"`).join('\n') + '\n';
}

/** One `score --backend embedded` of `input` by the command `cli`, in a folder of its own under `dir`; throws unless it exits 0. */
async function scoreOnce(cli: string, input: string, dir: string): Promise<Run> {
  const work = mkdtempSync(path.join(dir, 'run-'));
  try {
    const output = path.join(work, 'out.csv');
    const cpuLog = path.join(work, 'cpu.txt');
    const started = performance.now();
    const result = await runNode(['--import', CPU_PRELOAD, cli, 'score', input, '--backend', 'embedded', '--text-column', 'review', '-o', output, '--progress', 'off'], {
      ...process.env,
      CLOUDFLARE_ACCOUNT_ID: '',
      CLOUDFLARE_API_TOKEN: '',
      CPU_LOG: cpuLog,
    });
    const seconds = (performance.now() - started) / 1000;
    if (result.code !== 0) throw new Error(`${cli} exited with ${String(result.code)}: ${result.stderr.slice(0, 500)}`);
    return { seconds, cpuSeconds: Number(readFileSync(cpuLog, 'utf8').trim()) / 1000, output: readFileSync(output) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function cliThroughput(reviews: readonly string[]): Promise<{ rows: number; seconds: number; rowsPerSecond: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-embedded-cli-'));
  try {
    const input = path.join(dir, 'short.csv');
    writeFileSync(input, csvOf(reviews));
    const { seconds } = await scoreOnce(CLI, input, dir);
    return { rows: reviews.length, seconds, rowsPerSecond: Math.round(reviews.length / seconds) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Texts that exercise every path of the tokenizer and of the CSV writer: the builds must agree on each byte. */
function awkwardTexts(): string[] {
  return [
    '',
    'Great 😀😀 value, would buy again 👍🏽',
    'Отличный товар, очень доволен!',
    '非常好的产品，我很喜欢。',
    'ممتاز جدا، أنصح به',
    "couldn't be happier; didn t like the box, dont care",
    'line one.\nline two!\r\nline three?',
    'He said "never again" — and meant it…',
    '\ud800 a lone surrogate, \u0000 a NUL',
    'The first half was slow, but the finale was stunning and I loved it. '.repeat(2000),
    'x'.repeat(30_000),
    '   ',
  ];
}

interface BuildFigures {
  build: string;
  rowsPerSecond: number[];
  cpuSeconds: number[];
  medianRowsPerSecond: number;
  medianCpuSeconds: number;
}

/** This build and the baseline at `baselineRoot`, alternating; fails when their outputs differ by a byte. */
export async function cliSideBySide(reviews: readonly string[], baselineRoot: string, rounds: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-embedded-cli-'));
  const builds = [
    { build: 'this build', cli: CLI },
    { build: `baseline ${path.resolve(baselineRoot)}`, cli: builtCli(path.resolve(baselineRoot)) },
  ];
  try {
    const awkward = path.join(dir, 'awkward.csv');
    writeFileSync(awkward, csvOf(awkwardTexts()));
    const [mine, theirs] = [await scoreOnce(builds[0]!.cli, awkward, dir), await scoreOnce(builds[1]!.cli, awkward, dir)];
    if (!mine.output.equals(theirs.output)) throw new Error('the awkward texts are scored differently by this build and the baseline');

    const input = path.join(dir, 'short.csv');
    writeFileSync(input, csvOf(reviews));
    const loadAverageBefore = describeLoad();
    const runs = builds.map(() => ({ rowsPerSecond: [] as number[], cpuSeconds: [] as number[] }));
    let reference: Buffer | undefined;
    for (let round = 0; round < rounds; round++) {
      // Alternate which goes first, so that neither always runs right after the other.
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const k of order) {
        const run = await scoreOnce(builds[k]!.cli, input, dir);
        reference ??= run.output;
        if (!run.output.equals(reference)) throw new Error(`${builds[k]!.build}: its output of round ${round + 1} differs from the first run's`);
        runs[k]!.rowsPerSecond.push(Math.round(reviews.length / run.seconds));
        runs[k]!.cpuSeconds.push(Number(run.cpuSeconds.toFixed(2)));
      }
    }
    const loadAverageAfter = describeLoad();
    const figures: BuildFigures[] = builds.map((b, k) => ({
      build: b.build,
      ...runs[k]!,
      medianRowsPerSecond: median(runs[k]!.rowsPerSecond),
      medianCpuSeconds: median(runs[k]!.cpuSeconds),
    }));
    const wallRatio = Number((figures[0]!.medianRowsPerSecond / figures[1]!.medianRowsPerSecond).toFixed(3));
    const cpuRatio = Number((figures[0]!.medianCpuSeconds / figures[1]!.medianCpuSeconds).toFixed(3));
    console.log(`  real CLI side by side, ${reviews.length} short reviews, ${rounds} rounds each, alternating; load average (1/5/15 min) before ${loadAverageBefore}, after ${loadAverageAfter}`);
    for (const f of figures) {
      const range = `${Math.min(...f.rowsPerSecond)}–${Math.max(...f.rowsPerSecond)}`;
      console.log(`    ${f.build}: median ${f.medianRowsPerSecond} reviews/s (${range}), CPU median ${f.medianCpuSeconds} s (${Math.min(...f.cpuSeconds)}–${Math.max(...f.cpuSeconds)})`);
    }
    console.log(`    this build / baseline: reviews/s ${wallRatio}×, CPU time ${cpuRatio}×; outputs byte-identical (short reviews and awkward texts)`);
    return { rounds, loadAverageBefore, loadAverageAfter, builds: figures, wallRatio, cpuRatio, outputsIdentical: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
