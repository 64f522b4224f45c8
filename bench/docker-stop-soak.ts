/**
 * The container stopped at random moments, as an operator's scheduler does it: rounds of one
 * job run by `docker run` on a fresh copy of a data folder, cut by `docker stop -t N` (N from 0
 * to beyond `--grace`), `docker kill` (SIGKILL) or `docker kill -s TERM` twice, 0–8 s after the
 * start, then run again until it exits 0 with nothing left to mend, and checked against one
 * uncut container run of the same setup:
 *
 * - the output is byte-identical to the reference's;
 * - nothing is left beside it but its checkpoint and the summary (no lock, `.partial`,
 *   `.journal`, `.failed-rows`, temp files);
 * - every exit code is one docs/container.md gives for what was done (130 for a stop the
 *   program saw, 143 for one that met Node still booting (the image's tini passes it on), 137 for a kill
 *   and never for a stop of 1 s or more that came after the program had logged a line (`docker logs -t`), 0 for a
 *   run the signal came too late for; the first run after a kill takes the dead run's lock
 *   over instead of exiting 75), and no exit but 137 leaves the lock behind;
 * - after every run `--summary-json` is that run's (its exitCode is the container's, its
 *   finishedAt after the start), or the previous one untouched where docs say so (137, 143; a
 *   signal before the flags were read or while the run waited for a lock); the last one's
 *   totals are the reference's, and one more run is "already done" and changes nothing; the
 *   summary is readable by others (a monitor may run as another user); a mend stopped by a
 *   signal leaves the output as it was and says `outputComplete`.
 *
 * Setups: 3,000 rows (quotes, line breaks, CRLF, unicode, emoji) as CSV and as JSONL, scored
 * by Workers AI through a local `serve` on the host (`--network host`, credentials, latency,
 * 2 % 500s while cut, so the retries, the journal and the checkpoints run), or 24,000 rows of
 * the same kind by the embedded model (no credentials; it scores 3,000 in well under a
 * second), all through a job file at /jobs like jobs/docker-nightly.json (cache and summary
 * under /data), with a read-only root and no capabilities. Rounds are of three kinds:
 * - stop: 1–3 cuts, then runs until done;
 * - mend: a first run that leaves rows failed (serve answering 10 % with 500, one attempt),
 *   then the rerun that mends them cut, then runs until done;
 * - pair: two containers started at once on the same folder: one exits 75 (or waits and
 *   finds the job done), the other finishes.
 *
 * Needs a Docker engine and the image (`docker build --network host -t sentiment-batch .`;
 * ../shared/tools/docker-base-image.sh 24 provides both engine and base image where missing).
 * Environment:
 *   DOCKER_SOAK_IMAGE    image (default sentiment-batch)
 *   DOCKER_SOAK_MINUTES  how long to start new rounds for (default 10)
 *   DOCKER_SOAK_ROUNDS   stop after this many rounds (default: the time decides)
 *   DOCKER_SOAK_SEED     seed (default from the clock; printed)
 *   DOCKER_SOAK_ROWS     rows of each input for serve (default 3000); the embedded model's are 8 times
 *                        as many (the first 3000 and more like them), so that its run lasts a few seconds too
 *   DOCKER_SOAK_KINDS    round kinds to pick from, comma-separated (default stop,stop,stop,mend,pair)
 *   DOCKER_SOAK_FAIL_DIR where failed rounds are kept: <dir>-1, <dir>-2, … (default /tmp/docker-soak-fail)
 *
 * `npm run bench -- docker-stop-soak`. Not part of `npm test`.
 */
import { spawn } from 'node:child_process';
import { chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServe } from './support.js';
import { seededPicks, type SeededPicks as Rng } from './seeded-picks.js';

// ---------------------------------------------------------------- inputs

const WORDS = ['great', 'awful', 'love', 'hate', 'battery', 'screen', 'service', 'room', 'staff', 'price', 'fast', 'slow', 'broken', 'perfect', 'noisy', 'clean', 'would', 'buy', 'again', 'never', 'the', 'and', 'was', 'very', 'not', "didn't", 'but', 'excellent', 'terrible', 'refund'];
const EXOTIC = ['café', 'naïve', 'Straße', '日本語のレビュー', '很好', '별로예요', 'שלום', 'مرحبا', '😀', '😡', '👍🏽', '👩‍💻', 'e\u0301', '“smart quotes”', '—', '…', '\u00a0', 'İstanbul'];

/** A review: words, some exotic, some quoted, some line breaks; every tenth a repeat of an earlier one. */
function reviews(rows: number, r: Rng): string[] {
  const texts: string[] = [];
  for (let i = 0; i < rows; i++) {
    if (i > 10 && r.chance(0.1)) {
      texts.push(r.pick(texts));
      continue;
    }
    const words: string[] = [];
    for (let k = r.int(2, 40); k > 0; k--) {
      words.push(r.chance(0.12) ? r.pick(EXOTIC) : r.pick(WORDS));
      const p = r.next();
      if (p < 0.03) words.push('"quoted"');
      else if (p < 0.05) words.push(r.pick(['\n', '\r\n', '\n\n']));
      else if (p < 0.08) words.push(',');
    }
    texts.push(`${words.join(' ')} #${i}`);
  }
  return texts;
}

function csvInput(texts: string[]): string {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return `id,title,review,stars\r\n${texts.map((text, i) => `${i},${cell(`Title ${i % 97}, "t"`)},${cell(text)},${(i % 5) + 1}\r\n`).join('')}`;
}

function jsonlInput(texts: string[]): string {
  return texts.map((text, i) => `${JSON.stringify({ id: i, review: { body: text, lang: 'en' }, stars: (i % 5) + 1 })}\n`).join('');
}

// ---------------------------------------------------------------- docker

interface Done {
  code: number;
  stdout: string;
  stderr: string;
}

function sh(command: string, args: string[]): Promise<Done> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
const docker = (...args: string[]) => sh('docker', args);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- setups

interface Setup {
  name: string;
  format: 'csv' | 'jsonl';
  backend: 'embedded' | 'serve';
  /** The job file's content (paths under /data). */
  job: Record<string, unknown>;
}

const GRACE_S = 3;
const OUTPUT = (format: string) => `/data/out/reviews.scored.${format}`;

function setupsFor(): Setup[] {
  const setups: Setup[] = [];
  for (const backend of ['embedded', 'serve'] as const) {
    for (const format of ['csv', 'jsonl'] as const) {
      const job: Record<string, unknown> = {
        input: `/data/in/reviews.${format}`,
        output: OUTPUT(format),
        ...(format === 'csv' ? { textColumn: 'review' } : { textField: 'review.body' }),
        cache: '/data/cache',
        summaryJson: '/data/out/reviews.summary.json',
        longText: 'truncate',
        progress: 'off',
        grace: `${GRACE_S}s`,
        checkpointInterval: '500ms',
      };
      if (backend === 'serve') Object.assign(job, { rpm: 100000, concurrency: 16, maxAttempts: 3, timeout: '5s', maxErrorRate: 1 });
      setups.push({ name: `${backend}-${format}`, format, backend, job });
    }
  }
  return setups;
}

// ---------------------------------------------------------------- runs

type Cut =
  | { how: 'stop'; timeout: number; atMs: number }
  | { how: 'kill'; atMs: number }
  | { how: 'term-twice'; gapMs: number; atMs: number };

interface Run {
  label: string;
  code: number;
  ms: number;
  cut?: Cut;
  /** When the cut was sent, ms after the start; undefined: the container had ended before. */
  cutSentMs?: number;
  /** The cut's wall-clock time (Date.now()), to compare with the log's timestamps. */
  cutSentAt?: number;
  /** How long `docker stop` took. */
  stopMs?: number;
  log: string;
  summaryBefore?: string;
  summaryAfter?: string;
}

interface Context {
  image: string;
  serveUrl: string;
  port: number;
  asRoot: boolean;
  work: string;
}

let containerCount = 0;
const liveContainers = new Set<string>();

function dockerArgs(ctx: Context, setup: Setup, dir: string, name: string): string[] {
  // As the deployment runs it (jobs/kubernetes/cronjob.yaml): read-only root, no capabilities.
  const args = ['--name', name, '--read-only', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges', '-v', `${dir}/data:/data`, '-v', `${dir}/jobs:/jobs:ro`];
  if (!ctx.asRoot) args.push('--user', `${process.getuid?.()}:${process.getgid?.()}`);
  if (setup.backend === 'serve') {
    args.push('--network', 'host', '-e', 'CLOUDFLARE_ACCOUNT_ID=soak', '-e', 'CLOUDFLARE_API_TOKEN=soak-token', '-e', `CLOUDFLARE_BASE_URL=${ctx.serveUrl}/client/v4`);
  }
  return [...args, ctx.image, 'run', '/jobs/job.json'];
}

function summaryText(dir: string): string | undefined {
  try {
    return readFileSync(path.join(dir, 'data/out/reviews.summary.json'), 'utf8');
  } catch {
    return undefined;
  }
}

/** One container run, cut as `cut` says; waits for its end. */
async function runContainer(ctx: Context, setup: Setup, dir: string, label: string, cut?: Cut): Promise<Run> {
  const name = `sb-dockstop-${process.pid}-${++containerCount}`;
  const summaryBefore = summaryText(dir);
  const started = performance.now();
  const up = await docker('run', '-d', ...dockerArgs(ctx, setup, dir, name));
  liveContainers.add(name);
  if (up.code !== 0) throw new Error(`docker run failed: ${up.stderr}`);
  const run: Run = { label, code: -1, ms: 0, log: '', summaryBefore, ...(cut ? { cut } : {}) };
  if (cut) {
    await sleep(Math.max(0, cut.atMs - (performance.now() - started)));
    const running = (await docker('inspect', '-f', '{{.State.Running}}', name)).stdout.trim() === 'true';
    if (running) {
      run.cutSentMs = Math.round(performance.now() - started);
      run.cutSentAt = Date.now();
      if (cut.how === 'stop') {
        const t0 = performance.now();
        await docker('stop', '-t', String(cut.timeout), name);
        run.stopMs = Math.round(performance.now() - t0);
      } else if (cut.how === 'kill') await docker('kill', name);
      else {
        await docker('kill', '-s', 'TERM', name);
        await sleep(cut.gapMs);
        await docker('kill', '-s', 'TERM', name);
      }
    }
  }
  const waited = await docker('wait', name);
  run.code = Number(waited.stdout.trim());
  run.ms = Math.round(performance.now() - started);
  // With the daemon's timestamps: a line logged before the signal proves the program (and its handlers) ran by then.
  const logs = await docker('logs', '-t', name);
  run.log = logs.stdout + logs.stderr;
  await docker('rm', '-f', '-v', name);
  liveContainers.delete(name);
  run.summaryAfter = summaryText(dir);
  writeFileSync(path.join(dir, 'logs', `${label}.log`), run.log);
  return run;
}

/** Starts a container without waiting; `finish` waits for it and returns its run. */
async function startContainer(ctx: Context, setup: Setup, dir: string, label: string): Promise<() => Promise<Run>> {
  const name = `sb-dockstop-${process.pid}-${++containerCount}`;
  const started = performance.now();
  const up = await docker('run', '-d', ...dockerArgs(ctx, setup, dir, name));
  liveContainers.add(name);
  if (up.code !== 0) throw new Error(`docker run failed: ${up.stderr}`);
  return async () => {
    const waited = await docker('wait', name);
    const logs = await docker('logs', name);
    await docker('rm', '-f', '-v', name);
    liveContainers.delete(name);
    const run: Run = { label, code: Number(waited.stdout.trim()), ms: Math.round(performance.now() - started), log: logs.stdout + logs.stderr, summaryAfter: summaryText(dir) };
    writeFileSync(path.join(dir, 'logs', `${label}.log`), run.log);
    return run;
  };
}

// ---------------------------------------------------------------- checks

const said = (run: Run, text: string) => run.log.includes(text);
/** The signal came before the program read its flags (or while it waited for another run's lock): no summary is written. */
const untouchedSummaryAllowed = (run: Run) => said(run, 'nothing under way to save') || said(run, 'watching its heartbeat') || !/"msg"|\bINFO\b|level/.test(run.log);

/**
 * The program logged a line before `at` (`docker logs -t` timestamps): it was running, its signal handlers in place. A
 * signal before that may have met Node still booting, which ends it (143: the image's tini passes it on; node as PID 1
 * would ignore it) (docs/container.md, "Stopping: signals").
 */
function loggedBefore(run: Run, at: number | undefined): boolean {
  if (at === undefined) return false;
  return run.log.split('\n').some((line) => {
    const stamp = Date.parse(line.slice(0, line.indexOf(' ')));
    return Number.isFinite(stamp) && stamp < at;
  });
}

function parse(text: string | undefined): Record<string, any> | undefined {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as Record<string, any>);
  } catch {
    return undefined;
  }
}

/** What docs/container.md allows a run to end with, and its summary to be. */
function runProblems(run: Run): string[] {
  const problems: string[] = [];
  const where = `${run.label} (${run.cut ? `${describeCut(run.cut)}${run.cutSentMs === undefined ? ', sent after it had ended' : ` sent at ${run.cutSentMs} ms`}${run.stopMs !== undefined ? `, docker stop took ${run.stopMs} ms` : ''}` : 'not cut'})`;
  const cut = run.cutSentMs !== undefined ? run.cut : undefined;
  let allowed: number[];
  if (!cut) allowed = [0];
  else if (cut.how === 'kill') allowed = [137, 0];
  else if (cut.how === 'stop') allowed = cut.timeout === 0 ? [137, 130, 143, 0] : [130, 143, 0, 137];
  else allowed = [130, 143, 0];
  if (!allowed.includes(run.code)) problems.push(`${where}: exit ${run.code}, expected ${allowed.join(' or ')}: ${lastLines(run.log)}`);
  // A stop with time to spare that still ended in SIGKILL: the program did not stop within the timeout.
  if (cut?.how === 'stop' && cut.timeout >= 1 && run.code === 137 && loggedBefore(run, run.cutSentAt)) problems.push(`${where}: exit 137: not stopped within docker stop -t ${cut.timeout} (answers take at most 150 ms): ${lastLines(run.log)}`);
  const after = parse(run.summaryAfter);
  if (run.code === 137 || run.code === 143) {
    // 143: SIGTERM's default action while Node itself started, before the program's first line: nothing written.
    if (run.summaryAfter !== run.summaryBefore) problems.push(`${where}: exit ${run.code} but --summary-json changed`);
  } else if (run.summaryAfter === run.summaryBefore && untouchedSummaryAllowed(run) && run.code === 130) {
    // An early signal or one during the lock wait: docs say the summary is left as it is.
  } else if (!after) problems.push(`${where}: exit ${run.code} and no readable --summary-json`);
  else {
    if (after.exitCode !== run.code) problems.push(`${where}: --summary-json says exitCode ${after.exitCode} (${after.status}), the container exited ${run.code}`);
    if (run.summaryAfter === run.summaryBefore) problems.push(`${where}: --summary-json is the previous run's`);
    if (run.code === 130 && after.status !== 'interrupted') problems.push(`${where}: exit 130 but status ${after.status}`);
    for (const [name, t] of [['totals', after.totals], ['run.totals', after.run?.totals]] as const) {
      if (t && t.scored + t.skipped + t.failed !== t.read) problems.push(`${where}: ${name} read ${t.read} != scored ${t.scored} + skipped ${t.skipped} + failed ${t.failed}`);
    }
  }
  if (cut?.how === 'term-twice' && run.code === 130 && after && run.summaryAfter !== run.summaryBefore && /second SIG/.test(run.log) && !/second SIGTERM/.test(String(after.message ?? JSON.stringify(after)))) problems.push(`${where}: a second SIGTERM, but the summary does not say so: ${String(after.message)}`);
  return problems;
}

function lastLines(log: string): string {
  return log.trim().split('\n').slice(-2).join(' | ').slice(0, 500);
}

function describeCut(cut: Cut): string {
  return cut.how === 'stop' ? `docker stop -t ${cut.timeout} at ${cut.atMs} ms` : cut.how === 'kill' ? `docker kill at ${cut.atMs} ms` : `docker kill -s TERM twice (${cut.gapMs} ms apart) at ${cut.atMs} ms`;
}

/** Files the job may leave beside its output when done. */
function leftovers(dir: string, setup: Setup): string[] {
  const out = path.basename(OUTPUT(setup.format));
  const allowed = new Set([out, `${out}.checkpoint.json`, 'reviews.summary.json']);
  const left = readdirSync(path.join(dir, 'data/out')).filter((name) => !allowed.has(name));
  const top = readdirSync(path.join(dir, 'data')).filter((name) => !['in', 'out', 'cache'].includes(name));
  const inLeft = readdirSync(path.join(dir, 'data/in')).filter((name) => name !== `reviews.${setup.format}`);
  return [...left.map((n) => `out/${n}`), ...top, ...inLeft.map((n) => `in/${n}`)];
}

// ---------------------------------------------------------------- rounds

interface Reference {
  output: Buffer;
  totals: Record<string, number>;
  ms: number;
}

interface RoundResult {
  seed: number;
  kind: string;
  setup: string;
  ok: boolean;
  problems: string[];
  runs: Run[];
  seconds: number;
  savedTo?: string;
}

async function setFaults(ctx: Context, faults: Record<string, unknown>): Promise<void> {
  const answer = await fetch(`${ctx.serveUrl}/__control/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seed: 1, ...faults }) });
  if (!answer.ok) throw new Error(`setting faults: ${answer.status} ${await answer.text()}`);
}
const QUIET = { latency: '20-150ms' };
const CUT_FAULTS = { latency: '20-150ms', failRate: 0.02 };
const MEND_FAULTS = { latency: '100-300ms', failRate: 0.1 };

/** A fresh folder: data/in with the input, data/out, jobs/job.json; owned by uid 1000 when we are root. */
function freshFolder(ctx: Context, dir: string, setup: Setup, input: Buffer, jobExtra: Record<string, unknown> = {}): void {
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ['data/in', 'data/out', 'jobs', 'logs']) mkdirSync(path.join(dir, sub), { recursive: true });
  writeFileSync(path.join(dir, `data/in/reviews.${setup.format}`), input);
  writeFileSync(path.join(dir, 'jobs/job.json'), JSON.stringify({ ...setup.job, ...jobExtra }, null, 2));
  if (ctx.asRoot) for (const sub of ['data', 'data/in', 'data/out', `data/in/reviews.${setup.format}`]) chownSync(path.join(dir, sub), 1000, 1000);
}

function randomCut(r: Rng, refMs: number): Cut {
  // 0–8 s after the start, but not long after the uncut run would have ended (the embedded model takes a few seconds).
  const atMs = r.int(0, Math.min(8000, Math.round(refMs * 1.2)));
  const p = r.next();
  if (p < 0.5) return { how: 'stop', timeout: r.pick([0, 0, 1, 2, GRACE_S - 1, GRACE_S + 5]), atMs };
  if (p < 0.8) return { how: 'kill', atMs };
  return { how: 'term-twice', gapMs: r.int(0, 800), atMs };
}

async function runRound(ctx: Context, seed: number, kind: string, setup: Setup, input: Buffer, ref: Reference): Promise<RoundResult> {
  const t0 = performance.now();
  const r = seededPicks(seed);
  const dir = path.join(ctx.work, `round-${seed}`);
  const runs: Run[] = [];
  const problems: string[] = [];
  const serve = setup.backend === 'serve';
  const once = async (label: string, cut?: Cut) => {
    const run = await runContainer(ctx, setup, dir, label, cut);
    runs.push(run);
    problems.push(...runProblems(run));
    // The summary is readable by others, as the output is (a monitor may run as another user).
    const summaryFile = path.join(dir, 'data/out/reviews.summary.json');
    if (existsSync(summaryFile) && (statSync(summaryFile).mode & 0o044) === 0) problems.push(`${label}: --summary-json is owner-only (${(statSync(summaryFile).mode & 0o777).toString(8)})`);
    // Only a SIGKILL leaves the lock behind (docs/container.md, exit 137); a run stopped while it waited for a killed
    // run's lock leaves that one, as it was.
    if (run.code !== 137 && !said(run, 'stopped while waiting for the lock') && existsSync(path.join(dir, `data/out/reviews.scored.${setup.format}.lock`))) problems.push(`${label}: exit ${run.code} left the output's lock behind`);
    return run;
  };
  try {
    if (kind === 'mend') {
      // One attempt per row and 10 % 500s: the first run completes with rows failed, listed for the rerun.
      freshFolder(ctx, dir, setup, input, { maxAttempts: 1 });
      await setFaults(ctx, MEND_FAULTS);
      const first = await once('first');
      const failed = parse(first.summaryAfter)?.failedRows?.retry ?? 0;
      if (first.code !== 0 || failed === 0 || !existsSync(path.join(dir, `data/out/reviews.scored.${setup.format}.failed-rows`))) problems.push(`mend: the first run should leave rows to mend: exit ${first.code}, failedRows.retry ${failed}`);
      const cut: Cut = { ...randomCut(r, 4000), atMs: r.int(500, 5000) };
      const outputFile = path.join(dir, `data/out/reviews.scored.${setup.format}`);
      const complete = readFileSync(outputFile);
      const mend = await once('mend-cut', cut);
      // A mend stopped by a signal or killed leaves the output complete and unchanged (docs/durability.md, "Failed rows are mended").
      if (mend.code !== 0 && !readFileSync(outputFile).equals(complete)) problems.push(`mend-cut: exit ${mend.code} but the output changed`);
      const stopped = parse(mend.summaryAfter);
      if (mend.code === 130 && mend.summaryAfter !== mend.summaryBefore && stopped?.outputComplete !== true) problems.push(`mend-cut: exit 130 but --summary-json has no outputComplete: true (${stopped?.message})`);
    } else if (kind === 'pair') {
      freshFolder(ctx, dir, setup, input);
      if (serve) await setFaults(ctx, QUIET);
      const a = await startContainer(ctx, setup, dir, 'pair-a');
      const b = await startContainer(ctx, setup, dir, 'pair-b');
      const [ra, rb] = await Promise.all([a(), b()]);
      runs.push(ra, rb);
      const codes = [ra.code, rb.code].sort().join(',');
      if (codes !== '0,75' && codes !== '0,0') problems.push(`pair: exit codes ${ra.code} and ${rb.code}, expected 0 and 75 (or 0 and 0, the second finding the job done): ${lastLines(ra.log)} || ${lastLines(rb.log)}`);
      const refused = [ra, rb].find((run) => run.code === 75);
      if (refused && !said(refused, 'another run is writing')) problems.push(`pair: the refused run does not say another run is writing: ${lastLines(refused.log)}`);
      const summary = parse(summaryText(dir));
      if (summary?.exitCode !== 0) problems.push(`pair: the summary left says exitCode ${summary?.exitCode}, status ${summary?.status}: the refused run wrote it`);
    } else {
      freshFolder(ctx, dir, setup, input);
      if (serve) await setFaults(ctx, CUT_FAULTS);
      for (let i = 0, cuts = r.int(1, 3); i < cuts; i++) {
        const run = await once(`cut-${i + 1}`, randomCut(r, ref.ms));
        if (run.code === 0 && (parse(run.summaryAfter)?.failedRows?.retry ?? 0) === 0) break;
      }
    }
    // Runs again, the faults off, until exit 0 with nothing to mend.
    if (serve) await setFaults(ctx, QUIET);
    for (let i = 0; i < 5 && kind !== 'pair'; i++) {
      const last = runs.at(-1);
      if (last && last.code === 0 && (parse(last.summaryAfter)?.failedRows?.retry ?? 0) === 0) break;
      await once(`again-${i + 1}`);
    }
    const last = kind === 'pair' ? (runs.find((run) => run.code === 0) ?? (runs.at(-1) as Run)) : (runs.at(-1) as Run);
    const outputFile = path.join(dir, `data/out/reviews.scored.${setup.format}`);
    if (!existsSync(outputFile)) problems.push(`no output after ${runs.length} runs (last exit ${last.code})`);
    else {
      const before = readFileSync(outputFile);
      const final = parse(last.summaryAfter);
      const again = await once('already-done');
      const doneSummary = parse(again.summaryAfter);
      if (again.code !== 0 || doneSummary?.status !== 'already-done') problems.push(`one more run: exit ${again.code}, status ${doneSummary?.status} (expected 0, already-done): ${lastLines(again.log)}`);
      const got = readFileSync(outputFile);
      if (!got.equals(before)) problems.push('one more run changed the output');
      if (!got.equals(ref.output)) problems.push(`output differs from the reference: ${got.length} bytes vs ${ref.output.length}, first difference at byte ${firstDifference(got, ref.output)}`);
      const left = leftovers(dir, setup);
      if (left.length > 0) problems.push(`left beside the output: ${left.join(', ')}`);
      for (const [label, summary] of [['last run', final], ['already-done run', doneSummary]] as const) {
        for (const key of ['read', 'scored', 'skipped', 'failed']) {
          if (summary?.totals?.[key] !== ref.totals[key]) problems.push(`${label}: totals.${key} ${summary?.totals?.[key]}, the reference ${ref.totals[key]}`);
        }
        if ((summary?.failedRows?.retry ?? 0) !== 0) problems.push(`${label}: failedRows ${JSON.stringify(summary?.failedRows)}`);
      }
    }
  } catch (error) {
    problems.push(`the soak itself failed: ${(error as Error).stack ?? String(error)}`);
  }
  const result: RoundResult = { seed, kind, setup: setup.name, ok: problems.length === 0, problems, runs, seconds: (performance.now() - t0) / 1000 };
  if (!result.ok) result.savedTo = keep(dir, result);
  else rmSync(dir, { recursive: true, force: true });
  return result;
}

function firstDifference(a: Buffer, b: Buffer): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function keep(dir: string, result: RoundResult): string {
  const base = process.env.DOCKER_SOAK_FAIL_DIR ?? '/tmp/docker-soak-fail';
  let k = 1;
  while (existsSync(`${base}-${k}`)) k++;
  const target = `${base}-${k}`;
  cpSync(dir, target, { recursive: true });
  writeFileSync(path.join(target, 'FAILURE.json'), JSON.stringify({ ...result, runs: result.runs.map(({ log: _log, ...run }) => run) }, null, 2));
  rmSync(dir, { recursive: true, force: true });
  return target;
}

async function reference(ctx: Context, setup: Setup, input: Buffer): Promise<Reference> {
  const dir = path.join(ctx.work, `ref-${setup.name}`);
  freshFolder(ctx, dir, setup, input);
  if (setup.backend === 'serve') await setFaults(ctx, QUIET);
  const run = await runContainer(ctx, setup, dir, 'ref');
  const summary = parse(run.summaryAfter);
  if (run.code !== 0 || !summary) throw new Error(`reference ${setup.name}: exit ${run.code}: ${lastLines(run.log)}`);
  return { output: readFileSync(path.join(dir, `data/out/reviews.scored.${setup.format}`)), totals: summary.totals as Record<string, number>, ms: run.ms };
}

// ---------------------------------------------------------------- the soak

export async function run(): Promise<Record<string, unknown>> {
  const image = process.env.DOCKER_SOAK_IMAGE ?? 'sentiment-batch';
  const minutes = Number(process.env.DOCKER_SOAK_MINUTES ?? 10);
  const maxRounds = process.env.DOCKER_SOAK_ROUNDS ? Number(process.env.DOCKER_SOAK_ROUNDS) : Infinity;
  const seed = Number(process.env.DOCKER_SOAK_SEED ?? Date.now() % 1_000_000_007);
  const rows = Number(process.env.DOCKER_SOAK_ROWS ?? 3000);
  const kinds = (process.env.DOCKER_SOAK_KINDS ?? 'stop,stop,stop,mend,pair').split(',');
  if ((await docker('image', 'inspect', image)).code !== 0) throw new Error(`no image ${image}: docker build --network host -t ${image} . first (DOCKER_SOAK_IMAGE names another)`);
  const server = await startServe(['--host', '127.0.0.1', '--seed', '1']);
  const work = mkdtempSync(path.join(tmpdir(), 'docker-stop-soak-'));
  const ctx: Context = { image, serveUrl: server.url, port: Number(new URL(server.url).port), asRoot: process.getuid?.() === 0, work };
  const cleanup = async () => {
    for (const name of liveContainers) await docker('rm', '-f', '-v', name);
    server.stop();
  };
  // Stopped early (Ctrl-C, kill): the containers, the server and the work folder go too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanup().then(() => {
      rmSync(work, { recursive: true, force: true });
      process.exit(130);
    }));
  }
  const started = performance.now();
  const results: RoundResult[] = [];
  try {
    const texts = reviews(rows * 8, seededPicks(seed));
    const inputs = {
      serve: { csv: Buffer.from(csvInput(texts.slice(0, rows))), jsonl: Buffer.from(jsonlInput(texts.slice(0, rows))) },
      embedded: { csv: Buffer.from(csvInput(texts)), jsonl: Buffer.from(jsonlInput(texts)) },
    };
    const setups = setupsFor();
    const refs = new Map<string, Reference>();
    for (const setup of setups) {
      refs.set(setup.name, await reference(ctx, setup, inputs[setup.backend][setup.format]));
      console.log(`reference ${setup.name}: ${setup.backend === 'serve' ? rows : rows * 8} rows in ${(refs.get(setup.name)!.ms / 1000).toFixed(1)} s`);
    }
    const r = seededPicks(seed);
    for (let i = 0; i < maxRounds && performance.now() - started < minutes * 60_000; i++) {
      const kind = r.pick(kinds);
      const setup = kind === 'mend' ? r.pick(setups.filter((s) => s.backend === 'serve')) : r.pick(setups);
      const roundSeed = r.int(1, 2_147_483_646);
      const result = await runRound(ctx, roundSeed, kind, setup, inputs[setup.backend][setup.format], refs.get(setup.name)!);
      results.push(result);
      const codes = result.runs.map((run) => `${run.cut && run.cutSentMs !== undefined ? `${describeCut(run.cut)}→` : ''}${run.code}`).join(', ');
      console.log(`round ${i + 1} ${kind} ${setup.name} seed ${roundSeed}: ${result.ok ? 'ok' : `FAIL -> ${result.savedTo}`} (${result.seconds.toFixed(0)} s; ${codes})`);
      for (const problem of result.problems) console.log(`    ${problem}`);
    }
  } finally {
    await cleanup();
    rmSync(work, { recursive: true, force: true });
  }
  const failed = results.filter((result) => !result.ok);
  const summary = {
    seed,
    rows,
    rounds: results.length,
    byKind: Object.fromEntries(kinds.map((kind) => [kind, results.filter((result) => result.kind === kind).length])),
    runs: results.reduce((sum, result) => sum + result.runs.length, 0),
    cut: results.reduce((sum, result) => sum + result.runs.filter((run) => run.cut && run.cutSentMs !== undefined).length, 0),
    failures: failed.map((result) => ({ seed: result.seed, kind: result.kind, setup: result.setup, savedTo: result.savedTo, problems: result.problems })),
    seconds: Math.round((performance.now() - started) / 1000),
  };
  console.log(`docker-stop-soak: ${summary.rounds} rounds, ${summary.runs} container runs, ${summary.cut} cut, ${failed.length} failed, ${summary.seconds} s (seed ${seed})`);
  return summary;
}
