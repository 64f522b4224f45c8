import { execFileSync } from 'node:child_process';
import { readdirSync, statfsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { faultLine } from './support/fault-line.js';
import { canMount, useTmpfsMounts } from './support/mount.js';
import { syntheticCsv } from './support/reviews.js';

const MOUNT = canMount();

/** Fills the filesystem at `at` to the last block. */
function fill(at: string): void {
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${path.join(at, 'fill')}`, 'bs=4k'], { stdio: 'ignore' });
  } catch {
    // dd ends with "No space left on device": that is the point.
  }
}

/** A disk full before the output's lock can be taken: the line names the lock, and speaks of a checkpoint only when there is one. */
describe.skipIf(!MOUNT)('a full disk while taking the lock (root)', () => {
  let dir: string;
  let cleanup: () => void;
  let input: string;
  // Registered first, so it runs after the unmounts (afterAll hooks run last-registered first).
  afterAll(() => cleanup());
  const mount = useTmpfsMounts(() => dir);
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(50));
  });

  it('a first run: names the lock, no "continues from the checkpoint", nothing left behind', async () => {
    const full = mount('first', '1m');
    fill(full);
    const output = path.join(full, 'r.scored.csv');
    const line = faultLine(await runCli(['score', input, '--text-column', 'review', '-o', output]));
    expect(line).toBe(`sentiment-batch: no space left on the device holding ${output}.lock: free some space or write elsewhere (-o), then run the same command again`);
    expect(readdirSync(full)).toEqual(['fill']);
  }, 60_000);

  it('a job with a checkpoint: the line says the next run continues from it', async () => {
    const full = mount('later', '1m');
    const output = path.join(full, 'r.scored.csv');
    expect((await runCli(['score', input, '--text-column', 'review', '-o', output])).code).toBe(0);
    fill(full);
    const line = faultLine(await runCli(['score', input, '--text-column', 'review', '-o', output]));
    expect(line).toBe(`sentiment-batch: no space left on the device holding ${output}.lock: free some space, then run the same command again (it continues from the checkpoint); or write elsewhere (-o) to start afresh, scoring every row again (on Workers AI, paid again unless --cache holds its answer)`);
    // Another prefix starts over (its settings differ from the checkpoint's): the line promises no continuing, says
    // why, and that the checkpoint is as it was; the log announces no start over (it did, then ended exit 74).
    const otherRun = await runCli(['score', input, '--text-column', 'review', '-o', output, '--prefix', 'other']);
    expect(faultLine(otherRun)).toBe(
      `sentiment-batch: no space left on the device holding ${output}.lock: free some space or write elsewhere (-o), then run the same command again (it starts over, as the settings that shape the output (format, delimiter, escape, quote, decimal mark, text column, prefix, model and the address serving it, long-text policy, record limit) differ from the checkpoint's (prefix: 'sentiment' then, 'other' now); this run wrote nothing: the checkpoint is as it was)`,
    );
    expect(otherRun.stderr).not.toMatch(/starting over/);
  }, 60_000);

  // The lock taken, the run starting over (another prefix) met the full disk before its first checkpoint replaced the
  // old one: the line promised "it continues from the checkpoint", and the same command started over again.
  it('a run starting over that stops before its first checkpoint: no promise of continuing', async () => {
    const nearly = mount('nearly', '1m');
    const output = path.join(nearly, 'r.scored.csv');
    expect((await runCli(['score', input, '--text-column', 'review', '-o', output])).code).toBe(0);
    // One page left: the lock's owner file takes it, and the new output's first bytes find none.
    const { bavail, bsize } = statfsSync(nearly);
    writeFileSync(path.join(nearly, 'fill'), Buffer.alloc((bavail - 1) * bsize));
    const line = faultLine(await runCli(['score', input, '--text-column', 'review', '-o', output, '--prefix', 'other']));
    expect(line).toMatch(new RegExp(`^sentiment-batch: no space left on the device holding ${output.replace(/[.]/g, '\\.')}\\S*: free some space or write elsewhere \\(-o\\), then run the same command again$`));
    // The partial output that not even its header fitted in is not left beside the completed output (it was: 0 bytes,
    // and the runs after it, finding the job already done, never removed it).
    expect(readdirSync(nearly).sort()).toEqual(['fill', 'r.scored.csv', 'r.scored.csv.checkpoint.json']);
  }, 60_000);
});
