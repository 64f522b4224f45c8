import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kindOf } from '../src/wording/file-kind.js';
import { tempDir } from './support/cli.js';

/** The one wording of what is at a path (two copies said 'a device' and 'of an unknown kind' apart). */
describe.skipIf(process.platform === 'win32')('kindOf', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('names each kind of file', async () => {
    const at = (name: string) => path.join(dir, name);
    writeFileSync(at('file'), 'x');
    mkdirSync(at('folder'));
    execFileSync('mkfifo', [at('pipe')]);
    symlinkSync(at('file'), at('link'));
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(at('socket'), resolve));
    try {
      expect(kindOf(lstatSync(at('file')))).toBe('a regular file');
      expect(kindOf(lstatSync(at('folder')))).toBe('a folder');
      expect(kindOf(lstatSync(at('pipe')))).toBe('a named pipe');
      expect(kindOf(lstatSync(at('socket')))).toBe('a socket');
      expect(kindOf(lstatSync(at('link')))).toBe('a symbolic link');
      expect(kindOf(statSync('/dev/null'))).toBe('a character device');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.skipIf(!existsSync('/dev/loop0'))('a block device', () => {
    expect(kindOf(statSync('/dev/loop0'))).toBe('a block device');
  });
});
