import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { canMount, useTmpfsMounts } from './support/mount.js';
import { syntheticCsv } from './support/reviews.js';

/**
 * `estimate -` reads standard input through a copy in the temp folder (TMPDIR): the one file it writes. A full or
 * read-only temp folder said "free some space or write elsewhere (-o)", an option estimate refuses (it writes no output).
 * The line names what moves the copy (TMPDIR) and the way that needs none: the input's file named instead of '-'.
 */
describe.skipIf(!canMount())('estimate: its copy of standard input refused by the temp folder', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());
  const mount = useTmpfsMounts(() => dir);
  // ~200 KB: more than the 64 KiB filesystem below holds.
  const input = syntheticCsv(2_000);
  const args = ['estimate', '-', '--format', 'csv', '--text-column', 'review'];
  const AGAIN = "then run the same command again, or name the input's file instead of - (estimate then writes nothing)";

  it('a full temp folder: exit 74, TMPDIR named, no -o; the copy removed', async () => {
    const full = mount('full', '64k');
    const result = await runCli(args, { input, env: { TMPDIR: full } });
    expect(result.code).toBe(74);
    expect(result.stderr).toMatch(new RegExp(`^sentiment-batch: no space left on the device holding ${full}/sentiment-batch-estimate-\\w+/stdin: free some space or write elsewhere \\(TMPDIR\\), ${AGAIN.replace(/[()]/g, '\\$&')}\\n$`));
    expect(readdirSync(full)).toEqual([]);
  });

  it('a read-only temp folder: exit 74, TMPDIR named, no -o', async () => {
    const readOnly = mount('read-only', '64k', 'ro');
    const result = await runCli(args, { input, env: { TMPDIR: readOnly } });
    expect(result.code).toBe(74);
    expect(result.stderr).toBe(`sentiment-batch: the folder ${readOnly} is on a read-only filesystem: mount it writable or write elsewhere (TMPDIR), ${AGAIN}\n`);
  });
});
