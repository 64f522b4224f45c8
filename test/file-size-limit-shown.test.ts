import { describe, expect, it } from 'vitest';
import { fileSizeLimitShown } from '../src/process/file-size-limit.js';

/**
 * How a line names the file-size limit. bash's `ulimit -f` counts blocks of 1,024 bytes and prints a limit under one
 * block as 0 (`prlimit --fsize=500`, systemd's LimitFSIZE=500, docker run --ulimit fsize=500, sh's `ulimit -f 1`: 512
 * bytes): the line said "ulimit -f 0: 500 bytes", the value that sets a limit of no byte at all.
 */
describe('the file-size limit as a line says it', () => {
  it('gives ulimit -f\'s blocks and the bytes', () => {
    expect(fileSizeLimitShown(8192)).toBe('ulimit -f 8: 8,192 bytes');
    expect(fileSizeLimitShown(1024)).toBe('ulimit -f 1: 1,024 bytes');
    expect(fileSizeLimitShown(0)).toBe('ulimit -f 0: 0 bytes');
  });

  it('under one block, gives the bytes and what ulimit -f shows of them, not "ulimit -f 0" as the limit', () => {
    expect(fileSizeLimitShown(500)).toBe("500 bytes; bash's ulimit -f shows 0, in blocks of 1,024 bytes");
    expect(fileSizeLimitShown(1023)).toBe("1,023 bytes; bash's ulimit -f shows 0, in blocks of 1,024 bytes");
    expect(fileSizeLimitShown(1)).toBe("1 byte; bash's ulimit -f shows 0, in blocks of 1,024 bytes");
  });
});
