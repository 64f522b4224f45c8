import { describe, expect, it } from 'vitest';
import { machineFaultOf } from '../src/machine-fault.js';
import { jobAdvice } from '../src/machine-fault-advice.js';

const errno = (code: string, fields: Record<string, unknown>) => Object.assign(new Error(`${code}: raw message`), { code, ...fields });

/**
 * With a checkpoint, "run the same command again" continues the job; another -o starts a new job beside a new
 * checkpoint, scoring every row again. It said "free some space or write elsewhere (-o), then run the same command
 * again (it continues from the checkpoint)", as if the run at the other path continued (operator25).
 */
describe('a fault of a job with a checkpoint says what each remedy does', () => {
  const afresh = 'or write elsewhere (-o) to start afresh, scoring every row again (on Workers AI, paid again unless --cache holds its answer)';
  it.each([
    ['ENOSPC', { syscall: 'write', path: '/data/out.csv.partial' }, `no space left on the device holding /data/out.csv.partial: free some space, then run the same command again (it continues from the checkpoint); ${afresh}`],
    ['EROFS', { syscall: 'mkdir', path: '/ro/out.csv.lock' }, `the folder /ro is on a read-only filesystem: mount it writable, then run the same command again (it continues from the checkpoint); ${afresh}`],
    ['EACCES', { syscall: 'write', path: '/data/out.csv.partial' }, `permission denied (write /data/out.csv.partial): give this user access, then run the same command again (it continues from the checkpoint); ${afresh}`],
  ])('%s', (code, fields, line) => {
    expect(machineFaultOf(errno(code, fields), jobAdvice(true))?.message).toBe(line);
  });

  it('names the job file\'s setting in a run', () => {
    const line = machineFaultOf(errno('ENOSPC', { syscall: 'write', path: '/d/o.csv' }), jobAdvice(true, '"output" in the job file'))?.message;
    expect(line).toContain('free some space, then run the same command again (it continues from the checkpoint); or write elsewhere ("output" in the job file) to start afresh');
  });

  it('without a checkpoint, writing elsewhere is one of the remedies before running again, as nothing is continued', () => {
    expect(machineFaultOf(errno('ENOSPC', { syscall: 'write', path: '/data/out.csv.partial' }), jobAdvice(false))?.message).toBe(
      'no space left on the device holding /data/out.csv.partial: free some space or write elsewhere (-o), then run the same command again',
    );
  });
});
