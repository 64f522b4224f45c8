import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MachineFaultError } from '../src/errors.js';
import { tempCopyAdvice, tempFolderFault } from '../src/job/stdin.js';

const ADVICE = { flag: 'TMPDIR', again: "then run the same command again, or name the input's file instead of - (estimate then writes nothing)" };

/** mkdtemp's fault for a TMPDIR that is not a folder, as Node gives it. */
function mkdtempFault(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: mkdtemp`), { code, syscall: 'mkdtemp' });
}

// TMPDIR=/etc/passwd (a file, not a folder): `estimate -` said "the temp folder /etc/passwd passes through a file", the
// words for a path with a file among its folders, where the temp folder is itself the file.
describe('a TMPDIR that is a file', () => {
  const saved = process.env.TMPDIR;
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-temp-fault-'));
  afterEach(() => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says the temp folder is a file, not a folder', () => {
    const file = path.join(dir, 'passwd');
    writeFileSync(file, 'root:x:0:0\n');
    process.env.TMPDIR = file;
    const fault = tempFolderFault(mkdtempFault('ENOTDIR'), ADVICE);
    expect(fault).toBeInstanceOf(MachineFaultError);
    expect((fault as Error).message).toBe(
      `TMPDIR=${file}: the temp folder ${file} is a regular file, not a folder, so standard input cannot be copied there: point TMPDIR at a folder, ${ADVICE.again}`,
    );
  });

  it('still says "passes through a file" of a folder under a file', () => {
    const file = path.join(dir, 'plain');
    writeFileSync(file, '');
    process.env.TMPDIR = path.join(file, 'tmp');
    expect((tempFolderFault(mkdtempFault('ENOTDIR'), ADVICE) as Error).message).toBe(
      `TMPDIR=${file}/tmp: the temp folder ${file}/tmp passes through a file, so standard input cannot be copied there: create it or point TMPDIR at a folder that exists, ${ADVICE.again}`,
    );
  });
});

// In a container, a read-only /tmp is mended by a writable mount there (docker run --tmpfs /tmp), and the line says so;
// a TMPDIR naming no folder is not (mistyped: no mount makes it exist), and that line offered the mount all the same.
describe('the container advice of a temp folder', () => {
  const saved = process.env.TMPDIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  });

  it('is given for a read-only temp folder, not for one that does not exist', () => {
    const advice = tempCopyAdvice('estimate then writes nothing', true);
    process.env.TMPDIR = '/no-such-folder-sb';
    const missing = (tempFolderFault(mkdtempFault('ENOENT'), advice) as Error).message;
    expect(missing).toContain('create it or point TMPDIR at a folder that exists, then run the same command again');
    expect(missing).not.toContain('--tmpfs');
    const readOnly = (tempFolderFault(mkdtempFault('EROFS'), advice) as Error).message;
    expect(readOnly).toContain('docker run --tmpfs /tmp');
  });

  // No TMPDIR: the temp folder is /tmp itself, absent from an image built without one (FROM scratch), and a writable
  // mount there is what makes it: only a mistyped TMPDIR has no mount for a remedy.
  it('is given for a /tmp that does not exist, with no TMPDIR', () => {
    const advice = tempCopyAdvice('estimate then writes nothing', true);
    delete process.env.TMPDIR;
    const missing = (tempFolderFault(mkdtempFault('ENOENT'), advice) as Error).message;
    expect(missing).toContain('the temp folder /tmp does not exist');
    expect(missing).toContain('docker run --tmpfs /tmp');
  });
});
