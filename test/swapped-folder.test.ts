// The output's folder as the run found it (state/swapped-folder.ts), told from another at its path.
import { closeSync, mkdirSync, openSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSwappedFolder, rememberFolder } from '../src/state/swapped-folder.js';
import { useTempDir } from './support/e2e-dir.js';
import { canMount, mountTmpfs, unmount } from './support/mount.js';

describe('isSwappedFolder', () => {
  const files = useTempDir();

  it('the folder moved away and made again is another; the same folder is not, nor one never remembered', () => {
    const folder = files.path('out');
    mkdirSync(folder);
    rememberFolder(folder);
    expect(isSwappedFolder(folder)).toBe(false);
    renameSync(folder, files.path('moved'));
    mkdirSync(folder);
    expect(isSwappedFolder(folder)).toBe(true);
    expect(isSwappedFolder(files.path('moved'))).toBe(false);
  });

  // A tmpfs's root is inode 1 on every tmpfs: the run's own files holding the first one mounted (umount -l), the one
  // mounted after it differs by its device alone (measured: dev 45 then 46, inode 1 both).
  it.skipIf(!canMount())('a tmpfs lazily unmounted and another mounted at its path (the same inode, another device) is another', () => {
    const folder = files.path('mnt');
    mkdirSync(folder);
    mountTmpfs(folder, '64k');
    const held = openSync(path.join(folder, 'out.csv.lock'), 'w');
    try {
      rememberFolder(folder);
      const first = statSync(folder);
      unmount(folder);
      mountTmpfs(folder, '64k');
      try {
        const now = statSync(folder);
        expect(now.ino).toBe(first.ino);
        expect(now.dev).not.toBe(first.dev);
        expect(isSwappedFolder(folder)).toBe(true);
      } finally {
        unmount(folder);
      }
    } finally {
      closeSync(held);
    }
  });
});
