import { chownSync, closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keepModeOf, keepModeOnFdSync, keepModeOnHandle } from '../src/state/kept-mode.js';

/**
 * Root's run (a container's default user) replacing a bind-mounted output of the host user's made 0600 gave a file of
 * root's 0600: the mode was kept, the owner not, and the user could no longer read their own output (kept-mode.ts).
 * Only root may give a file away, so these run as root (as CI does) and are skipped otherwise.
 */
const asRoot = process.getuid?.() === 0;
const OTHER = 4242;

describe.skipIf(!asRoot)('a replaced file keeps its owner as well as its mode', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kept-owner-'));
  const target = (name: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, 'old', { mode: 0o600 });
    chownSync(file, OTHER, OTHER);
    return file;
  };
  const owner = (file: string) => {
    const stats = statSync(file);
    return { uid: stats.uid, gid: stats.gid, mode: stats.mode & 0o777 };
  };
  const kept = { uid: OTHER, gid: OTHER, mode: 0o600 };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keepModeOnHandle', async () => {
    const old = target('a.csv');
    const copy = path.join(dir, 'a.csv.tmp');
    const handle = await open(copy, 'w', 0o644);
    await keepModeOnHandle(old, handle);
    await handle.close();
    expect(owner(copy)).toEqual(kept);
  });

  it('keepModeOf', async () => {
    const old = target('b.csv');
    const copy = path.join(dir, 'b.csv.partial');
    writeFileSync(copy, 'new', { mode: 0o644 });
    await keepModeOf(old, copy);
    expect(owner(copy)).toEqual(kept);
  });

  it('keepModeOnFdSync', () => {
    const old = target('c.json');
    const copy = path.join(dir, 'c.json.tmp');
    const fd = openSync(copy, 'w', 0o644);
    keepModeOnFdSync(old, fd);
    closeSync(fd);
    expect(owner(copy)).toEqual(kept);
  });
});
