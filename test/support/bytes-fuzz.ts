/**
 * One case of the byte-for-byte fuzz: an awkward export from a seed (awkward-export.ts), run through the built
 * CLI one way or another, and its output checked by the independent oracle (byte-oracle.ts), with the
 * summary's counts. The way is drawn from the seed too, so a seed names its whole case:
 *
 * - `file`: a file in, a file out, the embedded model (sometimes `--limit`, `--prefix`);
 * - `gzip`: the input gzip-compressed (sometimes as two members, as `cat a.gz b.gz` makes);
 * - `stdio`: standard input to standard output (`score - --format … -o -`), or only one of them; or through `serve`,
 *   stopped by SIGTERM, what reached standard output checked as a run of whole records;
 * - `serve`: Workers AI through a local `serve` that fails some requests, then the same command again to mend
 *   the rows that failed (the output is checked after each run, failed rows included);
 * - `local`: a file scored by `--backend local` (only when asked for: it needs the ONNX model folder);
 * - `kill`: through `serve` with latency, cut by SIGKILL or SIGTERM once the checkpoint has rows, then run
 *   again to the end (with `cutFaults`, the service fails some requests until the cut: the resumed run mends them).
 *
 * Used by test/e2e-bytes-fuzz.test.ts (a few seeds) and bench/bytes-fuzz.ts (many).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRng } from '../../src/model/rng.js';
import { awkwardExport, type AwkwardExport } from './awkward-export.js';
import { checkOutput, type Counts, type OracleOptions } from './byte-oracle.js';
import { cleanEnv, rowsCheckpointed } from './cli.js';
import { workersAiEnv } from './workers-ai-env.js';

export type FuzzMode = 'file' | 'gzip' | 'stdio' | 'serve' | 'kill' | 'local';
/** The modes a seed draws from. `local` (a file scored by `--backend local`) runs only when asked for. */
export const FUZZ_MODES: readonly FuzzMode[] = ['file', 'gzip', 'stdio', 'serve', 'kill'];

export interface FuzzContext {
  /** The built CLI (dist/bin/cli.js). */
  cli: string;
  /** An empty folder for this case. */
  dir: string;
  /** A running `serve` (its base URL) for the serve and kill modes; without one those seeds run as `file`. */
  serveUrl?: string;
  /** Only this mode (else the seed draws one). */
  mode?: FuzzMode;
  /** `local`: the ONNX model folder for `--backend local` (fixtures/tiny-distilbert); without one those seeds run as `file`. */
  localModelDir?: string;
  /** `kill`: the service fails a fifth of the requests until the cut, so the resumed run mends rows of the cut one. */
  cutFaults?: boolean;
}

export interface FuzzResult {
  seed: number;
  mode: FuzzMode;
  export: AwkwardExport;
  /** The command lines run, for a reproduction. */
  commands: string[];
  /** What went wrong; empty when the case passed. */
  problems: string[];
  /** CLI runs made. */
  runs: number;
  /** How the case went, beyond passing (a cut that came after the run's end, rows failed by the service). */
  notes: string[];
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

function spawnRun(cli: string, args: string[], options: { cwd: string; env?: Record<string, string>; input?: Buffer }): { child: ReturnType<typeof spawn>; done: Promise<Run> } {
  const child = spawn(process.execPath, [cli, ...args], { cwd: options.cwd, env: cleanEnv(options.env ?? {}), stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.on('error', () => {}); // a run that stops before reading all of standard input
  child.stdin.end(options.input ?? Buffer.alloc(0));
  const done = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out), stderr })));
  return { child, done };
}

async function setFaults(serveUrl: string, faults: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${serveUrl.replace(/\/client\/v4\/?$/, '')}/__control/faults`, { method: 'POST', body: JSON.stringify(faults), headers: { 'content-type': 'application/json' } });
  if (!response.ok) throw new Error(`serve refused the faults: ${response.status} ${await response.text()}`);
}

const shellQuote = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);

export async function runFuzzCase(seed: number, context: FuzzContext): Promise<FuzzResult> {
  const input = awkwardExport(seed);
  // The way to run it comes from a generator of its own, so a new mode never changes the inputs of old seeds.
  const rng = createRng(seed ^ 0x5eed_b17e);
  // Drawn even when the mode is given, so the draws after it (and a seed's case) stay the same.
  const drawn = FUZZ_MODES[Math.floor(rng() * FUZZ_MODES.length)] as FuzzMode;
  let mode: FuzzMode = context.mode ?? drawn;
  if ((mode === 'serve' || mode === 'kill') && context.serveUrl === undefined) mode = 'file';
  if (mode === 'local' && context.localModelDir === undefined) mode = 'file';
  // Standard streams: in and out, in to a file (copied to <output>.stdin first), a file out; or in and out through
  // serve, stopped by SIGTERM: what reached standard output must end at a record's end.
  const stdio = mode === 'stdio' ? (['both', 'in', 'out', 'cut'] as const)[Math.floor(rng() * (context.serveUrl === undefined ? 3 : 4))] : undefined;
  const stdin = stdio === 'both' || stdio === 'in' || stdio === 'cut';
  const stdout = stdio === 'both' || stdio === 'out' || stdio === 'cut';
  const drawnPrefix = mode !== 'kill' && rng() < 0.15 ? (['x', '情感', 'a b', 'a,b'] as const)[Math.floor(rng() * 4)] : undefined;
  // A prefix holding a CSV input's delimiter is refused (config/prefix-name.ts): that one becomes `_` (a JSONL field
  // or another delimiter's columns keep the comma). Drawn as before, so every seed's other choices stay the same.
  const prefix = drawnPrefix !== undefined && input.format !== 'jsonl' && drawnPrefix.includes(input.delimiter) ? drawnPrefix.replaceAll(input.delimiter, '_') : drawnPrefix;
  const limit = (mode === 'file' || mode === 'gzip' || (mode === 'stdio' && stdio !== 'cut')) && rng() < 0.15 ? 1 + Math.floor(rng() * 40) : undefined;
  const result: FuzzResult = { seed, mode, export: input, commands: [], problems: [], runs: 0, notes: [] };
  if (stdio !== undefined) result.notes.push(`standard streams: ${stdio === 'both' ? 'in and out' : stdio === 'in' ? 'in, a file out' : stdio === 'out' ? 'a file in, out' : 'in and out, stopped by SIGTERM'}`);
  if (limit !== undefined) result.notes.push(`--limit ${limit}`);
  if (prefix !== undefined) result.notes.push(`--prefix ${prefix}`);
  const { dir, cli } = context;

  // A cut run resumes a gzip input by decompressing up to the checkpoint's offset: some cut inputs are gzip too.
  const gzip = mode === 'gzip' || (mode === 'kill' && rng() < 0.4);
  const inputName = `in.${input.extension}${gzip ? '.gz' : ''}`;
  const inputPath = path.join(dir, inputName);
  if (gzip) {
    // Two members now and then: `cat a.gz b.gz` is one gzip stream of both.
    const cut = rng() < 0.3 ? Math.floor(rng() * input.bytes.length) : input.bytes.length;
    writeFileSync(inputPath, Buffer.concat([gzipSync(input.bytes.subarray(0, cut)), ...(cut < input.bytes.length ? [gzipSync(input.bytes.subarray(cut))] : [])]));
  } else writeFileSync(inputPath, input.bytes);
  const outputPath = path.join(dir, `out.${input.extension}`);
  const summaryPath = path.join(dir, 'summary.json');

  const csv = input.format === 'csv';
  const args: string[] = ['score', stdin ? '-' : inputName, '-o', stdout ? '-' : outputPath, '--max-error-rate', '1', '--summary-json', summaryPath];
  if (stdin) args.push('--format', csv ? (input.extension === 'tsv' ? 'tsv' : 'csv') : 'jsonl');
  for (const name of input.textNames) args.push(csv ? '--text-column' : '--text-field', name);
  if (csv && !(input.delimiter === '\t' && input.extension === 'tsv') && input.delimiter !== ',') {
    args.push('--delimiter', input.delimiter === '\t' && rng() < 0.5 ? 'tab' : input.delimiter);
  }
  if (input.escape !== undefined) args.push('--escape', input.escape);
  if (input.quote !== undefined) args.push('--quote', input.quote);
  if (prefix !== undefined) args.push('--prefix', prefix);
  if (limit !== undefined) args.push('--limit', String(limit));
  const remote = mode === 'serve' || mode === 'kill' || stdio === 'cut';
  const env: Record<string, string> = remote ? workersAiEnv({ baseURL: context.serveUrl as string }) : {};
  if (remote) args.push('--rpm', '600000', '--max-attempts', '2', '--timeout', '5s');
  // The local model groups rows of like length into batches: a window of rows in flight, written back in order.
  else if (mode === 'local') args.push('--backend', 'local', '--model-dir', context.localModelDir as string, '--threads', '1', '--concurrency', '64');
  else args.push('--backend', 'embedded');
  if (mode === 'kill' || stdio === 'cut') args.push('--concurrency', '4', '--checkpoint-interval', '100ms');
  const oracle: OracleOptions = { format: input.format, delimiter: input.delimiter, textNames: input.textNames, ...(input.escape !== undefined ? { escape: input.escape } : {}), ...(input.quote !== undefined ? { quote: input.quote } : {}), ...(prefix !== undefined ? { prefix } : {}), ...(limit !== undefined ? { limit } : {}) };

  const command = (extra: string[] = []): string =>
    `${Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)} `).join('')}node ${cli} ${[...args, ...extra].map(shellQuote).join(' ')}${stdin ? ` < ${inputName}` : ''}`;
  const run = async (extra: string[] = []): Promise<Run> => {
    result.commands.push(command(extra));
    result.runs++;
    return spawnRun(cli, [...args, ...extra], { cwd: dir, env, ...(stdin ? { input: input.bytes } : {}) }).done;
  };
  /** Checks the output of a run that ended, and its summary's counts. */
  const check = (what: string, ran: Run, modelFailures: boolean): Counts | undefined => {
    if (ran.code !== 0 && !(modelFailures && ran.code === 5)) {
      result.problems.push(`${what}: exit ${ran.code ?? ran.signal}: ${ran.stderr.split('\n').filter((l) => !l.startsWith('{"level":30')).join('\n').slice(0, 600)}`);
      return undefined;
    }
    const output = stdout ? ran.stdout : readFileSync(outputPath);
    const verdict = checkOutput(input.bytes, output, { ...oracle, modelFailures });
    result.problems.push(...verdict.problems.slice(0, 8).map((p) => `${what}: ${p}`));
    if (!modelFailures && JSON.stringify(verdict.expected) !== JSON.stringify(verdict.found)) {
      result.problems.push(`${what}: counts expected ${JSON.stringify(verdict.expected)}, found ${JSON.stringify(verdict.found)}`);
    }
    const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as { totals: Counts };
    const totals = { read: summary.totals.read, scored: summary.totals.scored, skipped: summary.totals.skipped, failed: summary.totals.failed };
    if (JSON.stringify(totals) !== JSON.stringify(verdict.found)) result.problems.push(`${what}: the summary says ${JSON.stringify(totals)}, the output ${JSON.stringify(verdict.found)}`);
    return verdict.found;
  };

  /**
   * The same job run once against the service without faults: the output a mended or resumed job must equal byte
   * for byte (the service's answers are deterministic), which the oracle alone cannot tell (it checks the answers'
   * shape, not that each is its own row's).
   */
  const reference = async (): Promise<Buffer | undefined> => {
    await setFaults(context.serveUrl as string, {});
    const referencePath = path.join(dir, `reference.${input.extension}`);
    const referenceArgs = args.map((arg) => (arg === outputPath ? referencePath : arg === summaryPath ? `${summaryPath}.reference` : arg));
    const ran = await spawnRun(cli, referenceArgs, { cwd: dir, env }).done;
    result.runs++;
    if (ran.code !== 0) {
      result.problems.push(`the reference run: exit ${ran.code ?? ran.signal}: ${ran.stderr.slice(-400)}`);
      return undefined;
    }
    return readFileSync(referencePath);
  };
  const sameAsReference = (expected: Buffer | undefined): void => {
    if (expected === undefined || result.problems.length > 0) return;
    const output = readFileSync(outputPath);
    if (output.equals(expected)) return;
    let at = 0;
    while (at < output.length && output[at] === expected[at]) at++;
    result.problems.push(`the output differs from the reference run's from byte ${at}: ${JSON.stringify(output.subarray(at, at + 80).toString())} instead of ${JSON.stringify(expected.subarray(at, at + 80).toString())}`);
  };

  /**
   * With the service healthy again, the same command until no row is left to mend (a row's own failures stay), then
   * once more, checked strictly. The run that finishes a rename cut short only says how many rows are left to mend
   * (test/e2e-crash-points.test.ts): the next one mends them.
   */
  const mendRuns = async (failedBefore: number, first: number): Promise<void> => {
    let failed = failedBefore;
    for (let again = first; again <= first + 2 && failed > 0; again++) {
      const before = failed;
      failed = check(`run ${again} (mend)`, await run(), true)?.failed ?? 0;
      if (failed === before) break;
    }
    if (result.problems.length === 0) check('after the mend', await run(), false);
  };

  if (mode === 'serve') {
    const expected = await reference();
    await setFaults(context.serveUrl as string, { seed, failRate: 0.2, malformedRate: 0.03, truncateRate: 0.03, dropRate: 0.02, latency: '0-3ms' });
    const failed = check('run 1 (service failing a quarter of the requests)', await run(), true)?.failed ?? 0;
    result.notes.push(`${failed} rows failed in run 1`);
    await setFaults(context.serveUrl as string, {});
    await mendRuns(failed, 2);
    sameAsReference(expected);
    return result;
  }
  if (stdio === 'cut') {
    await setFaults(context.serveUrl as string, { seed, latency: '2-8ms' });
    const after = Math.floor(rng() * 1000);
    result.commands.push(`${command()}   # SIGTERM ${after} ms after the header reached standard output`);
    result.runs++;
    const cut = spawnRun(cli, args, { cwd: dir, env, input: input.bytes });
    // Not before the header is out: a signal while Node itself boots ends the process by the signal (143), as
    // docs/durability.md#signals says, before any of the program runs (seen at 129 ms on a loaded machine).
    let timer: NodeJS.Timeout | undefined;
    cut.child.stdout?.once('data', () => (timer = setTimeout(() => cut.child.kill('SIGTERM'), after)));
    const ran = await cut.done;
    clearTimeout(timer);
    await setFaults(context.serveUrl as string, {});
    result.notes.push(ran.code === 0 ? 'finished before the signal' : `stopped by SIGTERM (exit ${ran.code ?? ran.signal}) after ${ran.stdout.length} bytes`);
    if (ran.code !== 0 && ran.code !== 130) result.problems.push(`run stopped by SIGTERM: exit ${ran.code ?? ran.signal}: ${ran.stderr.slice(-400)}`);
    const verdict = checkOutput(input.bytes, ran.stdout, { ...oracle, ...(ran.code === 0 ? {} : { prefixOnly: true }) });
    result.problems.push(...verdict.problems.slice(0, 8).map((p) => `the output of the run stopped by SIGTERM: ${p}`));
    return result;
  }
  if (mode === 'kill') {
    const expected = await reference();
    await setFaults(context.serveUrl as string, { seed, latency: '2-8ms', ...(context.cutFaults === true ? { failRate: 0.2 } : {}) });
    const signal: NodeJS.Signals = rng() < 0.6 ? 'SIGKILL' : 'SIGTERM';
    const after = 1 + Math.floor(rng() * 60);
    result.commands.push(`${command()}   # cut by ${signal} once the checkpoint has ${after} rows`);
    result.runs++;
    const cut = spawnRun(cli, args, { cwd: dir, env });
    const deadline = Date.now() + 30_000;
    while (rowsCheckpointed(outputPath) < after && Date.now() < deadline) {
      const ended = await Promise.race([cut.done.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 20))]);
      if (ended) break;
    }
    const checkpointed = rowsCheckpointed(outputPath);
    cut.child.kill(signal);
    const first = await cut.done;
    result.notes.push(first.signal === null && first.code === 0 ? 'finished before the cut' : `cut by ${signal} at ${checkpointed} rows checkpointed (exit ${first.code ?? first.signal})`);
    if (first.code !== 0 && first.code !== 130 && first.signal !== 'SIGKILL') result.problems.push(`run cut by ${signal}: exit ${first.code ?? first.signal}: ${first.stderr.slice(-400)}`);
    await setFaults(context.serveUrl as string, {});
    if (context.cutFaults === true) await mendRuns(check('the run after the cut', await run(), true)?.failed ?? 0, 3);
    else check('the run after the cut', await run(), false);
    sameAsReference(expected);
    return result;
  }
  check('run', await run(), false);
  return result;
}
