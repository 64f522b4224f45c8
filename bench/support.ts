import { cpSync, createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { findPackageRoot } from '../src/package-root.js';

/** The repository root, from dist/bench/*.js or bench/*.ts alike. */
export const REPO_ROOT = findPackageRoot(import.meta.url) ?? process.cwd();
/** The command a build runs: its bundle (scripts/bundle-cli.ts), or dist/src/cli.js for a checkout built before the bundle. */
export function builtCli(root: string): string {
  const bundled = path.join(root, 'dist', 'bin', 'cli.js');
  return existsSync(bundled) ? bundled : path.join(root, 'dist', 'src', 'cli.js');
}

export const CLI = builtCli(REPO_ROOT);

const WORDS = ['great', 'awful', 'love', 'hate', 'battery', 'screen', 'service', 'room', 'staff', 'price', 'quality', 'fast', 'slow', 'broken', 'perfect', 'noisy', 'clean', 'would', 'buy', 'again', 'never', 'the', 'and', 'was', 'very', 'not'];

/** A deterministic review-like CSV of about `bytes` bytes (quoted fields, commas, some newlines). */
export async function writeSyntheticCsv(file: string, bytes: number): Promise<number> {
  return writeGeneratedCsv(file, bytes, 'id,title,review,rating\n', 12345, (rows, next) => {
    const words = randomWords(next);
    if (next() % 10 === 0) words.splice(4, 0, '"quoted"\nline');
    const text = words.join(next() % 3 === 0 ? ', ' : ' ');
    return `${rows},Title ${rows % 997},"${text.replace(/"/g, '""')}",${(next() % 5) + 1}\n`;
  });
}

/**
 * A deterministic review-like JSONL of about `bytes` bytes, one object a line: the text under `review`, a nested
 * object, numbers and a boolean beside it, as review exports are; now and then an escaped quote or line break.
 */
export async function writeSyntheticJsonl(file: string, bytes: number): Promise<number> {
  return writeGeneratedCsv(file, bytes, '', 54321, (rows, next) => {
    const words = randomWords(next);
    if (next() % 10 === 0) words.splice(4, 0, '"quoted"\nline');
    const review = words.join(next() % 3 === 0 ? ', ' : ' ');
    return `${JSON.stringify({ id: rows, user: { name: `user${next() % 5000}`, verified: next() % 2 === 0 }, rating: (next() % 5) + 1, review, helpful: next() % 40 })}\n`;
  });
}

/** 8 to 47 review words. */
export function randomWords(next: () => number): string[] {
  const words: string[] = [];
  const length = 8 + (next() % 40);
  for (let i = 0; i < length; i++) words.push(WORDS[next() % WORDS.length] as string);
  return words;
}

/**
 * Writes `header`, then lines from `lineOf(row, next)` until about `bytes` bytes, with
 * `next` a seeded linear congruential generator; returns the number of rows.
 */
export async function writeGeneratedCsv(file: string, bytes: number, header: string, seed: number, lineOf: (row: number, next: () => number) => string): Promise<number> {
  const out = createWriteStream(file);
  out.write(header);
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) & 0x7fffffff);
  let written = 0;
  let rows = 0;
  while (written < bytes) {
    const line = lineOf(rows, next);
    written += Buffer.byteLength(line);
    rows += 1;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runNode(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `sentiment-batch serve` on a free port with the given flags; resolves once it listens. */
export async function startServe(flags: string[]): Promise<{ url: string; stop(): void }> {
  const server = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    server.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(text);
      if (match) resolve(match[1] as string);
    });
    server.on('exit', () => reject(new Error(`serve exited: ${text}`)));
  });
  return { url, stop: () => server.kill('SIGTERM') };
}

/** The middle value (the upper of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** The 1, 5 and 15 minute load averages, as benches print them beside their figures. */
export function describeLoad(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}

/** One fuzz case as the seed loop reports it: a line describing it, and what its oracle found wrong. */
export interface FuzzCaseOutcome {
  what: string;
  problems: readonly string[];
  commands: readonly string[];
}

/**
 * A fuzz bench's seed loop: seeds `first`, `first + 1`, ... each run in a folder of its own under `work`, until `cases`
 * have run or `minutes` have passed since `started`. A case that passes prints `ok` and its folder goes; one that fails
 * prints its problems and commands, writes them to problems.txt and keeps its folder as `<failDir>/<seed>`, so that
 * a run of hundreds of seeds leaves only what needs looking at. Returns the seeds that failed.
 */
export async function runFuzzSeeds(
  loop: { first: number; cases: number; minutes: number; started: number; work: string; failDir: string },
  runCase: (seed: number, dir: string) => Promise<FuzzCaseOutcome>,
): Promise<number[]> {
  const { first, cases, minutes, started, work, failDir } = loop;
  const failed: number[] = [];
  for (let seed = first; seed < first + cases && performance.now() - started < minutes * 60_000; seed++) {
    const dir = path.join(work, String(seed));
    mkdirSync(dir);
    const { what, problems, commands } = await runCase(seed, dir);
    if (problems.length === 0) {
      console.log(`ok   ${what}`);
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    failed.push(seed);
    console.log(`FAIL ${what}\n  ${problems.join('\n  ')}\n  commands:\n    ${commands.join('\n    ')}`);
    writeFileSync(path.join(dir, 'problems.txt'), `${problems.join('\n')}\n\n${commands.join('\n')}\n`);
    cpSync(dir, path.join(failDir, String(seed)), { recursive: true });
  }
  return failed;
}
