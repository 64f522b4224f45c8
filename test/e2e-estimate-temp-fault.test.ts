import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canMount } from './support/mount.js';
import { useRefusingTempFolder } from './support/refusing-temp-folder.js';
import { tempCopyAdvice } from '../src/job/stdin.js';

/**
 * `estimate -` reads standard input through a copy in the temp folder (TMPDIR): the one file it writes. A full or
 * read-only temp folder said "free some space or write elsewhere (-o)", an option estimate refuses (it writes no output).
 * The line names what moves the copy (TMPDIR) and the way that needs none: the input's file named instead of '-'.
 */
describe.skipIf(!canMount())('estimate: its copy of standard input refused by the temp folder', () => {
  const args = ['estimate', '-', '--format', 'csv', '--text-column', 'review'];
  // The line names --tmpfs /tmp when the run is in a container (/.dockerenv: this machine may be one): tempCopyAdvice's own test.
  const AGAIN = tempCopyAdvice('estimate then writes nothing').again;
  const runWith = useRefusingTempFolder(args);

  it('a full temp folder: exit 74, TMPDIR named, no -o; the copy removed', async () => {
    const { result, tmpdir: full } = await runWith('full');
    expect(result.code).toBe(74);
    expect(result.stderr).toMatch(new RegExp(`^sentiment-batch: no space left on the device holding ${full}/sentiment-batch-estimate-\\w+/stdin: free some space or write elsewhere \\(TMPDIR\\), ${AGAIN.replace(/[()]/g, '\\$&')}\\n$`));
    expect(readdirSync(full)).toEqual([]);
  });

  it('a read-only temp folder: exit 74, TMPDIR named, no -o', async () => {
    const { result, tmpdir: readOnly } = await runWith('read-only');
    expect(result.code).toBe(74);
    expect(result.stderr).toBe(`sentiment-batch: the folder ${readOnly} is on a read-only filesystem: mount it writable or write elsewhere (TMPDIR), ${AGAIN}\n`);
  });
});
