import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, onTestFinished } from 'vitest';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The bundle npm test builds (scripts/bundle-cli.ts): what the command and the Docker image run. */
export const CLI = path.join(REPO_ROOT, 'dist/bin/cli.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Environment for the CLI with no Cloudflare variables from the developer's shell, and no ORT_DISABLE_TELEMETRY a
 * test's own inference workers set in this process (runtime-telemetry.ts): the CLI must set it itself.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('CLOUDFLARE_') && key !== 'REDIS_URL' && key !== 'ORT_DISABLE_TELEMETRY') env[key] = value;
  }
  return { ...env, ...extra };
}

interface CliOptions {
  env?: Record<string, string>;
  cwd?: string;
  input?: string | Buffer;
  /** Run under this open-files limit (`ulimit -n`, lowered by the shell: no root needed). */
  fileLimit?: number;
  /** Run under this address-space limit in KiB (`ulimit -v`, lowered by the shell: no root needed). */
  addressSpaceLimit?: number;
  /** Run under this file-size limit in blocks of 512 bytes (`ulimit -f` of sh, POSIX's unit; no root needed). */
  fileSizeLimit?: number;
}

/** A CLI process started by spawnCli: `result` once it has ended; `said()` what it has written so far. */
export type CliChild = ChildProcess & { result: Promise<CliResult>; said: () => { stdout: string; stderr: string } };

/**
 * Where each CLI start made here (spawnCli, runCli) is noted, its test file then its command, when SB_TEST_CLI_LOG names
 * a file: the default tier's CPU is largely these starts (about 0.1 s for a refusal or --help, 0.3 s for a small embedded
 * run), so counting them per file shows where its time goes: `SB_TEST_CLI_LOG=/tmp/starts.tsv npx vitest run`, then
 * `cut -f1 /tmp/starts.tsv | sort | uniq -c`. Runs started otherwise (support/bytes-fuzz.ts, a shell, run-as) are not noted.
 */
const CLI_LOG = process.env.SB_TEST_CLI_LOG;

/**
 * Why the bundle cannot be run, when a file under src/ is newer than it; checked once per test process. The end-to-end
 * files run the bundle, not src/: `npx vitest run test/e2e-x.test.ts` after a change to src/ without `npm run build`
 * ran the code as it was before the change, and a test that fails on the change passed (so a check that the tests
 * catch a line disabled on purpose found none that did).
 */
let staleBundle: string | undefined | null = null;

function refuseStaleBundle(): void {
  if (staleBundle === null) staleBundle = staleBundleWords();
  if (staleBundle !== undefined) throw new Error(staleBundle);
}

/**
 * The bundle's path for a test that starts it its own way (another uid, a shell, a pseudo-terminal, `unshare`), after
 * the same check spawnCli makes: those ran a stale bundle as readily.
 */
export function builtCli(): string {
  refuseStaleBundle();
  return CLI;
}

function staleBundleWords(): string | undefined {
  let built: number;
  try {
    built = statSync(CLI).mtimeMs;
  } catch {
    return `there is no ${path.relative(REPO_ROOT, CLI)} to run: run npm run build first`;
  }
  const src = path.join(REPO_ROOT, 'src');
  const newer = readdirSync(src, { recursive: true, encoding: 'utf8' }).find((name) => name.endsWith('.ts') && statSync(path.join(src, name)).mtimeMs > built);
  return newer === undefined ? undefined : `src/${newer} is newer than ${path.relative(REPO_ROOT, CLI)}, the bundle the end-to-end tests run: run npm run build first`;
}

/** Starts the built CLI (npm test builds it first). */
export function spawnCli(args: string[], options: CliOptions = {}): CliChild {
  refuseStaleBundle();
  if (CLI_LOG) appendFileSync(CLI_LOG, `${path.relative(REPO_ROOT, expect.getState().testPath ?? '?')}\t${args[0] ?? ''}\n`);
  const limits = [
    ...(options.fileLimit !== undefined ? ['ulimit -n "$FILE_LIMIT"'] : []),
    ...(options.addressSpaceLimit !== undefined ? ['ulimit -v "$ADDRESS_SPACE_LIMIT"'] : []),
    ...(options.fileSizeLimit !== undefined ? ['ulimit -f "$FILE_SIZE_LIMIT"'] : []),
  ];
  const [command, ...rest] = limits.length > 0 ? ['sh', '-c', `${limits.join(' && ')} && exec "$@"`, 'sh', process.execPath, CLI, ...args] : [process.execPath, CLI, ...args];
  const child = spawn(command as string, rest, {
    cwd: options.cwd ?? REPO_ROOT,
    env: cleanEnv({
      ...options.env,
      ...(options.fileLimit !== undefined ? { FILE_LIMIT: String(options.fileLimit) } : {}),
      ...(options.addressSpaceLimit !== undefined ? { ADDRESS_SPACE_LIMIT: String(options.addressSpaceLimit) } : {}),
      ...(options.fileSizeLimit !== undefined ? { FILE_SIZE_LIMIT: String(options.fileSizeLimit) } : {}),
    }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // A run that ends before it has read all of standard input (a refusal at start) closes the pipe: the write's EPIPE
  // is the run's to have caused, not an uncaught exception of the test run.
  child.stdin.on('error', () => undefined);
  if (options.input !== undefined) child.stdin.end(options.input);
  else child.stdin.end();
  const result = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  endWithTheTest(child);
  return Object.assign(child, { result, said: () => ({ stdout, stderr }) });
}

/**
 * A run the test started is ended with it: a test that timed out (a slow machine) left its run going, which went on
 * sending to its file's shared server, and the next tests' request counts were off (251 where 100, a CI run at load 20),
 * hiding which test had failed. A run started outside a test (beforeAll) is its file's to end.
 */
function endWithTheTest(child: ChildProcess): void {
  try {
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
  } catch {
    // Not inside a test.
  }
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return spawnCli(args, options).result;
}

export function tempDir(prefix = 'sb-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every line on stderr parsed as JSON: throws on a line that is not (with JSON logs asked for, none may be plain). */
export function everyLineJson(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Parses pino JSON lines from stderr, ignoring anything else. */
export function logLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The messages of the warn lines (level 40) among pino JSON lines on stderr, in order. */
export function warnMessages(stderr: string): string[] {
  return logLines(stderr)
    .filter((line) => line['level'] === 40)
    .map((line) => String(line['msg']));
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * waitFor a moment of a running CLI (a request in flight, a line it logs): a run that has ended first fails at once,
 * with its exit and standard error, rather than be waited for until the deadline. The deadline is a bound against a
 * hang, not a speed check: at load average 12-14 on 2 cores three 120-row runs took 116 s, and with the CLI given a
 * tenth of a core the 30 s deadlines these waits had timed out, the run healthy; 120 s stays within the slow tier's 180 s.
 */
export async function waitWhileRunning(child: CliChild, check: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  await waitFor(() => check() || child.exitCode !== null || child.signalCode !== null, timeoutMs, what);
  if (check()) return;
  const ended = await child.result;
  throw new Error(`the CLI ended (exit ${ended.code}, signal ${ended.signal}) before ${what}: ${ended.stderr.slice(-1000)}`);
}

/** Reads the checkpoint's row count, or -1 while there is none (or it is being replaced). */
export function rowsCheckpointed(output: string): number {
  try {
    return (JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as { position: { nextIndex: number } }).position.nextIndex;
  } catch {
    return -1;
  }
}
