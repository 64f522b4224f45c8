/**
 * The result cache across real processes: a writer SIGKILLed mid-write leaves
 * a usable cache holding everything it had committed, and two processes
 * writing the same directory at once both end up reading every key.
 *
 * The children run the real src/state/cache.ts: it is transpiled (types
 * stripped, nothing else) into a temp folder, because Node 20 cannot import
 * TypeScript directly.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextLine, startChild as startScript, type LineChild } from './support/child.js';
import { transpiledChildFolder } from './support/transpile.js';

import type { Scores } from '../src/scoring/scorer.js';
import { ResultCache } from '../src/state/cache.js';

const MODEL = 'workers-ai:@cf/huggingface/distilbert-sst-2-int8';

// The scores of text number i, computed the same way in the children (full-precision doubles).
const SCORES_OF = `(i) => {
  const positive = Math.sin(i + 0.5) ** 2;
  const negative = i % 3 === 0 ? 1 - positive : Math.cos(i + 0.5) ** 2;
  return { label: positive >= negative ? 'POSITIVE' : 'NEGATIVE', positive, negative };
}`;
const scoresOf = new Function(`return ${SCORES_OF}`)() as (i: number) => Scores;

let work: string;

/** The child script written into `work` by the set-up. */
const startChild = (args: string[]): LineChild => startScript(path.join(work, 'child.mjs'), args);


const CHILD = `
import { createInterface } from 'node:readline';
import { ResultCache } from './src/state/cache.js';
const scoresOf = ${SCORES_OF};
const [mode, dir, fromArg, countArg, sharedArg] = process.argv.slice(2);
const from = Number(fromArg), count = Number(countArg), shared = Number(sharedArg ?? 0);
const MODEL = ${JSON.stringify(MODEL)};
if (mode === 'cycles') {
  // Opens and closes the cache 'count' times, writing 'shared' new keys of its own each time.
  for (let cycle = 0; cycle < count; cycle++) {
    const cache = ResultCache.open(dir);
    for (let i = from + cycle * shared; i < from + (cycle + 1) * shared; i++) cache.put(MODEL, 'text ' + i, scoresOf(i));
    await cache.close();
  }
  console.log('cycled');
  process.exit(0);
}
if (mode === 'opens') {
  // Opens and closes the cache 'count' times, nothing else.
  for (let n = 0; n < count; n++) await ResultCache.open(dir).close();
  console.log('opened');
  process.exit(0);
}
const cache = ResultCache.open(dir);
if (mode === 'singles') {
  // Puts its keys one commit each.
  for (let i = from; i < from + count; i++) {
    cache.put(MODEL, 'text ' + i, scoresOf(i));
    await cache.flush();
  }
  await cache.close();
  console.log('written');
  process.exit(0);
}
if (mode === 'endless') {
  // Writes batches forever; reports what is committed. The parent kills it.
  for (let i = from; ; ) {
    const batchEnd = i + 500;
    for (; i < batchEnd; i++) cache.put(MODEL, 'text ' + i, scoresOf(i));
    await cache.flush();
    console.log('committed ' + i);
  }
}
// mode 'pair': own keys [from, from+count) and shared keys [1e6, 1e6+shared), in batches.
for (let i = 0; i < count; i++) {
  cache.put(MODEL, 'text ' + (from + i), scoresOf(from + i));
  if (i < shared) cache.put(MODEL, 'text ' + (1e6 + i), scoresOf(1e6 + i));
  if (i % 100 === 99) await cache.flush();
}
await cache.flush();
console.log('written');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const [otherFrom, otherCount] = line.split(' ').map(Number);
  let hits = 0, wrong = 0;
  const check = (i) => {
    const got = cache.get(MODEL, 'text ' + i);
    const want = scoresOf(i);
    if (got === undefined) return;
    hits++;
    if (got.label !== want.label || !Object.is(got.positive, want.positive) || !Object.is(got.negative, want.negative)) wrong++;
  };
  for (let i = 0; i < count; i++) check(from + i);
  for (let i = 0; i < otherCount; i++) check(otherFrom + i);
  for (let i = 0; i < shared; i++) check(1e6 + i);
  console.log('read ' + JSON.stringify({ hits, wrong }));
  break;
}
await cache.close();
`;



function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

beforeAll(() => {
  work = transpiledChildFolder('sb-cache-proc-', 'src/state/cache.ts', { 'child.mjs': CHILD });
});

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('ResultCache across processes', () => {
  it('survives writers killed with SIGKILL mid-write, keeping every committed entry', async () => {
    const dir = path.join(work, 'crash-cache');
    let committed = 0;
    for (let round = 0; round < 3; round++) {
      const { child, lines } = startChild(['endless', dir, String(committed), '0']);
      // Let it commit a few batches, then kill it while it is writing the next one.
      let reported = committed;
      while (reported < committed + 2000 + round * 700) {
        reported = Number((await nextLine(lines, 'committing')).split(' ')[1]);
      }
      committed = reported; // at least this much is committed; later batches may be too
      // A different moment each round: right away, or a few milliseconds into later batches.
      await new Promise((resolve) => setTimeout(resolve, round * 7));
      child.kill('SIGKILL');
      expect((await exited(child)).signal).toBe('SIGKILL');
    }

    // Every entry reported committed is there, bit for bit, and the cache still takes writes.
    const cache = ResultCache.open(dir);
    for (let i = 0; i < committed; i++) {
      const got = cache.get(MODEL, `text ${i}`);
      const want = scoresOf(i);
      expect(got?.label).toBe(want.label);
      expect(Object.is(got?.positive, want.positive) && Object.is(got?.negative, want.negative)).toBe(true);
    }
    expect(cache.stats().entries).toBeGreaterThanOrEqual(committed);
    cache.put(MODEL, 'after the crash', scoresOf(-1));
    await cache.flush();
    expect(cache.get(MODEL, 'after the crash')).toEqual(scoresOf(-1));
    await cache.close();

    // A new process can open and write too (no lock left held by the dead writers).
    const { child, lines } = startChild(['pair', dir, '5000000', '200', '0']);
    expect(await nextLine(lines, 'writing')).toBe('written');
    child.stdin?.end('0 0\n');
    expect(JSON.parse((await nextLine(lines, 'reading')).slice('read '.length))).toEqual({ hits: 200, wrong: 0 });
    expect((await exited(child)).code).toBe(0);
  });

  it('lets processes open and close one new cache over and over at once, none failing or losing a write', async () => {
    // Opens and closes meeting other processes' opens and closes: before lmdb's overlappingSync was off and
    // the open lock, 'MDB_BAD_TXN: mdb_page_touch no parent' at open, a failed commit, or a hang.
    const dir = path.join(work, 'cycled-cache');
    const [processes, cycles, keysPerCycle] = [4, 30, 1];
    const children = Array.from({ length: processes }, (_, n) => startChild(['cycles', dir, String(n * 1000), String(cycles), String(keysPerCycle)]));
    // A child hung on a broken lock is killed, so the test fails instead of waiting for ever.
    const bound = setTimeout(() => children.forEach(({ child }) => child.kill('SIGKILL')), 25_000);
    try {
      for (const { lines } of children) expect(await nextLine(lines, 'cycling')).toBe('cycled');
      for (const { child } of children) expect((await exited(child)).code).toBe(0);
    } finally {
      clearTimeout(bound);
    }
    const cache = ResultCache.open(dir);
    expect(cache.stats().entries).toBe(processes * cycles * keysPerCycle);
    await cache.close();
  });

  it("keeps every commit of a writer while other processes open and close the cache (an open used to undo a commit landing meanwhile)", async () => {
    // lmdb 3.5.6's LMDB sets lock.mdb's last transaction id at every open (cache-open-lock.ts): before
    // commits took the open lock, 9 of 20 such rounds (1,000 keys, 3 x 100 opens) lost commits.
    const dir = path.join(work, 'opened-cache');
    const created = ResultCache.open(dir);
    await created.close();
    const keys = 600;
    const writer = startChild(['singles', dir, '0', String(keys)]);
    const openers = Array.from({ length: 3 }, () => startChild(['opens', dir, '0', '60']));
    const all = [writer, ...openers];
    const bound = setTimeout(() => all.forEach(({ child }) => child.kill('SIGKILL')), 40_000);
    try {
      expect(await nextLine(writer.lines, 'writing')).toBe('written');
      for (const { lines } of openers) expect(await nextLine(lines, 'opening')).toBe('opened');
      for (const { child } of all) expect((await exited(child)).code).toBe(0);
    } finally {
      clearTimeout(bound);
    }
    const cache = ResultCache.open(dir);
    const missing = Array.from({ length: keys }, (_, i) => i).filter((i) => cache.get(MODEL, `text ${i}`) === undefined);
    expect(missing).toEqual([]);
    await cache.close();
  });

  it('lets two processes write the same cache at once and both read every key', async () => {
    const dir = path.join(work, 'shared-cache');
    const own = 3000;
    const shared = 1000;
    const a = startChild(['pair', dir, '0', String(own), String(shared)]);
    const b = startChild(['pair', dir, '100000', String(own), String(shared)]);
    expect(await nextLine(a.lines, 'writing')).toBe('written');
    expect(await nextLine(b.lines, 'writing')).toBe('written');
    // Both still open: each reads the other's keys through its own live handle.
    a.child.stdin?.end(`100000 ${own}\n`);
    b.child.stdin?.end(`0 ${own}\n`);
    const expected = { hits: 2 * own + shared, wrong: 0 };
    expect(JSON.parse((await nextLine(a.lines, 'reading')).slice('read '.length))).toEqual(expected);
    expect(JSON.parse((await nextLine(b.lines, 'reading')).slice('read '.length))).toEqual(expected);
    expect((await exited(a.child)).code).toBe(0);
    expect((await exited(b.child)).code).toBe(0);

    const cache = ResultCache.open(dir);
    expect(cache.stats().entries).toBe(2 * own + shared);
    await cache.close();
  });
});
