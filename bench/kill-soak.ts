/**
 * Randomized crash soak: rounds of one scoring job each, cut 1–4 times by
 * SIGKILL (sometimes SIGTERM, or two SIGTERMs) at random moments, then run to
 * the end, then checked against a reference run of the same job that was
 * never cut and saw no fault:
 *
 * - every exit code is one docs/exit-codes.md documents for what happened (a killed
 *   run: the signal or 130; a run that ended: 0, or 5 when rows failed), and
 *   the last run's is 0 and final (one more run says "already done", exit 0,
 *   and changes nothing);
 * - the output is byte-identical to the reference's;
 * - nothing is left beside the output but it and its checkpoint (no
 *   `.partial`, `.journal`, `.lock`, `.failed-rows`, `.next`, `.tmp-PID`);
 * - the summary JSON of every run is consistent (read = scored + skipped +
 *   failed, never more rows than the input) and the last one's totals are the
 *   reference's (rows read = input rows, every row scored once, none left to mend).
 *
 * Each round picks at random: the input's format (CSV with quoted line
 * breaks, CRLF/CR/LF endings, multibyte text, a BOM; or JSONL with nested
 * fields, blank lines, escapes), plain or gzip (sometimes two gzip members);
 * 50–2000 rows; the backend: the embedded model, or Workers AI through a local
 * `serve` with random faults (500s, capacity 429s, dropped, malformed, cut and
 * hung answers) and latency; options: `--cache` (none, fresh, or one shared by
 * all rounds), `--max-error-rate`, `--checkpoint-interval`, `--max-attempts`,
 * `--concurrency`, one or two text columns. The runs that are cut and the first
 * run after them see the faults; then faults are turned off and the job is run
 * again until it is done with no row left to mend. A cut comes at a share of
 * the reference run's time, once the checkpoint has passed a given row, once
 * `.partial` has reached a share of the output's size, or (a quarter of them)
 * right before or after the Nth rename onto one of the job's files (output,
 * checkpoint, failed-rows list, its `.next`, journal, lock): the run kills
 * itself there, by test/support/kill-at-rename.mjs preloaded.
 *
 * The server's answers are deterministic (the embedded model behind it): this
 * is checked first, by scoring one input twice through it.
 *
 * Environment:
 *   KILL_SOAK_SEED        seed of the whole soak (default: from the clock; printed)
 *   KILL_SOAK_MINUTES     how long to start new rounds for (default 3)
 *   KILL_SOAK_ROUNDS      stop after this many rounds (default: no limit but the time)
 *   KILL_SOAK_ROUND_SEED  run just the round of this seed (a failure's seed), once
 *   KILL_SOAK_FAIL_DIR    where failed rounds are saved: <dir>-1, <dir>-2, … (default /tmp/soak-fail)
 *   KILL_SOAK_KEEP        1: keep every round's folder (default: only failed ones are saved)
 *   KILL_SOAK_CRASH_POINTS 1: instead, cut one job once at each rename point (see crashPointPlans)
 *
 * `npm run bench -- kill-soak`. Not part of `npm test`.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CLI, REPO_ROOT, startServe } from './support.js';
import { seededPicks, type SeededPicks as Rng } from './seeded-picks.js';
import type { FaultOptions } from '../src/server/fault-config.js';
import { rowsCheckpointed } from '../test/support/cli.js';

// ---------------------------------------------------------------- inputs

const WORDS = ['great', 'awful', 'love', 'hate', 'battery', 'screen', 'service', 'room', 'staff', 'price', 'quality', 'fast', 'slow', 'broken', 'perfect', 'noisy', 'clean', 'would', 'buy', 'again', 'never', 'the', 'and', 'was', 'very', 'not', "didn't", 'dont', 'but', 'excellent', 'terrible', 'okay', 'refund', 'recommend'];
const EXOTIC = ['café', 'naïve', 'très bien', 'Straße', 'größer', '日本語のレビュー', '很好', '별로예요', 'שלום', 'مرحبا', '😀', '😡', '👍🏽', '👩‍💻', 'e\u0301', '\u200b', 'ﬁne', '½', '€12,50', '“smart quotes”', '—', '…', '\u00a0', 'İstanbul', 'ǅ'];

function reviewText(r: Rng, exotic: boolean): string {
  const n = r.chance(0.02) ? r.int(550, 800) : r.int(1, 40);
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    if (exotic && r.chance(0.15)) words.push(r.pick(EXOTIC));
    else words.push(r.pick(WORDS));
    const p = r.next();
    if (p < 0.04) words.push(',');
    else if (p < 0.06) words.push('"quoted"');
    else if (p < 0.08) words.push('.');
    else if (p < 0.095) words.push(r.pick(['\n', '\r\n', '\r', '\n\n']));
    else if (p < 0.1) words.push('\t');
  }
  return words.join(r.chance(0.5) ? ' ' : r.pick([' ', '  ', ' , ']));
}

interface InputCase {
  /** `csv` or `jsonl`. */
  format: 'csv' | 'jsonl';
  gzip: boolean;
  rows: number;
  bytes: Buffer;
  fileName: string;
  textFlags: string[];
  notes: string[];
}

function makeInput(r: Rng): InputCase {
  const format = r.pick(['csv', 'jsonl'] as const);
  const gzip = r.chance(0.35);
  const rows = r.logInt(50, 2000);
  const notes: string[] = [];
  const exotic = r.chance(0.7);
  const texts: string[] = [];
  const textOf = (): string => {
    const p = r.next();
    if (p < 0.03) return r.pick(['', ' ', '  \n ']);
    if (p < 0.13 && texts.length > 0) return r.pick(texts);
    const t = reviewText(r, exotic);
    texts.push(t);
    return t;
  };
  const bad = r.chance(0.3) ? 0.004 : 0; // ragged rows / invalid lines: failed for good, rare
  const twoColumns = r.chance(0.25);
  let body: string;
  let textFlags: string[];
  if (format === 'csv') {
    const endings = r.pick(['lf', 'crlf', 'cr', 'mixed'] as const);
    notes.push(`csv endings ${endings}`);
    const eol = () => (endings === 'lf' ? '\n' : endings === 'crlf' ? '\r\n' : endings === 'cr' ? '\r' : r.pick(['\n', '\r\n', '\r']));
    const alwaysQuote = r.chance(0.3);
    const cell = (value: string) => (alwaysQuote || /[",\r\n]/.test(value) || (value.startsWith(' ') && r.chance(0.5)) ? `"${value.replace(/"/g, '""')}"` : value);
    const bom = r.chance(0.15);
    if (bom) notes.push('bom');
    const header = r.pick([['id', 'title', 'review', 'stars'], ['review', 'id', 'stars', 'title'], ['id', 'review']]);
    const lines: string[] = [];
    for (let i = 0; i < rows; i++) {
      const review = textOf();
      const record: Record<string, string> = { id: String(i), title: r.chance(0.5) ? textOf().slice(0, 40) : '', review, stars: String(r.int(1, 5)) };
      let cells = header.map((name) => cell(record[name] as string));
      if (bad > 0 && r.chance(bad)) cells = cells.slice(0, Math.max(1, cells.length - 1 - r.int(0, 1)));
      lines.push(cells.join(','));
    }
    const lastEol = r.chance(0.8);
    if (!lastEol) notes.push('no final line ending');
    body = `${bom ? '\ufeff' : ''}${header.join(',')}${eol()}${lines.map((line, i) => line + (i < lines.length - 1 || lastEol ? eol() : '')).join('')}`;
    textFlags = twoColumns && header.includes('title') ? ['--text-column', 'title', '--text-column', 'review'] : ['--text-column', 'review'];
  } else {
    const crlf = r.chance(0.25);
    if (crlf) notes.push('jsonl crlf');
    const spaced = r.chance(0.3);
    const escapeNonAscii = r.chance(0.3);
    const nested = r.chance(0.6);
    const lines: string[] = [];
    for (let i = 0; i < rows; i++) {
      if (r.chance(0.01)) lines.push(r.pick(['', '   ']));
      const text = textOf();
      const object: Record<string, unknown> = nested
        ? { id: i, title: r.chance(0.5) ? textOf().slice(0, 40) : '', review: { body: text, lang: 'en' }, stars: r.int(1, 5) }
        : { id: i, title: textOf().slice(0, 30), text, stars: r.int(1, 5) };
      let line = spaced ? JSON.stringify(object, null, 1).replace(/\n\s*/g, ' ') : JSON.stringify(object);
      if (escapeNonAscii) line = line.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      if (bad > 0 && r.chance(bad)) line = r.pick([line.slice(0, -1), '[1,2,3]', '{"id": "no text here"}']);
      lines.push(line);
    }
    const lastEol = r.chance(0.8);
    if (!lastEol) notes.push('no final line ending');
    const eol = crlf ? '\r\n' : '\n';
    body = lines.map((line, i) => line + (i < lines.length - 1 || lastEol ? eol : '')).join('');
    const field = nested ? 'review.body' : 'text';
    textFlags = twoColumns ? ['--text-field', 'title', '--text-field', field] : ['--text-field', field];
  }
  let bytes = Buffer.from(body, 'utf8');
  if (gzip) {
    if (r.chance(0.3) && bytes.length > 10) {
      // Two gzip members, cut inside a multibyte character if one is near.
      const cut = r.int(1, bytes.length - 1);
      bytes = Buffer.concat([gzipSync(bytes.subarray(0, cut)), gzipSync(bytes.subarray(cut))]);
      notes.push('two gzip members');
    } else bytes = gzipSync(bytes);
  }
  if (bad > 0) notes.push('some bad records');
  if (twoColumns) notes.push('two text columns');
  return { format, gzip, rows, bytes, fileName: `in.${format}${gzip ? '.gz' : ''}`, textFlags, notes };
}

// ---------------------------------------------------------------- rounds

/** The server's fault settings (POST /__control/faults) a round picks: always seeded, latency as text, no rules. */
type Faults = Omit<FaultOptions, 'seed' | 'latency' | 'rules'> & { seed: number; latency?: string };

/**
 * When to cut a run: a share of the reference run's wall time after the start; once the
 * checkpoint has passed a row (then a few ms more); or once `.partial` has reached a share
 * of the reference output's size (the finest grain for the fast embedded model).
 */
type KillAt = { timeShare: number } | { afterRows: number; plusMs: number } | { partialShare: number } | RenameAt;
/**
 * The run kills itself right before or after the `nth` rename onto one of the job's files
 * (test/support/kill-at-rename.mjs, preloaded): the short steps between renames that a
 * timed kill hits only by luck (the mend's replacement of the output, the completion).
 */
interface RenameAt {
  rename: 'output' | 'checkpoint' | 'failed-rows' | 'failed-rows.next' | 'journal' | 'lock';
  nth: number;
  when: 'before' | 'after';
}
const KILL_HOOK = path.join(REPO_ROOT, 'test/support/kill-at-rename.mjs');
interface Kill {
  signal: 'SIGKILL' | 'SIGTERM' | 'SIGTERM-twice';
  at: KillAt;
  /** SIGTERM-twice: ms between the two. */
  gapMs: number;
}

interface RoundPlan {
  seed: number;
  input: InputCase;
  backend: 'embedded' | 'server';
  faults?: Faults;
  cache: 'none' | 'fresh' | 'shared';
  options: string[];
  kills: Kill[];
}

function planRound(seed: number): RoundPlan {
  const r = seededPicks(seed);
  const input = makeInput(r);
  const backend = r.chance(0.5) ? 'embedded' : 'server';
  const options: string[] = [];
  let faults: Faults | undefined;
  if (backend === 'server') {
    faults = { seed: r.int(1, 1_000_000) };
    if (r.chance(0.7)) faults.latency = r.pick(['0-10ms', '5-60ms', '20-150ms', '50-250ms']);
    if (r.chance(0.6)) faults.failRate = r.pick([0.01, 0.05, 0.1, 0.3]);
    if (r.chance(0.4)) {
      faults.capacityBurstRate = r.pick([0.005, 0.02, 0.05]);
      faults.capacityBurstLength = r.int(1, 8);
    }
    if (r.chance(0.4)) faults.dropRate = r.pick([0.005, 0.02, 0.05]);
    if (r.chance(0.4)) faults.malformedRate = r.pick([0.005, 0.02, 0.05]);
    if (r.chance(0.4)) faults.truncateRate = r.pick([0.005, 0.02, 0.05]);
    if (r.chance(0.25)) faults.hangRate = r.pick([0.002, 0.01]);
    options.push('--rpm', '100000', '--concurrency', String(r.pick([2, 8, 16, 48, 64])));
    options.push('--timeout', faults.hangRate ? r.pick(['1s', '2s']) : r.pick(['2s', '5s', '30s']));
    if (r.chance(0.5)) options.push('--max-attempts', String(r.pick([1, 2, 3])));
    if (r.chance(0.4)) options.push('--grace', r.pick(['500ms', '1s', '3s']));
  }
  const cache = backend === 'server' ? r.pick(['none', 'fresh', 'shared'] as const) : r.chance(0.15) ? 'fresh' : 'none';
  if (r.chance(0.6)) options.push('--max-error-rate', String(r.pick([0.05, 0.2, 0.5, 1])));
  options.push('--checkpoint-interval', r.pick(['100ms', '250ms', '500ms', '1s', '2s', '3s']));
  if (input.format === 'csv' && r.chance(0.15)) options.push('--prefix', 'soak');
  const kills: RoundPlan['kills'] = [];
  const count = r.int(1, 4);
  for (let i = 0; i < count; i++) {
    const p = r.next();
    const signal = p < 0.7 ? 'SIGKILL' : p < 0.92 ? 'SIGTERM' : 'SIGTERM-twice';
    const how = r.next();
    let at: KillAt;
    if (how < 0.25) at = { timeShare: r.next() * (backend === 'server' ? 2 : 1.1) };
    else if (how < 0.5) at = { afterRows: r.int(0, input.rows), plusMs: r.int(0, 50) };
    else if (how < 0.75) at = { partialShare: r.next() };
    else {
      const target = r.pick(['output', 'output', 'checkpoint', 'checkpoint', 'failed-rows', 'failed-rows.next', 'journal', 'lock'] as const);
      at = { rename: target, nth: target === 'checkpoint' ? r.int(1, 8) : target === 'journal' ? r.int(1, 2) : 1, when: r.pick(['before', 'after'] as const) };
    }
    kills.push({ signal: 'rename' in at ? 'SIGKILL' : signal, at, gapMs: r.int(0, 400) });
  }
  return { seed, input, backend, ...(faults ? { faults } : {}), cache, options, kills };
}

interface RunRecord {
  label: string;
  args: string[];
  code: number | null;
  signal: string | null;
  ms: number;
  killedWith?: string;
  killedAtMs?: number;
  summary?: Record<string, any>;
  /** Stopped by a signal that came before anything was under way (its stderr says so). */
  earlySignal?: boolean;
}

interface Context {
  serverUrl?: string;
  sharedCache: string;
  failDir: string;
  keep: boolean;
}

const ROUND_TIMEOUT_MS = 180_000;

/** Runs one CLI process; kills it as `kill` says. stdout/stderr go to files under `logs`. */
async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  logs: string,
  label: string,
  kill?: { signal: Kill['signal']; gapMs: number; at: RunKillAt; output: string; partial: string },
): Promise<RunRecord> {
  const started = performance.now();
  const hook = kill && 'renameTo' in kill.at ? { NODE_OPTIONS: `--import ${KILL_HOOK}`, SB_TEST_KILL_RENAME_TO: kill.at.renameTo, SB_TEST_KILL_RENAME_NTH: String(kill.at.nth), SB_TEST_KILL_RENAME_WHEN: kill.at.when } : {};
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...env, ...hook }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  let exited = false;
  const done = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('close', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    }),
  );
  const record: RunRecord = { label, args, code: null, signal: null, ms: 0 };
  const hard = setTimeout(() => {
    record.killedWith = 'TIMEOUT';
    child.kill('SIGKILL');
  }, ROUND_TIMEOUT_MS);
  if (kill && 'renameTo' in kill.at) {
    record.killedWith = `self at rename ${kill.at.when} ${kill.at.nth}x ${path.basename(kill.at.renameTo)}`;
  } else if (kill) {
    const at = kill.at;
    void (async () => {
      const t0 = performance.now();
      if ('afterMs' in at) await sleep(at.afterMs);
      else if ('afterRows' in at) {
        while (!exited && rowsCheckpointed(kill.output) < at.afterRows && performance.now() - t0 < 60_000) await sleep(5);
        await sleep(at.plusMs);
      } else if ('partialBytes' in at) {
        while (!exited && fileSize(kill.partial) < at.partialBytes && performance.now() - t0 < 60_000) await sleep(2);
      }
      if (exited) return;
      record.killedAtMs = Math.round(performance.now() - started);
      record.killedWith = kill.signal;
      if (kill.signal === 'SIGTERM-twice') {
        child.kill('SIGTERM');
        await sleep(kill.gapMs);
        if (!exited) child.kill('SIGTERM');
      } else child.kill(kill.signal);
    })();
  }
  const { code, signal } = await done;
  clearTimeout(hard);
  // The hook armed but never fired: the run ended as any other.
  if (kill && 'renameTo' in kill.at && signal !== 'SIGKILL') delete record.killedWith;
  record.code = code;
  record.signal = signal;
  record.ms = Math.round(performance.now() - started);
  writeFileSync(path.join(logs, `${label}.stdout`), Buffer.concat(out));
  writeFileSync(path.join(logs, `${label}.stderr`), Buffer.concat(err));
  if (Buffer.concat(err).toString().includes('(nothing under way to save)')) record.earlySignal = true;
  return record;
}

type RunKillAt = { afterMs: number } | { afterRows: number; plusMs: number } | { partialBytes: number } | { renameTo: string; nth: number; when: 'before' | 'after' };

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return -1;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readJson(file: string): Record<string, any> | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
  } catch {
    return undefined;
  }
}

async function setFaults(url: string, faults: Faults | Record<string, never>): Promise<void> {
  const answer = await fetch(`${url}/__control/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  if (!answer.ok) throw new Error(`setting faults failed: ${answer.status} ${await answer.text()}`);
}

async function serverStats(url: string): Promise<Record<string, any>> {
  return (await (await fetch(`${url}/__stats`)).json()) as Record<string, any>;
}

function envFor(plan: RoundPlan, ctx: Context): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('CLOUDFLARE_') && key !== 'REDIS_URL') env[key] = value;
  if (plan.backend === 'server') Object.assign(env, { CLOUDFLARE_ACCOUNT_ID: 'soak', CLOUDFLARE_API_TOKEN: 'soak-token', CLOUDFLARE_BASE_URL: `${ctx.serverUrl}/client/v4` });
  return env;
}

/** Codes a run may end with in this soak, by what was done to it. */
function allowedExit(run: RunRecord): boolean {
  if (run.killedWith === 'TIMEOUT') return false;
  if (run.code === 1 || run.code === 2 || run.code === 3 || run.code === 4 || run.code === 74 || run.code === 75) return false;
  if (run.code === null) return run.killedWith !== undefined && (run.signal === 'SIGKILL' || run.signal === 'SIGTERM');
  if (run.code === 130) return run.killedWith !== undefined && run.killedWith !== 'SIGKILL';
  return run.code === 0 || run.code === 5;
}

/** Checks one run's summary JSON: consistent totals, and the exit code it states is the process's. */
function summaryProblems(run: RunRecord, inputRows: number): string[] {
  const s = run.summary;
  const problems: string[] = [];
  if (!s) {
    // A signal before the flags were read (Node and the command line still loading) exits 130 with no summary: it
    // cannot know where one goes yet (docs/exit-codes.md#exit-130). Counted apart, not a failure.
    if (run.code === 130 && run.earlySignal) return problems;
    if (run.code !== null) problems.push(`${run.label}: exit ${run.code} but no summary JSON`);
    return problems;
  }
  if (run.code !== null && s.exitCode !== run.code) problems.push(`${run.label}: summary exitCode ${s.exitCode} but the process exited ${run.code}`);
  for (const [name, t] of [['totals', s.totals], ['run.totals', s.run?.totals]] as const) {
    if (!t) continue;
    if (t.scored + t.skipped + t.failed !== t.read) problems.push(`${run.label}: ${name} read ${t.read} != scored ${t.scored} + skipped ${t.skipped} + failed ${t.failed}`);
    // "This run" of a run that resumed and then mended counts a row it wrote failed and then retried twice (the mend reads
    // every listed row again, mended or still failing).
    const mendedAgain = name === 'run.totals' && s.mended ? s.mended + (s.failedRows?.retry ?? 0) : 0;
    if (t.read > inputRows + mendedAgain) problems.push(`${run.label}: ${name} read ${t.read} > ${inputRows} input rows${mendedAgain ? ` + ${mendedAgain} retried by the mend` : ''}`);
    for (const key of Object.keys(t)) if (typeof t[key] === 'number' && t[key] < 0) problems.push(`${run.label}: ${name}.${key} is ${t[key]}`);
  }
  if (s.failedRows && s.totals && s.failedRows.retry + s.failedRows.final + (s.failedRows.unlisted ?? 0) > s.totals.failed && s.status !== 'interrupted')
    problems.push(`${run.label}: failedRows ${JSON.stringify(s.failedRows)} more than totals.failed ${s.totals.failed}`);
  return problems;
}

interface RoundResult {
  seed: number;
  ok: boolean;
  skipped?: string;
  problems: string[];
  runs: number;
  kills: number;
  /** Runs that continued from a checkpoint, and rows mended by reruns: did the cuts land mid-work. */
  resumed: number;
  /** Runs stopped by a signal before the flags were read: exit 130, no summary JSON (known, not a failure). */
  earlySignals: number;
  mended: number;
  seconds: number;
  savedTo?: string;
  describe: string;
}

async function runRound(seed: number, ctx: Context, work: string, plan = planRound(seed)): Promise<RoundResult> {
  const t0 = performance.now();
  const dir = path.join(work, `round-${seed}`);
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ['in', 'out', 'ref', 'logs', 'cache']) mkdirSync(path.join(dir, sub), { recursive: true });
  const input = path.join(dir, 'in', plan.input.fileName);
  writeFileSync(input, plan.input.bytes);
  const ext = plan.input.format;
  const output = path.join(dir, 'out', `out.${ext}`);
  const refOutput = path.join(dir, 'ref', `out.${ext}`);
  const logs = path.join(dir, 'logs');
  const env = envFor(plan, ctx);
  const common = ['--progress', 'off', '--log-format', 'json', '--log-level', 'info', ...plan.input.textFlags, ...plan.options];
  if (plan.backend === 'embedded') common.push('--backend', 'embedded');
  const cacheFlags = plan.cache === 'none' ? [] : ['--cache', plan.cache === 'shared' ? ctx.sharedCache : path.join(dir, 'cache')];
  const describe = `${plan.input.rows} rows ${plan.input.fileName} [${plan.input.notes.join(', ')}] ${plan.backend}${plan.faults ? ` faults ${JSON.stringify(plan.faults)}` : ''} cache ${plan.cache} ${plan.options.join(' ')} kills ${plan.kills.map((k) => `${k.signal}@${JSON.stringify(k.at)}`).join(' ')}`;
  writeFileSync(path.join(dir, 'plan.json'), JSON.stringify({ ...plan, input: { ...plan.input, bytes: undefined } }, null, 2));
  const problems: string[] = [];
  const runs: RunRecord[] = [];
  let n = 0;
  let paid = '';
  const job = async (kill?: { signal: Kill['signal']; gapMs: number; at: RunKillAt }, extra: string[] = []) => {
    n += 1;
    const label = `run-${String(n).padStart(2, '0')}`;
    const summaryPath = path.join(logs, `${label}.summary.json`);
    const args = ['score', input, '-o', output, ...common, ...cacheFlags, '--summary-json', summaryPath, ...extra];
    const run = await runCli(args, env, logs, label, kill ? { ...kill, output, partial: `${output}.partial` } : undefined);
    run.summary = readJson(summaryPath);
    runs.push(run);
    if (!allowedExit(run)) problems.push(`${label}: exit ${run.code} signal ${run.signal}${run.killedWith ? ` (sent ${run.killedWith} at ${run.killedAtMs} ms)` : ' (not signalled)'}: ${firstError(path.join(logs, `${label}.stderr`))}`);
    problems.push(...summaryProblems(run, plan.input.rows));
    return run;
  };

  try {
    // The reference: the same job, never cut, no fault, no cache.
    if (ctx.serverUrl) {
      await fetch(`${ctx.serverUrl}/__reset`, { method: 'POST' });
      await setFaults(ctx.serverUrl, {});
    }
    const refSummaryPath = path.join(logs, 'ref.summary.json');
    const ref = await runCli(['score', input, '-o', refOutput, ...common, '--summary-json', refSummaryPath], env, logs, 'ref');
    ref.summary = readJson(refSummaryPath);
    if (ref.code !== 0) {
      // Too many bad records for the round's --max-error-rate, for instance: no reference, no round.
      return { seed, ok: true, skipped: `reference exit ${ref.code}: ${firstError(path.join(logs, 'ref.stderr'))}`, problems: [], runs: 0, kills: 0, resumed: 0, earlySignals: 0, mended: 0, seconds: (performance.now() - t0) / 1000, describe };
    }
    const refTotals = ref.summary?.totals as Record<string, number>;

    const refAnswers = plan.backend === 'server' && ctx.serverUrl ? ((await serverStats(ctx.serverUrl)).byOutcome?.ok as number) : 0;
    // Cut 1–4 times, with the faults on.
    if (ctx.serverUrl && plan.faults) {
      await fetch(`${ctx.serverUrl}/__reset`, { method: 'POST' });
      await setFaults(ctx.serverUrl, plan.faults);
    }
    let kills = 0;
    const refBytes = fileSize(refOutput);
    for (const kill of plan.kills) {
      const renameTargets = { output, checkpoint: `${output}.checkpoint.json`, 'failed-rows': `${output}.failed-rows`, 'failed-rows.next': `${output}.failed-rows.next`, journal: `${output}.journal`, lock: `${output}.lock` };
      const at: RunKillAt =
        'timeShare' in kill.at
          ? { afterMs: Math.round(kill.at.timeShare * ref.ms) }
          : 'partialShare' in kill.at
            ? { partialBytes: Math.round(kill.at.partialShare * refBytes) }
            : 'rename' in kill.at
              ? { renameTo: renameTargets[kill.at.rename], nth: kill.at.nth, when: kill.at.when }
              : kill.at;
      const run = await job({ ...kill, at });
      if (run.killedWith) kills += 1;
      if (problems.length > 0) break;
      // Done, with nothing to mend: a cut now would only cut "already done".
      if (run.code === 0 && (run.summary?.failedRows?.retry ?? 0) === 0) break;
    }
    // Let it finish with the faults on, then off until nothing is left to mend.
    if (problems.length === 0) {
      await job();
      if (ctx.serverUrl) await setFaults(ctx.serverUrl, {});
      for (let i = 0; i < 5 && problems.length === 0; i++) {
        const last = runs.at(-1) as RunRecord;
        if (last.code === 0 && (last.summary?.failedRows?.retry ?? 0) === 0 && last.summary?.status !== 'interrupted') break;
        await job();
      }
      const last = runs.at(-1) as RunRecord;
      if (problems.length === 0 && !(last.code === 0 && (last.summary?.failedRows?.retry ?? 0) === 0)) problems.push(`not done after the faults were turned off and 5 more runs: last exit ${last.code}, failedRows ${JSON.stringify(last.summary?.failedRows)}`);
    }
    if (problems.length === 0) {
      const finished = runs.at(-1) as RunRecord;
      const before = readFileSync(output);
      // Final: once more is "already done", exit 0, nothing changed.
      const again = await job();
      if (again.code !== 0 || again.summary?.status !== 'already-done') problems.push(`the rerun of the finished job: exit ${again.code}, status ${again.summary?.status} (expected 0, already-done)`);
      if (!readFileSync(output).equals(before)) problems.push('the rerun of the finished job changed the output');
      // The output is the reference's, byte for byte.
      const got = readFileSync(output);
      const want = readFileSync(refOutput);
      if (!got.equals(want)) problems.push(`output differs from the reference: ${describeDifference(got, want)}`);
      // Nothing beside it but the checkpoint.
      const left = readdirSync(path.dirname(output)).filter((name) => name !== path.basename(output) && name !== `${path.basename(output)}.checkpoint.json`);
      if (left.length > 0) problems.push(`left beside the output: ${left.join(', ')}`);
      const inLeft = readdirSync(path.dirname(input)).filter((name) => name !== path.basename(input));
      if (inLeft.length > 0) problems.push(`left beside the input: ${inLeft.join(', ')}`);
      // The totals are the reference's.
      for (const which of [finished, again]) {
        const t = which.summary?.totals as Record<string, number> | undefined;
        if (!t) {
          problems.push(`${which.label}: no summary JSON`);
          continue;
        }
        for (const key of ['read', 'scored', 'skipped', 'failed', 'truncated']) if (t[key] !== refTotals[key]) problems.push(`${which.label}: totals.${key} ${t[key]} but the reference has ${refTotals[key]}`);
        const fr = which.summary?.failedRows;
        if (fr && (fr.retry !== 0 || fr.final !== ref.summary?.failedRows?.final || fr.unlisted)) problems.push(`${which.label}: failedRows ${JSON.stringify(fr)} but the reference has ${JSON.stringify(ref.summary?.failedRows)}`);
      }
      if (plan.backend === 'server' && ctx.serverUrl) {
        // No answer paid for twice: a cut costs at most the requests in flight (docs/durability.md, "No answer is paid for twice").
        const answers = (await serverStats(ctx.serverUrl)).byOutcome?.ok as number;
        const concurrency = Number(plan.options[plan.options.indexOf('--concurrency') + 1]);
        const bound = refAnswers + kills * concurrency + 2;
        paid = `${answers} answers vs ${refAnswers} alone`;
        if (answers > bound) problems.push(`paid twice: the service answered ${answers} requests whole, the uninterrupted run ${refAnswers}; ${kills} cuts at --concurrency ${concurrency} allow at most ${bound}`);
      }
      if (refTotals.read !== expectedRecords(plan.input)) problems.push(`the reference read ${refTotals.read} rows, the input has ${expectedRecords(plan.input)} records`);
    }
    if (problems.length > 0 && ctx.serverUrl && plan.backend === 'server') {
      // Is the reference itself reproducible? Tells a nondeterministic server from a lost or corrupted row.
      await setFaults(ctx.serverUrl, {});
      const ref2Output = path.join(dir, 'ref', `again.${ext}`);
      const ref2 = await runCli(['score', input, '-o', ref2Output, ...common], env, logs, 'ref-again');
      const same = ref2.code === 0 && existsSync(ref2Output) && readFileSync(ref2Output).equals(readFileSync(refOutput));
      problems.push(`(a second reference run: exit ${ref2.code}, output ${same ? 'identical to the first' : 'DIFFERENT from the first'})`);
    }
    const resumed = runs.filter((run) => run.summary?.resumed === true && run.summary?.status !== 'already-done').length;
    const mended = runs.reduce((sum, run) => sum + (run.summary?.mended ?? 0), 0);
    const earlySignals = runs.filter((run) => run.code === 130 && run.earlySignal && !run.summary).length;
    const result: RoundResult = { seed, ok: problems.length === 0, problems, runs: runs.length, kills, resumed, earlySignals, mended, seconds: (performance.now() - t0) / 1000, describe: paid ? `${paid}; ${describe}` : describe };
    if (!result.ok) result.savedTo = await saveFailure(ctx, dir, plan, runs, ref, problems);
    return result;
  } catch (error) {
    problems.push(`the soak itself failed: ${(error as Error).stack ?? String(error)}`);
    const savedTo = await saveFailure(ctx, dir, plan, runs, undefined, problems);
    return { seed, ok: false, problems, runs: runs.length, kills: 0, resumed: 0, earlySignals: 0, mended: 0, seconds: (performance.now() - t0) / 1000, savedTo, describe };
  } finally {
    if (!ctx.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** Records in the input: rows, plus the blank JSONL lines (they pass through as records of their own? no: counted apart). */
function expectedRecords(input: InputCase): number {
  return input.rows;
}

function firstError(stderrFile: string): string {
  try {
    const lines = readFileSync(stderrFile, 'utf8').split('\n');
    const bad = lines.filter((line) => /"level":(50|60)|Error|error:/.test(line)).slice(0, 2);
    return (bad.length > 0 ? bad.join(' | ') : lines.filter(Boolean).slice(-1).join('')).slice(0, 600);
  } catch {
    return '';
  }
}

function describeDifference(got: Buffer, want: Buffer): string {
  let i = 0;
  while (i < got.length && i < want.length && got[i] === want[i]) i++;
  const lineStart = Math.max(0, want.lastIndexOf(10, i - 1) + 1);
  return `${got.length} bytes vs ${want.length} expected, first difference at byte ${i} (line ${want.subarray(0, i).toString('latin1').split('\n').length}): got ${JSON.stringify(got.subarray(lineStart, i + 80).toString())} want ${JSON.stringify(want.subarray(lineStart, i + 80).toString())}`;
}

async function saveFailure(ctx: Context, dir: string, plan: RoundPlan, runs: RunRecord[], ref: RunRecord | undefined, problems: string[]): Promise<string> {
  let k = 1;
  while (existsSync(`${ctx.failDir}-${k}`)) k++;
  const target = `${ctx.failDir}-${k}`;
  cpSync(dir, target, { recursive: true, verbatimSymlinks: true });
  const stats = ctx.serverUrl ? await serverStats(ctx.serverUrl).catch(() => undefined) : undefined;
  writeFileSync(
    path.join(target, 'FAILURE.json'),
    JSON.stringify({ seed: plan.seed, reproduce: `KILL_SOAK_ROUND_SEED=${plan.seed} npm run bench -- kill-soak`, problems, runs, ref, serverStats: stats }, null, 2),
  );
  return target;
}

// ---------------------------------------------------------------- every crash point, once

/**
 * KILL_SOAK_CRASH_POINTS=1: instead of random rounds, one job (a CSV through
 * `serve` answering 20 % of requests with 500, one attempt each, so rows are
 * left to mend) cut once at each rename point (every target, its first few
 * renames, before and after), in the first run, in a run resuming a cut one,
 * and in the mend that follows the first run's completion.
 */
function crashPointPlans(seed: number): Array<RoundPlan & { point: string }> {
  const r = seededPicks(seed);
  let input = makeInput(r);
  while (input.format !== 'csv' || input.gzip || input.rows < 200 || input.rows > 800) input = makeInput(r);
  const points: RenameAt[] = [];
  const counts: Record<RenameAt['rename'], number> = { output: 1, checkpoint: 4, 'failed-rows': 2, 'failed-rows.next': 1, journal: 2, lock: 1 };
  for (const [target, most] of Object.entries(counts) as Array<[RenameAt['rename'], number]>) {
    for (let nth = 1; nth <= most; nth++) for (const when of ['before', 'after'] as const) points.push({ rename: target, nth, when });
  }
  const never: Kill = { signal: 'SIGKILL', at: { rename: 'lock', nth: 99, when: 'after' }, gapMs: 0 };
  const plans: Array<RoundPlan & { point: string }> = [];
  for (const [moment, before] of [['first run', []], ['resumed run', [{ signal: 'SIGKILL', at: { partialShare: 0.5 }, gapMs: 0 }]], ['mend', [never]]] as Array<[string, Kill[]]>) {
    for (const at of points) {
      plans.push({
        seed: seed + plans.length,
        input,
        backend: 'server',
        faults: { seed: 7, failRate: 0.2, latency: '0-5ms' },
        cache: 'none',
        options: ['--rpm', '100000', '--concurrency', '16', '--timeout', '5s', '--max-attempts', '1', '--max-error-rate', '1', '--checkpoint-interval', '100ms'],
        kills: [...before, { signal: 'SIGKILL', at, gapMs: 0 }],
        point: `${moment}: ${at.when} rename ${at.nth} onto ${at.rename}`,
      });
    }
  }
  return plans;
}

// ---------------------------------------------------------------- determinism of the server

async function checkServerDeterminism(ctx: Context, work: string): Promise<{ identical: boolean; rows: number }> {
  const dir = path.join(work, 'determinism');
  mkdirSync(dir, { recursive: true });
  const r = seededPicks(12345);
  let input = makeInput(r);
  while (input.format !== 'csv' || input.gzip || input.rows < 300) input = makeInput(r);
  const file = path.join(dir, input.fileName);
  writeFileSync(file, input.bytes);
  const env = envFor({ backend: 'server' } as RoundPlan, ctx);
  await setFaults(ctx.serverUrl as string, {});
  const outputs: Buffer[] = [];
  for (const run of ['a', 'b']) {
    const out = path.join(dir, `${run}.csv`);
    const result = await runCli(['score', file, '-o', out, '--progress', 'off', '--log-level', 'warn', '--rpm', '100000', ...input.textFlags], env, dir, run);
    if (result.code !== 0) throw new Error(`determinism check: run ${run} exited ${result.code}: ${firstError(path.join(dir, `${run}.stderr`))}`);
    outputs.push(readFileSync(out));
  }
  rmSync(dir, { recursive: true, force: true });
  return { identical: (outputs[0] as Buffer).equals(outputs[1] as Buffer), rows: input.rows };
}

// ---------------------------------------------------------------- the soak

export async function run(): Promise<Record<string, unknown>> {
  const baseSeed = Number(process.env.KILL_SOAK_SEED ?? (Date.now() % 1_000_000_007));
  const minutes = Number(process.env.KILL_SOAK_MINUTES ?? 3);
  const maxRounds = process.env.KILL_SOAK_ROUNDS !== undefined ? Number(process.env.KILL_SOAK_ROUNDS) : Infinity;
  const onlySeed = process.env.KILL_SOAK_ROUND_SEED !== undefined ? Number(process.env.KILL_SOAK_ROUND_SEED) : undefined;
  const work = mkdtempSync(path.join(tmpdir(), 'kill-soak-'));
  const ctx: Context = {
    sharedCache: path.join(work, 'shared-cache'),
    failDir: process.env.KILL_SOAK_FAIL_DIR ?? '/tmp/soak-fail',
    keep: process.env.KILL_SOAK_KEEP === '1',
  };
  mkdirSync(ctx.sharedCache, { recursive: true });
  const server = await startServe(['--seed', '1']);
  ctx.serverUrl = server.url;
  // Stopped early (Ctrl-C, kill): take the server down too, and keep the work folder for a look.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      server.stop();
      console.log(`kill-soak: stopped by ${signal}; work folder kept: ${work}`);
      process.exit(130);
    });
  }
  const started = performance.now();
  const results: RoundResult[] = [];
  console.log(`kill-soak: seed ${baseSeed}, ${onlySeed !== undefined ? `round seed ${onlySeed} only` : `${minutes} min${Number.isFinite(maxRounds) ? `, at most ${maxRounds} rounds` : ''}`}; work folder ${work}`);
  try {
    const determinism = await checkServerDeterminism(ctx, work);
    console.log(`server determinism: ${determinism.rows} rows scored twice through serve: ${determinism.identical ? 'identical' : 'DIFFERENT'}`);
    if (!determinism.identical) console.log('  (server outputs differ between two fault-free runs: byte comparisons of server rounds are meaningless)');
    const seeds = seededPicks(baseSeed);
    const crashPoints = process.env.KILL_SOAK_CRASH_POINTS === '1' ? crashPointPlans(baseSeed) : undefined;
    for (let i = 0; ; i++) {
      if (crashPoints ? i >= Math.min(crashPoints.length, maxRounds) : onlySeed !== undefined ? i >= 1 : i >= maxRounds || performance.now() - started > minutes * 60_000) break;
      const seed = crashPoints ? (crashPoints[i] as RoundPlan).seed : (onlySeed ?? seeds.int(1, 2_147_483_646));
      const result = await runRound(seed, ctx, work, crashPoints?.[i]);
      if (crashPoints) result.describe = `${(crashPoints[i] as { point: string }).point}; ${result.describe}`;
      results.push(result);
      const status = result.skipped ? `skipped (${result.skipped})` : result.ok ? 'ok' : `FAIL -> ${result.savedTo}`;
      console.log(`round ${i + 1} seed ${seed}: ${status}; ${result.runs} runs, ${result.kills} cut, ${result.resumed} resumed, ${result.mended} rows mended, ${result.seconds.toFixed(1)} s: ${result.describe}`);
      for (const problem of result.problems) console.log(`    ${problem}`);
      // Keep the shared cache from growing without bound.
      if (i % 50 === 49) {
        rmSync(ctx.sharedCache, { recursive: true, force: true });
        mkdirSync(ctx.sharedCache, { recursive: true });
      }
    }
    const failed = results.filter((r) => !r.ok);
    const summary = {
      seed: baseSeed,
      rounds: results.length,
      skipped: results.filter((r) => r.skipped).length,
      runs: results.reduce((sum, r) => sum + r.runs, 0),
      cuts: results.reduce((sum, r) => sum + r.kills, 0),
      resumedRuns: results.reduce((sum, r) => sum + r.resumed, 0),
      earlySignalsWithoutSummary: results.reduce((sum, r) => sum + r.earlySignals, 0),
      rowsMended: results.reduce((sum, r) => sum + r.mended, 0),
      failures: failed.map((r) => ({ seed: r.seed, savedTo: r.savedTo, problems: r.problems })),
      serverDeterministic: determinism.identical,
      seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    };
    console.log(`kill-soak: ${summary.rounds} rounds (${summary.skipped} skipped), ${summary.runs} runs, ${summary.cuts} cut by a signal, ${summary.resumedRuns} resumed, ${summary.rowsMended} rows mended, ${summary.earlySignalsWithoutSummary} signalled before the flags were read (exit 130, no summary: known), ${failed.length} failed, ${summary.seconds} s`);
    return summary;
  } finally {
    server.stop();
    if (!ctx.keep) rmSync(work, { recursive: true, force: true });
  }
}
