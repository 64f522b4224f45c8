/**
 * Write throughput of the result cache, one process or several at once on one
 * folder, to compare builds of src/state/cache.ts side by side:
 *
 *   npm run build && node dist/bench/cache-write-throughput.js [--puts 20000] [--per-commit 100]
 *     [--processes 1] [--cache-module a/cache.js --cache-module b/cache.js ...]
 *
 * Each process puts its own keys, awaiting `flush` after every `--per-commit`
 * puts (one commit each), into a new folder per measurement; the builds take
 * turns, three times each. Prints puts per second summed over the processes.
 * Not part of `npm test` or `npm run bench`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import type { Scores } from '../src/scoring/scorer.js';

interface CacheModule {
  ResultCache: {
    open(dir: string): { put(modelId: string, text: string, scores: Scores): void; flush(): Promise<void>; close(): Promise<void> };
  };
}

/** Child: `child <module> <dir> <id> <puts> <perCommit>`; prints the seconds its puts took. */
async function child([modulePath, dir, id, puts, perCommit]: string[]): Promise<void> {
  const { ResultCache } = (await import(pathToFileURL(modulePath as string).href)) as CacheModule;
  const cache = ResultCache.open(dir as string);
  const [count, per] = [Number(puts), Number(perCommit)];
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const positive = (i % 997) / 997;
    cache.put('bench-model', `${id} review ${i}`, { label: positive >= 0.5 ? 'POSITIVE' : 'NEGATIVE', positive, negative: 1 - positive });
    if (i % per === per - 1) await cache.flush();
  }
  await cache.flush();
  console.log(Number(process.hrtime.bigint() - started) / 1e9);
  await cache.close();
}

function runChild(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), 'child', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('close', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`child exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      puts: { type: 'string', default: '20000' },
      'per-commit': { type: 'string', default: '100' },
      processes: { type: 'string', default: '1' },
      'cache-module': { type: 'string', multiple: true },
    },
  });
  const modules = (values['cache-module'] ?? [fileURLToPath(new URL('../src/state/cache.js', import.meta.url))]).map((m) => path.resolve(m));
  const [puts, perCommit, processes] = [Number(values.puts), Number(values['per-commit']), Number(values.processes)];
  const rates = new Map<string, number[]>(modules.map((m) => [m, []]));
  for (let turn = 0; turn < 3; turn++) {
    for (const modulePath of modules) {
      const parent = mkdtempSync(path.join(os.tmpdir(), 'sb-cache-bench-'));
      try {
        const dir = path.join(parent, 'cache');
        const seconds = await Promise.all(Array.from({ length: processes }, (_, id) => runChild([modulePath, dir, String(id), String(puts), String(perCommit)])));
        // All processes' puts over the longest one's time: the folder's throughput.
        rates.get(modulePath)?.push(Math.round((puts * processes) / Math.max(...seconds)));
      } finally {
        rmSync(parent, { recursive: true, force: true });
      }
    }
  }
  for (const [modulePath, list] of rates) {
    const sorted = [...list].sort((a, b) => a - b);
    console.log(`${modulePath}: ${processes} process(es) x ${puts} puts in commits of ${perCommit}: median ${sorted[1]} puts/s (runs: ${list.join(', ')})`);
  }
}

if (process.argv[2] === 'child') await child(process.argv.slice(3));
else await main();
