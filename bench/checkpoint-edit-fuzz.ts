/**
 * Fuzz of hand edits between a killed run and its resume: per seed, a CSV export (60–400 rows, quoted line breaks,
 * repeated texts, LF or CRLF); a reference run that was never cut; the same job against a local `serve` (latency, now
 * and then 500s) killed by SIGKILL once its checkpoint holds a random share of the rows; one or two random edits to
 * its `<output>.checkpoint.json` and `<output>.journal` (bench/checkpoint-edits.ts: removed, emptied, cut, a byte
 * flipped, a field dropped, retyped or changed, journal lines doubled, dropped, swapped, garbage, a header field
 * changed, an index changed); then the resume. The oracle:
 *
 * - no run is exit 1, says `internal error` or prints a stack line, and every exit code is one docs/exit-codes.md
 *   documents (0, 2, 3, 5, 74, 75);
 * - a resume that ends 0 (after reruns that mend rows left failed, exit 5) wrote the reference's bytes, left nothing
 *   beside its output but its checkpoint (no `.partial`, `.journal`, `.lock`, `.failed-rows`, `.next`, `.tmp-PID`),
 *   and one more run says it is already done, exit 0;
 * - a resume that refuses says so on standard error, and the same command with `--restart` then reaches the above.
 *
 * An edit marked "(semantic)" (an answer's label swapped in the journal, which carries no check of its own lines) may
 * show in the output: that is reported on the case's line, not failed.
 *
 * Environment:
 *   EDIT_FUZZ_SEED      first seed (default 1); cases use SEED, SEED+1, ...
 *   EDIT_FUZZ_CASES     how many cases (default 200)
 *   EDIT_FUZZ_MINUTES   stop starting cases after this long (default 10)
 *   EDIT_FUZZ_FAIL_DIR  where a failing case's folder is kept: <dir>/<seed> (default /tmp/edit-fuzz-fail)
 *
 * `npm run bench -- checkpoint-edit-fuzz`. Not part of `npm test`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, runFuzzSeeds, startServe } from './support.js';
import { seededPicks, type SeededPicks } from './seeded-picks.js';
import { editCheckpoint, editJournal } from './checkpoint-edits.js';
import { cleanEnv, rowsCheckpointed } from '../test/support/cli.js';
import { workersAiEnv } from '../test/support/workers-ai-env.js';

const WORDS = ['great', 'awful', 'love', 'hate', 'battery', 'screen', 'service', 'room', 'staff', 'price', 'fast', 'slow', 'broken', 'perfect', 'noisy', 'clean', 'never', 'again', 'très', 'bien', '😀', 'the', 'was', 'not', 'refund'];
const LEFTOVER = /\.(partial|journal|lock|failed-rows|next|tmp-\d+)$/;
const DOCUMENTED = new Set([0, 2, 3, 5, 74, 75]);

interface Run {
  code: number;
  stderr: string;
}

function makeCsv(rng: SeededPicks): { bytes: Buffer; rows: number } {
  const rows = rng.int(60, 400);
  const eol = rng.chance(0.3) ? '\r\n' : '\n';
  let text = `id,review,stars${eol}`;
  for (let i = 0; i < rows; i++) {
    let review = Array.from({ length: rng.int(1, 12) }, () => rng.pick(WORDS)).join(' ');
    if (rng.chance(0.15)) review = 'great service'; // texts repeated, so answers are shared
    if (rng.chance(0.1)) review = `"${review}, ""quoted""\nline"`;
    text += `${i},${review},${rng.int(1, 5)}${eol}`;
  }
  return { bytes: Buffer.from(text), rows };
}

function runCli(args: string[], cwd: string, env: Record<string, string>, killWhen?: () => boolean): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: cleanEnv({ ...env, NO_COLOR: '1' }), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const poll = killWhen === undefined ? undefined : setInterval(() => killWhen() && child.kill('SIGKILL'), 15);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      resolve({ code: code ?? (signal === 'SIGKILL' ? 137 : 128), stderr });
    });
  });
}

async function setFaults(base: string, faults: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${base}/__control/faults`, { method: 'POST', body: JSON.stringify(faults), headers: { 'content-type': 'application/json' } });
  if (!response.ok) throw new Error(`serve refused the faults: ${response.status}`);
}

const lastLine = (text: string): string => text.trim().split('\n').pop()?.slice(0, 200) ?? '';

async function runCase(seed: number, dir: string, base: string): Promise<{ what: string; problems: string[]; commands: string[] }> {
  const rng = seededPicks(seed);
  const input = makeCsv(rng);
  writeFileSync(path.join(dir, 'in.csv'), input.bytes);
  const env = workersAiEnv({ baseURL: `${base}/client/v4` });
  const options = ['--checkpoint-interval', rng.pick(['100ms', '200ms', '500ms']), '--concurrency', String(rng.pick([1, 4, 16])), '--text-column', 'review', ...(rng.chance(0.3) ? ['--max-attempts', '2'] : [])];
  const job = ['score', 'in.csv', '-o', 'out.csv', ...options];
  const commands = [`node ${CLI} ${job.join(' ')}`];
  const problems: string[] = [];
  const notes: string[] = [];
  const judge = (run: Run, what: string, killed = false): void => {
    if (run.code === 1 || /internal error/i.test(run.stderr) || /^\s+at .*:\d+:\d+\)?$/m.test(run.stderr)) problems.push(`${what}: exit ${run.code}, a bug: ${run.stderr.slice(-800)}`);
    else if (!DOCUMENTED.has(run.code) && !(killed && run.code === 137)) problems.push(`${what}: exit ${run.code}, not a documented one: ${lastLine(run.stderr)}`);
  };

  // In a folder of its own: a completed job of the same input beside out.csv is one its runs would name.
  const referenceDir = path.join(dir, 'reference');
  mkdirSync(referenceDir);
  writeFileSync(path.join(referenceDir, 'in.csv'), input.bytes);
  await setFaults(base, {});
  const reference = await runCli(job, referenceDir, env);
  if (reference.code !== 0) return { what: `seed ${seed}`, problems: [`reference run: exit ${reference.code}: ${lastLine(reference.stderr)}`], commands };
  const expected = readFileSync(path.join(referenceDir, 'out.csv'));

  await setFaults(base, { seed, latency: '3-10ms', ...(rng.chance(0.3) ? { failRate: 0.1 } : {}) });
  const target = rng.int(1, Math.floor(input.rows * 0.7));
  const output = path.join(dir, 'out.csv');
  const cut = await runCli(job, dir, env, () => rowsCheckpointed(output) >= target);
  await setFaults(base, {});
  if (cut.code !== 137) notes.push(`the cut run ended ${cut.code} before its kill`);
  judge(cut, 'cut run', true);

  const edits: string[] = [];
  for (let n = rng.chance(0.35) ? 2 : 1; n > 0; n--) {
    const checkpoint = rng.chance(0.55);
    const file = `${output}.${checkpoint ? 'checkpoint.json' : 'journal'}`;
    edits.push(!existsSync(file) ? `no ${path.basename(file)}` : checkpoint ? editCheckpoint(file, rng) : editJournal(file, rng));
  }

  const resume = await runCli(job, dir, env);
  judge(resume, 'resume');
  let last = resume;
  let lastWhat = 'resume';
  if (resume.code !== 0 && resume.code !== 5 && problems.length === 0) {
    if (resume.stderr.trim() === '') problems.push(`resume: exit ${resume.code} and nothing said`);
    notes.push(`resume refused (${resume.code}): ${lastLine(resume.stderr)}`);
    last = await runCli([...job, '--restart'], dir, env);
    lastWhat = 'restart';
    judge(last, lastWhat);
  }
  for (let mends = 0; mends < 3 && last.code === 5; mends++) {
    last = await runCli(job, dir, env);
    lastWhat += ' then mend';
    judge(last, lastWhat);
  }
  if (last.code === 0) {
    const got = existsSync(output) ? readFileSync(output) : Buffer.alloc(0);
    if (!got.equals(expected)) {
      let at = 0;
      while (at < got.length && got[at] === expected[at]) at++;
      const differs = `${lastWhat}: exit 0 but the output differs from the reference's at byte ${at} (${got.length} bytes, the reference ${expected.length}): ${JSON.stringify(got.subarray(Math.max(0, at - 30), at + 30).toString())} for ${JSON.stringify(expected.subarray(Math.max(0, at - 30), at + 30).toString())}`;
      if (edits.some((edit) => edit.includes('(semantic)'))) notes.push(`the semantic edit shows: ${differs.slice(0, 160)}`);
      else problems.push(differs);
    }
    const left = readdirSync(dir).filter((name) => name.startsWith('out.csv') && LEFTOVER.test(name));
    if (left.length > 0) problems.push(`left beside the output: ${left.join(', ')}`);
    const again = await runCli(job, dir, env);
    if (again.code !== 0 || !/already done/i.test(again.stderr)) problems.push(`the run after it: exit ${again.code}, not already done: ${lastLine(again.stderr)}`);
  } else if (problems.length === 0) problems.push(`${lastWhat}: never reached exit 0 (exit ${last.code}): ${lastLine(last.stderr)}`);
  return { what: `seed ${seed} ${input.rows} rows, edits [${edits.join('; ')}], resume exit ${resume.code}${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`, problems, commands };
}

export async function run(): Promise<Record<string, unknown>> {
  const first = Number(process.env.EDIT_FUZZ_SEED ?? 1);
  const cases = Number(process.env.EDIT_FUZZ_CASES ?? 200);
  const minutes = Number(process.env.EDIT_FUZZ_MINUTES ?? 10);
  const failDir = process.env.EDIT_FUZZ_FAIL_DIR ?? '/tmp/edit-fuzz-fail';
  const work = mkdtempSync(path.join(tmpdir(), 'edit-fuzz-'));
  const server = await startServe(['--seed', '1']);
  const base = server.url;
  const started = performance.now();
  let done = 0;
  let failed: number[] = [];
  try {
    failed = await runFuzzSeeds({ first, cases, minutes, started, work, failDir }, async (seed, dir) => {
      const outcome = await runCase(seed, dir, base);
      done++;
      return outcome;
    });
  } finally {
    server.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`checkpoint-edit-fuzz: ${done} cases in ${seconds.toFixed(1)} s, seeds ${first}–${first + done - 1}; ${failed.length} failed${failed.length > 0 ? `: ${failed.join(', ')} (kept in ${failDir})` : ''}`);
  return { cases: done, seconds: Number(seconds.toFixed(1)), failedSeeds: failed };
}
