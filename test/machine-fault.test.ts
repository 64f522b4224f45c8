import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExitCode, InputError, MachineFaultError } from '../src/errors.js';
import { machineFaultOf, refusalOf, withPath } from '../src/machine-fault.js';
import { completeOutputAdvice, writtenAgainAdvice, writtenOutputAdvice } from '../src/machine-fault-advice.js';
import { makeFolders } from '../src/paths/create-folder.js';

const errno = (code: string, fields: Record<string, unknown>) => Object.assign(new Error(`${code}: raw message`), { code, ...fields });

describe('machineFaultOf', () => {
  it.each([
    ['ENOSPC', { syscall: 'write', path: '/data/out.csv.partial' }, /no space left on the device holding \/data\/out\.csv\.partial/],
    ['EROFS', { syscall: 'mkdir', path: '/ro/out.csv.lock' }, /the folder \/ro is on a read-only filesystem/],
    ['EACCES', { syscall: 'open', path: '/data/out.csv.partial' }, /permission denied \(open \/data\/out\.csv\.partial\)/],
    ['EPERM', { syscall: 'rename', path: '/data/a' }, /operation not permitted/],
    // Where the limit was met is no help (often a module of the tool being loaded): the limit is named, not the file.
    ['EMFILE', { syscall: 'open', path: '/app/dist/src/report/after-run.js' }, /^too many open files in this process: raise the open-files limit \(ulimit -n, e\.g\. to 1024\), then run/],
    ['ENFILE', { syscall: 'open', path: '/app/dist/src/report/after-run.js' }, /^too many open files on this machine: close other programs or raise the system's limit \(sysctl fs\.file-max\)/],
    ['EADDRINUSE', { syscall: 'listen', address: '127.0.0.1', port: 8787 }, /port 8787 on 127\.0\.0\.1 is already in use/],
    // Port 0 (any free port): Node gives the address alone.
    ['EADDRNOTAVAIL', { syscall: 'listen', address: '192.0.2.1' }, /^the address 192\.0\.2\.1 is not an address of this machine: choose another --host$/],
    ['ELOOP', { syscall: 'open', path: '/data/s.json' }, /is a symbolic link/],
    // A rename onto a folder names the folder, not the temporary file renamed (a name the user never gave).
    ['EISDIR', { syscall: 'rename', path: '/data/o.csv.journal.tmp-7', dest: '/data/o.csv.journal' }, /^\/data\/o\.csv\.journal is a folder, expected a file: move or remove that folder/],
  ])('%s becomes one line with exit 74', (code, fields, message) => {
    const fault = machineFaultOf(errno(code, fields));
    expect(fault).toBeInstanceOf(MachineFaultError);
    expect(fault?.exitCode).toBe(ExitCode.MachineFault);
    expect(fault?.message).toMatch(message);
    expect(fault?.message).not.toMatch(/\n/);
  });

  it('a missing folder on a write is a fault; a missing file elsewhere, or an error of ours, is not mapped', () => {
    expect(machineFaultOf(errno('ENOENT', { syscall: 'open', path: '/no/such/folder/s.json' }))?.message).toMatch(/the folder \/no\/such\/folder does not exist/);
    expect(machineFaultOf(errno('ENOENT', { syscall: 'rename', path: `${process.cwd()}/gone.partial` }))).toBeUndefined();
    expect(machineFaultOf(new InputError('cannot open input'))).toBeUndefined();
    expect(machineFaultOf(new TypeError('x is undefined'))).toBeUndefined();
  });

  it.skipIf(!existsSync('/proc/self'))('creating in a folder that exists yet answers ENOENT (/proc, /sys): names the path and the flag that moves it, never a folder removed', () => {
    const folder = '/proc/self';
    const message = machineFaultOf(errno('ENOENT', { syscall: 'mkdir', path: `${folder}/o.csv.lock` }))?.message ?? '';
    expect(message).toBe(`cannot create ${folder}/o.csv.lock: the folder ${folder} exists but its filesystem takes no new files there (ENOENT, as /proc and /sys do): write elsewhere (-o)`);
    expect(machineFaultOf(errno('ENOENT', { syscall: 'open', path: `${folder}/r.html.tmp-1` }), writtenAgainAdvice('--report'))?.message).toMatch(/write elsewhere \(--report\)$/);
    // Elsewhere an ENOENT in an existing folder is a file gone meanwhile, not a filesystem refusing: not worded so.
    expect(machineFaultOf(errno('ENOENT', { syscall: 'open', path: `${process.cwd()}/gone.csv` }))).toBeUndefined();
  });

  it('a folder gone on a write was removed during the run (every folder written into is made first): the same command makes it again and starts over', () => {
    const message = machineFaultOf(errno('ENOENT', { syscall: 'open', path: '/no/such/folder/out.csv.partial' }))?.message ?? '';
    expect(message).toMatch(/^the folder \/no\/such\/folder does not exist any more: it was removed while the command ran; run the same command again: it makes the folder again and starts over/);
    // Not "create it": the command makes the folder itself; not "continues from the checkpoint": it went with the folder.
    expect(message).not.toMatch(/create it|continues from the checkpoint/);
  });

  // One rule for "a missing folder was removed meanwhile" (paths/removed-folder.ts): a folder this process went to make
  // and could not (under /proc, mkdir says ENOENT) never was there, as the output's folder's check at the end says too.
  it.skipIf(!existsSync('/proc/self'))('a write into a folder this process could not make is not said to be of a folder removed meanwhile', () => {
    const folder = `/proc/self/never-made-${process.pid}`;
    expect(() => makeFolders(folder)).toThrow(/cannot create the folder/);
    const message = machineFaultOf(errno('ENOENT', { syscall: 'open', path: `${folder}/s.json` }))?.message ?? '';
    expect(message).not.toMatch(/removed while the command ran/);
  });

  it("a file other than the job's output (a report, a summary file) is named with its own flag, with no checkpoint promised", () => {
    const advice = { flag: '--summary-json', again: 'then run the same command again' };
    for (const code of ['ENOSPC', 'EROFS', 'EACCES']) {
      const message = machineFaultOf(errno(code, { syscall: 'open', path: '/data/s.json' }), advice)?.message ?? '';
      expect(message).toMatch(/\/data/);
      expect(message).toMatch(/\(--summary-json\), then run the same command again$/);
      expect(message).not.toMatch(/-o\b|checkpoint/);
    }
    // Without advice: worded before anyone knows whether a checkpoint will be continued from (none yet, the output
    // complete): no promise. It said "(it continues from the checkpoint)"; score.ts words it again, knowing (jobAdvice).
    expect(machineFaultOf(errno('ENOSPC', { syscall: 'write', path: '/data/out.csv.partial' }))?.message).toMatch(/\(-o\), then run the same command again$/);
  });

  it('refusalOf hands a fault worded by default back as its refusal, for the command to word with what it knows', () => {
    const refusal = errno('ENOSPC', { syscall: 'write', path: '/data/out.csv.partial' });
    const worded = machineFaultOf(refusal);
    expect(refusalOf(worded)).toBe(refusal);
    // A line worded for its own case (a folder removed, a fault's own words) is kept.
    const own = new MachineFaultError('ENOSPC', 'its own words', { cause: refusal });
    expect(refusalOf(own)).toBe(own);
  });

  // Once every row is written, another -o scores (pays for) every row again: the line gives the remedy alone.
  it('advises no other path once every row is written or the output is complete', () => {
    for (const advice of [writtenOutputAdvice(), completeOutputAdvice('"output" in the job file')]) {
      for (const [code, fields] of [
        ['ENOSPC', { syscall: 'rename', path: '/data/o.csv.partial', dest: '/data/o.csv' }],
        ['EROFS', { syscall: 'rename', path: '/data/o.csv.partial', dest: '/data/o.csv' }],
        ['EACCES', { syscall: 'rename', path: '/no/such/o.csv.partial', dest: '/no/such/o.csv' }],
        ['EPERM', { syscall: 'unlink', path: '/data/o.csv.journal' }],
        ['EISDIR', { syscall: 'rename', path: '/data/o.csv.tmp-1', dest: '/data/o.csv' }],
      ] as const) {
        const message = machineFaultOf(errno(code, fields), advice)?.message ?? '';
        expect(message).toMatch(/, then run the same command again \((every row is written|the output is complete)/);
        expect(message).not.toMatch(/elsewhere|another path|\(-o\)|"output" in the job file/);
      }
    }
  });

  it('finds the fault in a cause, and withPath names the file a handle write failed on', () => {
    const wrapped = new Error('flush failed', { cause: errno('ENOSPC', { syscall: 'write' }) });
    expect(machineFaultOf(wrapped)?.message).toMatch(/no space left .*a file \(write\)/);
    const bare = errno('ENOSPC', { syscall: 'write' });
    expect(machineFaultOf(withPath(bare, '/data/out.csv.partial'))?.message).toMatch(/\/data\/out\.csv\.partial/);
  });

  it('looks 4 errors deep (errors.ts causes: a fetch failure wraps the socket\'s, our wrapping may wrap it again), no deeper, and ends a cause chain that loops', () => {
    const wrappedIn = (depth: number): Error => {
      let error: Error = errno('ENOSPC', { syscall: 'write' });
      for (let i = 1; i < depth; i++) error = new Error(`wrapper ${i}`, { cause: error });
      return error;
    };
    expect(machineFaultOf(wrappedIn(4))?.message).toMatch(/no space left/);
    expect(machineFaultOf(wrappedIn(5))).toBeUndefined();
    const loop = new Error('a');
    loop.cause = new Error('b', { cause: loop });
    expect(machineFaultOf(loop)).toBeUndefined();
  });
});
