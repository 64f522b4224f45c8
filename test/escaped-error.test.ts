import { describe, expect, it } from 'vitest';
import { ConfigError, ExitCode, InputError, MachineFaultError } from '../src/errors.js';
import { oneLineErrorOf } from '../src/escaped-error.js';

const errno = (code: string, errnoNumber: number, fields: Record<string, unknown>) => Object.assign(new Error(`${code}: raw message`), { code, errno: errnoNumber, ...fields });

describe('oneLineErrorOf: what reaches the command line', () => {
  it('a removed working folder (uv_cwd) is a usage error: change folder, or give absolute paths', () => {
    const error = oneLineErrorOf(errno('ENOENT', -2, { syscall: 'uv_cwd' }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.exitCode).toBe(ExitCode.Usage);
    expect(error?.message).toMatch(/^the working folder no longer exists .*change to an existing folder \(cd\), or give absolute paths/);
  });

  it('a working folder whose path is too long to be read (uv_cwd ERANGE) is not said to be removed', () => {
    // cd'd, step by step, deeper than the 4,096 bytes getcwd(3) gives: the folder is there, its path cannot be read.
    const error = oneLineErrorOf(errno('ERANGE', -34, { syscall: 'uv_cwd' }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.exitCode).toBe(ExitCode.Usage);
    expect(error?.message).not.toMatch(/no longer exists|removed/);
    expect(error?.message).toMatch(/^the working folder's path is longer than the 4096 bytes the system gives \(ERANGE\): run the command from a folder with a shorter path/);
  });

  it('a path longer than the system takes (ENAMETOOLONG) is a usage error naming its length, not a machine fault to run again', () => {
    // File names over 255 bytes are refused before any work (paths/name-length.ts); a whole path over PATH_MAX was met
    // as the output's lock was made: exit 74, "check that path and the machine, then run the same command again".
    const long = `/data/${'d'.repeat(4080)}/out.csv.lock`;
    const error = oneLineErrorOf(errno('ENAMETOOLONG', -36, { syscall: 'mkdir', path: long }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.exitCode).toBe(ExitCode.Usage);
    expect(error?.message).toBe(
      `mkdir ${long} failed: a path there is longer than the 4095 bytes the system takes (ENAMETOOLONG): choose a folder with a shorter path, then run the command again`,
    );
  });

  it('an operating-system refusal no code of ours expected is one I/O line (exit 74) naming the call, the path and the reason', () => {
    const error = oneLineErrorOf(errno('ENXIO', -6, { syscall: 'open', path: '/data/sock' }));
    expect(error).toBeInstanceOf(MachineFaultError);
    expect(error?.exitCode).toBe(ExitCode.MachineFault);
    expect(error?.message).toBe('open /data/sock failed: no such device or address (ENXIO); check that path and the machine, then run the same command again');
    // Found in a cause too, as machineFaultOf finds it.
    expect(oneLineErrorOf(new Error('wrapped', { cause: errno('ENXIO', -6, { syscall: 'open', path: '/x' }) }))?.exitCode).toBe(ExitCode.MachineFault);
  });

  it('a known machine fault keeps its own words; our errors stay as they are', () => {
    expect(oneLineErrorOf(errno('ENOSPC', -28, { syscall: 'write', path: '/d/o.csv.partial' }))?.message).toMatch(/^no space left on the device holding \/d\/o\.csv\.partial/);
    const ours = new InputError('cannot open input');
    expect(oneLineErrorOf(ours)).toBe(ours);
  });

  it('a programming error stays a bug (its stack is printed): no errno code with a system call', () => {
    expect(oneLineErrorOf(new TypeError('x is undefined'))).toBeUndefined();
    expect(oneLineErrorOf(Object.assign(new TypeError('bad argument'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBeUndefined();
    expect(oneLineErrorOf('a string')).toBeUndefined();
  });
});
