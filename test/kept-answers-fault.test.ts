import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MachineFaultError } from '../src/errors.js';
import { keptAnswersFault } from '../src/job/kept-answers-fault.js';
import { tempDir } from './support/cli.js';

const STORE = '/jobs/out.csv.answers';

/** An operating-system refusal as Node reports one, under the store. */
function refusal(code: string, syscall = 'open'): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: refused, ${syscall} '${STORE}/data.mdb'`), { code, syscall, path: `${STORE}/data.mdb` });
}

function lineOf(code: string): string {
  const fault = keptAnswersFault(refusal(code), STORE);
  expect(fault).toBeInstanceOf(MachineFaultError);
  return (fault as MachineFaultError).message;
}

const HEAD = `the answers the unfinished job paid for could not be kept in ${STORE} before starting over`;
const AS_THEY_WERE = 'nothing was replaced, its partial output and checkpoint are as they were';

/**
 * The line of a machine fault while keeping an unfinished job's answers (kept-answers-fault.ts) ends with what to do:
 * "free some space or make the folder writable" fits a full disk, a read-only or refused folder, not a failing disk.
 */
describe('the line of a fault while keeping an unfinished job\'s answers', () => {
  // Each said "free some space or make the folder writable": half of it fits each errno, and which half is known.
  it('says the one remedy that fits a full disk, a read-only filesystem, a refused folder', () => {
    const again = 'then run the same command again';
    expect(lineOf('ENOSPC')).toBe(`${HEAD} (no space left on the device): ${AS_THEY_WERE}; free some space on its disk, ${again}`);
    expect(lineOf('EROFS')).toBe(`${HEAD} (read-only filesystem): ${AS_THEY_WERE}; mount /jobs writable, ${again}`);
    // The folder is not asked (a path that is not there): the errno's own clause.
    expect(lineOf('EACCES')).toBe(`${HEAD} (permission denied): ${AS_THEY_WERE}; give this user write access to /jobs, ${again}`);
    expect(lineOf('EPERM')).toBe(`${HEAD} (operation not permitted): ${AS_THEY_WERE}; give this user write access to /jobs, ${again}`);
    for (const code of ['ENOSPC', 'EROFS', 'EACCES', 'EPERM']) expect(lineOf(code)).not.toMatch(/ or make the folder writable| or free some space/);
  });

  it('advises checking the disk for an input/output error, and raising the quota for a quota', () => {
    expect(lineOf('EIO')).toBe(`${HEAD} (input/output error): ${AS_THEY_WERE}; check the disk or volume, then run the same command again`);
    expect(lineOf('EDQUOT')).toBe(`${HEAD} (disk quota exceeded): ${AS_THEY_WERE}; free some space or raise the quota, then run the same command again`);
  });

  it('says no space or folder advice after a fault whose own line says what to do (the open-files limit)', () => {
    const line = lineOf('EMFILE');
    expect(line).toMatch(new RegExp(`^${HEAD.replace(/[.]/g, '\\.')} \\(too many open files in this process: raise the open-files limit \\(ulimit -n, e\\.g\\. to 1024\\), `));
    expect(line).toMatch(/; fix that fault, then run the same command again$/);
    expect(line).not.toContain('free some space');
  });

  // It said "its partial output and checkpoint are as they were" of files that went with the folder.
  it('says the job\'s files went with the output\'s folder when that folder was removed (ENOENT); only the store\'s gone, they are as they were', () => {
    const { dir, cleanup } = tempDir();
    try {
      const gone = path.join(dir, 'gone');
      const store = path.join(gone, 'out.csv.answers');
      const removed = keptAnswersFault(Object.assign(new Error(`ENOENT: mkdir '${store}'`), { code: 'ENOENT', syscall: 'mkdir', path: store }), store);
      expect(removed).toBeInstanceOf(MachineFaultError);
      expect((removed as MachineFaultError).message).toBe(
        `the answers the unfinished job paid for could not be kept in ${store} before starting over: the folder ${gone} does not exist any more (it was removed while the command ran), and the unfinished job's partial output, checkpoint and answer journal went with it; run the same command again: it makes the folder again and starts over`,
      );
      // The output's folder is there, the store's own folder gone: the job's files are untouched.
      const kept = path.join(dir, 'out.csv.answers');
      const line = (keptAnswersFault(Object.assign(new Error('ENOENT'), { code: 'ENOENT', syscall: 'open', path: path.join(kept, 'data.mdb') }), kept) as MachineFaultError).message;
      expect(line).toContain(AS_THEY_WERE);
    } finally {
      cleanup();
    }
  });

  it('is not said for an error that is not the machine\'s', () => {
    expect(keptAnswersFault(new Error('a bug'), STORE)).toBeUndefined();
  });
});

/** A completed job's answers are kept too (its output's, when the same input starts over under changed settings). */
describe('the line of a fault while keeping a completed job\'s answers', () => {
  // Before, the line said "the answers the unfinished job paid for … its partial output", of a job that had none.
  it('names the completed job\'s output, not a partial output', () => {
    const fault = keptAnswersFault(refusal('ENOSPC'), STORE, true);
    expect((fault as MachineFaultError).message).toBe(
      `the answers of the completed job's output could not be kept in ${STORE} before starting over (no space left on the device): nothing was replaced, its output and checkpoint are as they were; free some space on its disk, then run the same command again`,
    );
  });
});
