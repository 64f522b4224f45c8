/**
 * Two containers on one --cache folder at once: each one's first process is
 * PID 1 in a PID namespace of its own, and LMDB marks each reading process by
 * a lock on the byte of lock.mdb at its pid, so the second one cannot read.
 * Here both processes are PID 1 in namespaces of their own, as in two
 * containers (`unshare -p -f --mount-proc`: root only; skipped without root or
 * without unshare). Before, the second run failed exit 2 after lmdb's ~10 s of
 * retries with "Cannot read properties of null (reading 'address')" and advice
 * about disks; now it warns once and completes without the cache, and
 * estimate counts no text as cached.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startServer, type RunningServer } from '../src/server/index.js';
import { nextLine, type LineChild } from './support/child.js';
import { builtCli, cleanEnv, logLines, REPO_ROOT, type CliResult } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { transpiledChildFolder } from './support/transpile.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const UNSHARE = ['-p', '-f', '--mount-proc'];
const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', [...UNSHARE, 'true'], { stdio: 'ignore' }).status === 0;

// Opens the cache, reads it (so it holds its reader slot), says so, and closes it when its standard input ends.
const HOLDER = `
import { ResultCache } from './src/state/cache.js';
const cache = ResultCache.open(process.argv[2]);
cache.get('m', 'anything');
console.log('held by pid ' + process.pid);
process.stdin.resume();
process.stdin.on('end', async () => {
  await cache.close();
  console.log('closed');
});
`;

describe.skipIf(!canUnshare)('a --cache folder open in another PID namespace under this process id (two containers)', () => {
  let work: string;
  let server: RunningServer;
  let input: string;
  let cache: string;
  const env = () => workersAiEnv(server);

  beforeAll(async () => {
    work = transpiledChildFolder('sb-cache-same-pid-', 'src/state/cache.ts', { 'holder.mjs': HOLDER });
    input = path.join(work, 'in.csv');
    writeFileSync(input, syntheticCsv(60));
    cache = path.join(work, 'cache');
    server = await startServer({ scorer: new TestScorer() });
  });
  afterAll(async () => {
    await server?.close();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  /** The built CLI as PID 1 of a PID namespace of its own. */
  function cliAsPid1(args: string[]): Promise<CliResult> {
    const child = spawn('unshare', [...UNSHARE, process.execPath, builtCli(), ...args], { cwd: REPO_ROOT, env: cleanEnv(env()), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  }

  function holderAsPid1(): LineChild {
    const child = spawn('unshare', [...UNSHARE, process.execPath, path.join(work, 'holder.mjs'), cache], { stdio: ['pipe', 'pipe', 'inherit'] });
    return { child, lines: createInterface({ input: child.stdout })[Symbol.asyncIterator]() };
  }

  const exited = (child: ChildProcess) => (child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve)));

  it('a run warns once and completes without the cache, estimate counts nothing as cached; once the other closes, both use it', async () => {
    const holder = holderAsPid1();
    try {
      expect(await nextLine(holder.lines, 'holding')).toBe('held by pid 1');

      const output = path.join(work, 'out.csv');
      const run = await cliAsPid1(['score', input, '--text-column', 'review', '-o', output, '--cache', cache, '--rpm', '100000']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).not.toMatch(/Cannot read properties|reading 'address'|network share|internal error/);
      const warnings = logLines(run.stderr).filter((line) => line.level === 40);
      expect(warnings).toHaveLength(1);
      const warning = String(warnings[0]?.msg);
      expect(warning).toContain("another container (another PID namespace) has this cache open under this process's id (1)");
      expect(warning).toContain('--pid host');
      expect(warning).toContain('goes on without the result cache');
      // Every row scored, none read from the cache: each distinct text was sent.
      const rows = parse(readFileSync(output), { columns: true }) as Array<Record<string, string>>;
      expect(rows).toHaveLength(60);
      expect(rows.every((row) => row.sentiment_label === 'POSITIVE' || row.sentiment_label === 'NEGATIVE' || row.review === '')).toBe(true);

      const estimate = await cliAsPid1(['estimate', input, '--text-column', 'review', '--cache', cache, '--json']);
      expect(estimate.code, estimate.stderr).toBe(0);
      expect(estimate.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(estimate.stderr).toContain('--pid host');
      expect(estimate.stderr).toContain('counts no text as cached');
      const figures = JSON.parse(estimate.stdout) as { alreadyCached: number; uniqueTexts: number; cacheNotRead?: string };
      expect(figures.alreadyCached).toBe(0);
      expect(figures.cacheNotRead).toContain('another container');
    } finally {
      holder.child.stdin?.end();
      await exited(holder.child);
    }

    // The other process gone, a PID 1 uses the cache: the run fills it, the estimate then finds every text.
    const again = await cliAsPid1(['score', input, '--text-column', 'review', '-o', path.join(work, 'again.csv'), '--cache', cache, '--rpm', '100000']);
    expect(again.code, again.stderr).toBe(0);
    expect(logLines(again.stderr).filter((line) => line.level === 40)).toEqual([]);
    const estimate = await cliAsPid1(['estimate', input, '--text-column', 'review', '--cache', cache, '--json']);
    expect(estimate.code, estimate.stderr).toBe(0);
    expect(estimate.stderr).toBe('');
    const figures = JSON.parse(estimate.stdout) as { alreadyCached: number; uniqueTexts: number; cacheNotRead?: string };
    expect(figures.alreadyCached).toBe(figures.uniqueTexts);
    expect(figures.cacheNotRead).toBeUndefined();
  });
});

