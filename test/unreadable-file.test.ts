import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { whyUnreadable } from '../src/wording/unreadable-file.js';

const refusalOf = (error: NodeJS.ErrnoException) => whyUnreadable(Object.assign(new Error(`${error.code}: ${error.message}, open '/x'`), { code: error.code }));

describe('whyUnreadable', () => {
  it('says why and what to do for the usual refusals', () => {
    let missing: unknown;
    try {
      readFileSync('/no/such/file/here');
    } catch (error) {
      missing = error;
    }
    expect(whyUnreadable(missing)).toBe('no such file or directory (ENOENT): check the path');
    expect(refusalOf({ name: 'Error', code: 'EACCES', message: 'permission denied' })).toMatch(/^permission denied \(EACCES\): give this user read access/);
    expect(refusalOf({ name: 'Error', code: 'EIO', message: 'i/o error' })).toBe('i/o error (EIO)');
    expect(whyUnreadable('odd')).toBe('odd');
    // 'in.csv/x.csv': Node's "not a directory" spoke of no part of the path and said nothing to do.
    let through: unknown;
    try {
      readFileSync(`${process.execPath}/x.csv`);
    } catch (error) {
      through = error;
    }
    expect(whyUnreadable(through)).toBe('a part of the path is a file, not a folder (ENOTDIR): check the path');
  });
});
