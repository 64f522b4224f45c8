import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canMount } from './support/mount.js';
import { useRefusingTempFolder } from './support/refusing-temp-folder.js';
import { tempCopyAdvice } from '../src/job/stdin.js';

/**
 * `score - -o -` (standard input to standard output) reads its input through a copy in the temp folder (TMPDIR), there
 * being no output's folder to keep it beside. A full or read-only temp folder said "write elsewhere (-o)": another -o
 * moves nothing of that copy (with -o FILE it is kept beside FILE). The line names TMPDIR, and the input's file named
 * instead of '-', which needs no copy, as `estimate -` says (e2e-estimate-temp-fault.test.ts).
 */
describe.skipIf(!canMount())('score - -o -: its copy of standard input refused by the temp folder', () => {
  const args = ['score', '-', '--format', 'csv', '--text-column', 'review', '-o', '-', '--backend', 'embedded'];
  // The line names --tmpfs /tmp when the run is in a container (/.dockerenv: this machine may be one): tempCopyAdvice's own test.
  const AGAIN = tempCopyAdvice('a file is read where it is, with no copy').again;
  const runWith = useRefusingTempFolder(args);

  it('a full temp folder: exit 74, TMPDIR named, no -o; the copy removed, nothing on standard output', async () => {
    const { result, tmpdir: full } = await runWith('full');
    expect(result.code).toBe(74);
    expect(result.stderr).toMatch(new RegExp(`sentiment-batch: no space left on the device holding ${full}/sentiment-batch-stdin-\\w+/stdin: free some space or write elsewhere \\(TMPDIR\\), ${AGAIN.replace(/[()]/g, '\\$&')}\\n$`));
    expect(result.stdout).toBe('');
    expect(readdirSync(full)).toEqual([]);
  });

  it('a read-only temp folder: exit 74, TMPDIR named, no -o', async () => {
    const { result, tmpdir: readOnly } = await runWith('read-only');
    expect(result.code).toBe(74);
    expect(result.stderr).toMatch(new RegExp(`sentiment-batch: the folder ${readOnly} is on a read-only filesystem: mount it writable or write elsewhere \\(TMPDIR\\), ${AGAIN.replace(/[()]/g, '\\$&')}\\n$`));
  });
});
