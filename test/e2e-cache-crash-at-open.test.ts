import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A result cache whose data file has a page overwritten (by hand, a bad disk, a copy over a live cache) where LMDB's
 * own checks meet it at open: `Assertion 'IS_LEAF(mp)' failed in mdb_cursor_next`, the process aborted (exit 134) with
 * no line, no --summary-json, on every run until someone deleted the folder (cacheprobe, 2026-12-05: 75 of the 87
 * pages of a 3,000-entry cache, zeroed one at a time). And a value's bytes changed in place, which LMDB does not
 * notice: served as they were, written to the output as an answer, exit 0.
 */

/**
 * LMDB's file (lmdb 3.5.6): pages of 4 KiB. A page's header: page number, transaction id (8 bytes each), then pad,
 * flags, lower bound (2 each); the lower bound counts the 2-byte node offsets that follow it, offsets counted from the
 * header's end. Pages 0 and 1 are the meta pages, the newer one current: after the header, 24 bytes, then the free
 * pages' and the main database's records (48 bytes each: root page at 40), the last page number and the transaction
 * id. A node: 2 + 2 + 2 bytes (a branch's child page number, in three parts), the key's length (2), the key, its data.
 */
const PAGE = 4096;
const HEADER_BYTES = 24;
const FLAGS_AT = 18;
const LOWER_AT = 20;
const P_BRANCH = 0x01;
const P_LEAF = 0x02;
const META_DATABASES_AT = HEADER_BYTES + 24;
const DATABASE_BYTES = 48;
const ROOT_IN_DATABASE = 40;

/** The offsets in `bytes` of page `page`'s nodes, in key order. */
function nodesOf(bytes: Buffer, page: number): number[] {
  const at = page * PAGE;
  const count = bytes.readUInt16LE(at + LOWER_AT) / 2;
  return Array.from({ length: count }, (_, i) => at + HEADER_BYTES + bytes.readUInt16LE(at + HEADER_BYTES + 2 * i));
}

/**
 * The results' leaf pages in key order, found from the current meta page down: not every page flagged a leaf is one
 * (copy-on-write leaves older copies in the file, free, which no run reads), and file order is not key order. A
 * results database of 3,000 entries is one branch page over its leaves.
 */
function resultLeafPages(file: string): number[] {
  const bytes = readFileSync(file);
  const metaTxnid = (meta: number) => bytes.readBigUInt64LE(meta * PAGE + META_DATABASES_AT + 2 * DATABASE_BYTES + 8);
  const meta = metaTxnid(0) > metaTxnid(1) ? 0 : 1;
  const mainRoot = Number(bytes.readBigUInt64LE(meta * PAGE + META_DATABASES_AT + DATABASE_BYTES + ROOT_IN_DATABASE));
  const results = nodesOf(bytes, mainRoot).find((node) => bytes.toString('latin1', node + 8, node + 8 + bytes.readUInt16LE(node + 6)) === 'results\0');
  expect(results, 'the main database names "results"').toBeDefined();
  const record = (results as number) + 8 + bytes.readUInt16LE((results as number) + 6);
  const root = Number(bytes.readBigUInt64LE(record + ROOT_IN_DATABASE));
  expect(bytes.readUInt16LE(root * PAGE + FLAGS_AT), 'the results\' root is a branch page').toBe(P_BRANCH);
  const leaves = nodesOf(bytes, root).map((node) => bytes.readUInt16LE(node) + bytes.readUInt16LE(node + 2) * 2 ** 16 + bytes.readUInt16LE(node + 4) * 2 ** 32);
  for (const leaf of leaves) expect(bytes.readUInt16LE(leaf * PAGE + FLAGS_AT), `page ${leaf} is a leaf`).toBe(P_LEAF);
  return leaves;
}

describe('a result cache damaged where LMDB aborts at open (built CLI)', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let input: string;
  /** The days since 1970 (UTC) on which beforeAll's run began and ended: the days its values hold. */
  let runDays: [number, number];
  const epochDay = () => Math.floor(Date.now() / 86_400_000);
  const env = () => workersAiEnv(server);
  const run = (name: string, cache: string) =>
    runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, `${name}.csv`), '--cache', cache, '--summary-json', path.join(dir, `${name}.json`), '--log-level', 'warn', '--rpm', '600000'], { env: env() });
  const summary = (name: string) => JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as { status: string; exitCode: number; totals: { requests: number } };
  /** A copy of the whole cache beforeAll's run made (no process has it open), at a path of its own. */
  const wholeCache = (name: string) => {
    const cache = path.join(dir, name);
    cpSync(path.join(dir, 'whole-cache'), cache, { recursive: true });
    return cache;
  };
  const damagedLine = (cache: string) =>
    `sentiment-batch: The result cache in ${cache} is damaged (LMDB aborted reading it: Assertion 'IS_LEAF(mp)' failed in mdb_cursor_next), ` +
    'so it is not a result cache this tool can use: delete that folder (or point --cache at a new one) to start a fresh cache, then run the same command again\n';

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer() });
    input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(3000, { duplicateEvery: 0, emptyEvery: 0 }));
    runDays = [epochDay(), 0];
    expect((await run('whole', path.join(dir, 'whole-cache'))).code).toBe(0);
    runDays[1] = epochDay();
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('a leaf page zeroed: exit 2 with one line saying to delete the folder, every run, not an abort; deleted, the run completes', async () => {
    const cache = wholeCache('zeroed');
    const data = path.join(cache, 'data.mdb');
    const leaves = resultLeafPages(data);
    expect(leaves.length).toBeGreaterThan(10);
    // Not the first leaf: a look-up reaches that one from its parent, and LMDB checks the page's type there (MDB_CORRUPTED,
    // reported); the scan reaches the others from their left neighbour, where LMDB only asserts.
    const page = leaves[Math.floor(leaves.length / 2)] as number;
    const bytes = readFileSync(data);
    bytes.fill(0, page * PAGE, (page + 1) * PAGE);
    writeFileSync(data, bytes);

    for (const name of ['zeroed-1', 'zeroed-2']) {
      const r = await run(name, cache);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toBe(damagedLine(cache));
      expect(summary(name)).toMatchObject({ status: 'failed', exitCode: 2 });
    }
    const estimate = await runCli(['estimate', input, '--text-column', 'review', '--cache', cache], { env: env() });
    expect(estimate.code, estimate.stderr).toBe(2);
    expect(estimate.stderr).toBe(damagedLine(cache));

    rmSync(cache, { recursive: true });
    const r = await run('zeroed-3', cache);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'zeroed-3.csv'))).toEqual(readFileSync(path.join(dir, 'whole.csv')));
  });

  // A page of random bytes whose flags say LEAF2 (a page of fixed-size keys, no values): the probe's walk ended there
  // without an error (LMDB gives such a page's keys at the database's fixed size, 0, which lmdb takes for the end), so the
  // probe passed, and the same walk in the run's own open then crashed now and then, as memory left it (lmdb copies a
  // value it was handed uninitialised): exit 139, no line (cachefix, 2026-12-05: 3 of 200 pages of random bytes, each of
  // this cache's pages in turn with two seeds, all three flagged LEAF2; one of them crashed 2 runs of 5, the others went
  // on without the cache, exit 0). The probe now checks that its walk reached the results' last entry.
  // The last leaf so damaged: the probe's look-up of the last key meets it (MDB_CORRUPTED), where the walk could not tell.
  it.each([
    ['a middle', (leaves: number[]) => Math.floor(leaves.length / 2), 'a walk of its results stopped short of their last entry, at a page LMDB reads as holding none'],
    ['the last', (leaves: number[]) => leaves.length - 1, 'MDB_CORRUPTED: Located page was wrong type'],
  ])('%s leaf page of random bytes flagged LEAF2: exit 2 with one line saying to delete the folder, every run, never a crash', async (which, pick, words) => {
    const cache = wholeCache(`leaf2-${which.split(' ')[1]}`);
    const data = path.join(cache, 'data.mdb');
    const leaves = resultLeafPages(data);
    const page = leaves[pick(leaves)] as number;
    const bytes = readFileSync(data);
    let state = 12345;
    for (let at = page * PAGE; at < (page + 1) * PAGE; at++) {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      bytes[at] = state >>> 16;
    }
    // The flags of the page that crashed in the sweep: neither P_LEAF nor P_BRANCH, P_LEAF2 (0x20) set.
    bytes.writeUInt16LE(0x0fac, page * PAGE + FLAGS_AT);
    writeFileSync(data, bytes);

    const line =
      `sentiment-batch: The result cache in ${cache} is damaged (${words}), ` +
      'so it is not a result cache this tool can use: delete that folder (or point --cache at a new one) to start a fresh cache, then run the same command again\n';
    for (const name of [`${path.basename(cache)}-1`, `${path.basename(cache)}-2`]) {
      const r = await run(name, cache);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toBe(line);
      expect(summary(name)).toMatchObject({ status: 'failed', exitCode: 2 });
    }
  });

  it("values' bytes changed in place: not served; their rows are sent again and the output is the same", async () => {
    const cache = wholeCache('changed');
    const data = path.join(cache, 'data.mdb');
    const bytes = readFileSync(data);
    // A value (cache-codec.ts): format 1, flags, the day written, 2 bytes of its check, the day last used (both the day
    // of beforeAll's run here, 16 bits each), 2 more of the check. That run's days, not today's: a run at 23:59 UTC wrote
    // yesterday's day by the time this test ran (0 values found, CI at 00:00 UTC).
    const ofRun = (day: number) => day >= runDays[0] && day <= runDays[1];
    let changed = 0;
    for (let at = bytes.indexOf(1); at >= 0 && at + 18 <= bytes.length; at = bytes.indexOf(1, at + 1)) {
      if (bytes[at + 1]! > 3 || !ofRun(bytes.readUInt16LE(at + 2)) || !ofRun(bytes.readUInt16LE(at + 6))) continue;
      if (bytes.readUInt16LE(at + 4) === 0 && bytes.readUInt16LE(at + 8) === 0) continue;
      bytes.writeDoubleLE(5, at + 10);
      changed += 1;
    }
    expect(changed).toBeGreaterThanOrEqual(3000);
    writeFileSync(data, bytes);

    const r = await run('changed', cache);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'changed.csv'), 'utf8')).toBe(readFileSync(path.join(dir, 'whole.csv'), 'utf8'));
    expect(summary('changed').totals.requests).toBe(3000);
  });
});
