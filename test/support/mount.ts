import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { tempDir } from './cli.js';

/** Mounting needs root (and a container allowed to): probed once per file, the tests needing it skip otherwise. */
export function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const { dir, cleanup } = tempDir('sb-mount-probe-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    cleanup();
  }
}

/** Mounts a tmpfs of `size` (e.g. "64k", "1m") with extra `options` ("ro") at `at`, an existing empty folder. */
export function mountTmpfs(at: string, size: string, options = ''): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${options ? `,${options}` : ''}`, 'tmpfs', at]);
}

export function unmount(at: string): void {
  execFileSync('umount', ['-l', at], { stdio: 'ignore' });
}

/** For a describe block: mounts a tmpfs in a new folder `name` under `parent()`; all are unmounted after the block. */
export function useTmpfsMounts(parent: () => string): (name: string, size: string, options?: string) => string {
  const mounted: string[] = [];
  afterAll(() => {
    for (const at of mounted.splice(0)) unmount(at);
  });
  return (name, size, options = '') => {
    const at = path.join(parent(), name);
    mkdirSync(at);
    mountTmpfs(at, size, options);
    mounted.push(at);
    return at;
  };
}
