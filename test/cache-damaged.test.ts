/**
 * A result cache whose data file is damaged inside its length (pages overwritten by hand or by the disk): LMDB
 * answers a look-up that reaches such a page with MDB_CORRUPTED. A run met it as an internal error, exit 1 with a
 * stack trace, in the middle of its rows (operator5, 2026-12-05: `dd if=/dev/zero … conv=notrunc` over ten pages of
 * a 3,000-entry cache 4 s into a 5,000-row run), and an open met it as advice about network shares.
 *
 * The children run the real src/state/cache.ts, transpiled as in cache-process.test.ts: a damaged LMDB file may
 * abort the process that reads it, which must not be vitest's.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transpiledChildFolder } from './support/transpile.js';

let work: string;

// Fills a cache, opens it again (its open-time scan passes), then zeroes every page after the first three (the
// two meta pages and the first tree page stay): the next look-up reaches a page of the wrong type.
const CHILD = `
import fs from 'node:fs';
import { ResultCache } from './src/state/cache.js';
import { dayOf, encodeEntry } from './src/state/cache-codec.js';
const [mode, dir, model = 'm'] = process.argv.slice(2);
const SCORES = { label: 'POSITIVE', positive: 0.9, negative: 0.1 };
const damage = () => {
  const fd = fs.openSync(dir + '/data.mdb', 'r+');
  const size = fs.fstatSync(fd).size;
  for (let at = 3 * 4096; at < size; at += 4096) fs.writeSync(fd, Buffer.alloc(4096), 0, 4096, at);
  fs.closeSync(fd);
};
const filled = ResultCache.open(dir);
for (let i = 0; i < 5000; i++) filled.put(model, 'text ' + i, SCORES);
await filled.close();
if (mode === 'open') {
  damage();
  try {
    ResultCache.open(dir);
    console.log(JSON.stringify({ opened: true }));
  } catch (error) {
    console.log(JSON.stringify({ thrown: error.message, name: error.name }));
  }
  process.exit(0);
}
const warnings = [];
const warn = (message) => warnings.push(message);
if (mode === 'value' || mode === 'plausible') {
  // Every entry's value is SCORES written today: their positive (bytes 10..17) set to 5 in place, in the file, or to
  // 0.6 ('plausible': still an answer a model gives, its label the larger score's).
  const cache = ResultCache.open(dir, { onUnusableAnswer: warn });
  const value = encodeEntry(SCORES, dayOf(Date.now()));
  const bytes = fs.readFileSync(dir + '/data.mdb');
  const fd = fs.openSync(dir + '/data.mdb', 'r+');
  let changed = 0;
  for (let at = bytes.indexOf(value); at >= 0; at = bytes.indexOf(value, at + 1), changed++) {
    // SCORES' negative is stored (0.1 is not 1 - 0.9 in floats): 'plausible' changes it to 0.4 too, the two summing to 1.
    fs.writeSync(fd, new Float64Array([mode === 'value' ? 5 : 0.6]), 0, 8, at + 10);
    if (mode === 'plausible') fs.writeSync(fd, new Float64Array([0.4]), 0, 8, at + 18);
  }
  fs.closeSync(fd);
  const got = [1, 2, 4000].map((i) => cache.get(model, 'text ' + i) ?? null);
  await cache.close();
  console.log(JSON.stringify({ changed, got, warnings, stats: cache.stats() }));
  process.exit(0);
}
const cache = ResultCache.open(dir, mode === 'run' ? { onWritesStopped: warn } : {});
const before = cache.get(model, 'text 1');
damage();
const got = [];
try {
  for (const i of [2, 4000, 4001]) got.push(cache.get(model, 'text ' + i) ?? null);
  cache.put(model, 'new text', SCORES);
  await cache.close();
  console.log(JSON.stringify({ before, got, warnings, stats: cache.stats() }));
} catch (error) {
  console.log(JSON.stringify({ before, got, warnings, thrown: error.message, name: error.name }));
}
process.exit(0);
`;

function child(mode: string, name: string, model?: string): Record<string, unknown> {
  const dir = path.join(work, name);
  const result = spawnSync(process.execPath, [path.join(work, 'child.mjs'), mode, dir, ...(model ? [model] : [])], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  const last = result.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as Record<string, unknown>;
}

beforeAll(() => {
  work = transpiledChildFolder('sb-cache-damaged-', 'src/state/cache.ts', { 'child.mjs': CHILD });
});

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('a result cache damaged inside its file', () => {
  it('during a run: look-ups become misses (the rows are sent), with one warning naming the damage and the way out', () => {
    const out = child('run', 'during-run');
    expect(out.before).toEqual({ label: 'POSITIVE', positive: 0.9, negative: 0.1 });
    expect(out.thrown).toBeUndefined();
    expect(out.got).toEqual([null, null, null]);
    const warnings = out.warnings as string[];
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('is damaged (MDB_CORRUPTED');
    expect(warnings[0]).toContain('this run goes on without it: nothing more is read from it or written to it (the output is the same; its rows are sent)');
    expect(warnings[0]).toContain('delete that folder (or point --cache at a new one) to start a fresh cache');
  });

  // A run of the local model (--backend local) sends nothing: its rows are scored again. Both warnings said they were sent.
  it('of a run of the local model: the rows are said to be scored again, not sent', () => {
    const LOCAL = 'local:distilbert-sst2-int8@sha256-112fd4605848';
    const damaged = child('run', 'local-run', LOCAL);
    expect(damaged.got).toEqual([null, null, null]);
    expect(damaged.warnings).toEqual([expect.stringContaining('this run goes on without it: nothing more is read from it or written to it (the output is the same; its rows are scored again); delete that folder')]);
    const changed = child('value', 'local-value', LOCAL);
    expect(changed.got).toEqual([null, null, null]);
    expect(changed.warnings).toEqual([expect.stringMatching(/^the result cache in .*local-value holds answers that are not ones a model gives \(bytes changed on the disk\?\): they are not used, their texts are scored again and their new answers replace them;/)]);
  });

  it('without a run to warn: the look-up throws a CacheError saying the cache is damaged, not an LMDB error', () => {
    const out = child('library', 'library');
    expect(out.name).toBe('CacheError');
    expect(out.thrown).toMatch(/^The result cache in .*library is damaged \(MDB_CORRUPTED: Located page was wrong type\)/);
  });

  it('a value\'s bytes changed in place: not served (a miss, its text sent again), said once', () => {
    const out = child('value', 'value');
    // Each of the 5,000 entries' value, and the older copies in pages LMDB freed since (copy-on-write).
    expect(out.changed).toBeGreaterThanOrEqual(5000);
    expect(out.got).toEqual([null, null, null]);
    expect(out.warnings).toEqual([expect.stringMatching(/^the result cache in .*value holds answers that are not ones a model gives \(bytes changed on the disk\?\): they are not used, their texts are sent again/)]);
    expect(out.stats).toMatchObject({ hits: 0, misses: 3 });
  });

  // Changed into another answer a model could give, a value passed the check above and was served: 0.6 written to
  // the output for a text the model scored 0.9, exit 0. The check of the value's bytes (cache-codec.ts) makes it a miss.
  it('a value\'s bytes changed in place into another plausible answer: not served either', () => {
    const out = child('plausible', 'plausible');
    expect(out.changed).toBeGreaterThanOrEqual(5000);
    expect(out.got).toEqual([null, null, null]);
    expect(out.warnings).toEqual([expect.stringMatching(/^the result cache in .*plausible holds answers that are not ones a model gives \(bytes changed on the disk\?\): they are not used, their texts are sent again/)]);
    expect(out.stats).toMatchObject({ hits: 0, misses: 3 });
  });

  it('at open: says the cache is damaged and to delete it, not to use a local disk', () => {
    const out = child('open', 'at-open');
    expect(out.name).toBe('CacheError');
    expect(out.thrown).toMatch(/^The result cache in .*at-open is damaged \(MDB_CORRUPTED: Located page was wrong type\)/);
    expect(out.thrown).toContain('delete that folder (or point --cache at a new one) to start a fresh cache');
    expect(out.thrown).not.toContain('network share');
  });
});
