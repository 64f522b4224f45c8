import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';

/**
 * A result cache whose data file has a page overwritten (by hand, a bad disk, a copy over a live cache) where LMDB's
 * own checks meet it at open: `Assertion 'IS_LEAF(mp)' failed in mdb_cursor_next`, the process aborted (exit 134) with
 * no line, no --summary-json, on every run until someone deleted the folder (cacheprobe, 2026-12-05: 75 of the 87
 * pages of a 3,000-entry cache, zeroed one at a time). And a value's bytes changed in place, which LMDB does not
 * notice: served as they were, written to the output as an answer, exit 0.
 */

/** LMDB's page header (lmdb 3.5.6): page number, transaction id (8 bytes each), then pad, flags, lower bound (2 each). */
const PAGE = 4096;
const FLAGS_AT = 18;
const LOWER_AT = 20;
const P_LEAF = 0x02;
const HEADER_BYTES = 24;

/** The page numbers of the leaf pages of `file` holding at least `minNodes` nodes (the results' leaves), in file order. */
function leafPages(file: string, minNodes: number): number[] {
  const bytes = readFileSync(file);
  const pages: number[] = [];
  for (let at = 2 * PAGE; at + PAGE <= bytes.length; at += PAGE) {
    if (bytes.readUInt16LE(at + FLAGS_AT) === P_LEAF && (bytes.readUInt16LE(at + LOWER_AT) - HEADER_BYTES) / 2 >= minNodes) pages.push(at / PAGE);
  }
  return pages;
}

describe('a result cache damaged where LMDB aborts at open (built CLI)', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let input: string;
  const env = () => ({ CLOUDFLARE_ACCOUNT_ID: 'acct', CLOUDFLARE_API_TOKEN: 'token-abcdef123456', CLOUDFLARE_BASE_URL: server.baseURL });
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
    expect((await run('whole', path.join(dir, 'whole-cache'))).code).toBe(0);
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('a leaf page zeroed: exit 2 with one line saying to delete the folder, every run, not an abort; deleted, the run completes', async () => {
    const cache = wholeCache('zeroed');
    const data = path.join(cache, 'data.mdb');
    const leaves = leafPages(data, 20);
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

  it("values' bytes changed in place: not served; their rows are sent again and the output is the same", async () => {
    const cache = wholeCache('changed');
    const data = path.join(cache, 'data.mdb');
    const bytes = readFileSync(data);
    // A value (cache-codec.ts): format 1, flags, then the day written and the day last used, both today's here.
    const today = Buffer.alloc(4);
    today.writeUInt32LE(Math.floor(Date.now() / 86_400_000));
    const head = Buffer.concat([Buffer.from([1]), Buffer.alloc(1), today, today]);
    let changed = 0;
    for (const flags of [0, 1, 2, 3]) {
      head[1] = flags;
      for (let at = bytes.indexOf(head); at >= 0; at = bytes.indexOf(head, at + 1)) {
        bytes.writeDoubleLE(5, at + 10);
        changed += 1;
      }
    }
    expect(changed).toBeGreaterThanOrEqual(3000);
    writeFileSync(data, bytes);

    const r = await run('changed', cache);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'changed.csv'), 'utf8')).toBe(readFileSync(path.join(dir, 'whole.csv'), 'utf8'));
    expect(summary('changed').totals.requests).toBe(3000);
  });
});
