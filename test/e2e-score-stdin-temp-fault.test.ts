import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { canMount, useTmpfsMounts } from './support/mount.js';
import { syntheticCsv } from './support/reviews.js';

/**
 * `score - -o -` (standard input to standard output) reads its input through a copy in the temp folder (TMPDIR), there
 * being no output's folder to keep it beside. A full or read-only temp folder said "write elsewhere (-o)": another -o
 * moves nothing of that copy (with -o FILE it is kept beside FILE). The line names TMPDIR, and the input's file named
 * instead of '-', which needs no copy, as `estimate -` says (e2e-estimate-temp-fault.test.ts).
 */
describe.skipIf(!canMount())('score - -o -: its copy of standard input refused by the temp folder', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());
  const mount = useTmpfsMounts(() => dir);
  // ~200 KB: more than the 64 KiB filesystem below holds.
  const input = syntheticCsv(2_000);
  const args = ['score', '-', '--format', 'csv', '--text-column', 'review', '-o', '-', '--backend', 'embedded'];
  const AGAIN = "then run the same command again, or name the input's file instead of - (a file is read where it is, with no copy)";

  it('a full temp folder: exit 74, TMPDIR named, no -o; the copy removed, nothing on standard output', async () => {
    const full = mount('full', '64k');
    const result = await runCli(args, { input, env: { TMPDIR: full } });
    expect(result.code).toBe(74);
    expect(result.stderr).toMatch(new RegExp(`sentiment-batch: no space left on the device holding ${full}/sentiment-batch-stdin-\\w+/stdin: free some space or write elsewhere \\(TMPDIR\\), ${AGAIN.replace(/[()]/g, '\\$&')}\\n$`));
    expect(result.stdout).toBe('');
    expect(readdirSync(full)).toEqual([]);
  });

  it('a read-only temp folder: exit 74, TMPDIR named, no -o', async () => {
    const readOnly = mount('read-only', '64k', 'ro');
    const result = await runCli(args, { input, env: { TMPDIR: readOnly } });
    expect(result.code).toBe(74);
    expect(result.stderr).toMatch(new RegExp(`sentiment-batch: the folder ${readOnly} is on a read-only filesystem: mount it writable or write elsewhere \\(TMPDIR\\), ${AGAIN.replace(/[()]/g, '\\$&')}\\n$`));
  });
});
