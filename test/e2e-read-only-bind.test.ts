/**
 * A folder of another user's on a read-only bind mount (`docker run -v /srv/in:/data/in:ro`, the host folder owned by
 * root, the container running as uid 1000). access(2) checks the folder's permissions before the mount's read-only
 * flag, so it says EACCES there, and `--summary-json`, `--report` and `--cache` into that folder said "is not writable
 * by … chown …", advice that cannot help, where `-o` into it said "on a read-only filesystem" (mkdir checks the mount
 * first). Found 2026-12-05 with the image: `--summary-json in/s.json` against `-v …/in:/data/in:ro`.
 * Here without Docker: a root-owned folder bind-mounted read-only onto itself, the CLI run as uid 65534 (root only).
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCli, tempDir } from './support/cli.js';
import { canMount } from './support/mount.js';
import { cliRunsAs } from './support/run-as.js';

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'reviews.csv');

describe.skipIf(!canMount() || !cliRunsAs(65534))('a folder of root\'s on a read-only bind mount, written by another user (root)', () => {
  let dir = '';
  let cleanup = (): void => undefined;
  let readOnly = '';
  let input = '';
  beforeAll(() => {
    ({ dir, cleanup } = tempDir('sb-ro-bind-'));
    chmodSync(dir, 0o755);
    readOnly = path.join(dir, 'ro');
    mkdirSync(readOnly, { mode: 0o755 });
    execFileSync('mount', ['--bind', readOnly, readOnly]);
    execFileSync('mount', ['-o', 'remount,bind,ro', readOnly]);
    const writable = path.join(dir, 'out');
    mkdirSync(writable, { mode: 0o777 });
    chmodSync(writable, 0o777);
    input = path.join(writable, 'in.csv');
    copyFileSync(FIXTURE, input);
    chmodSync(input, 0o644);
  });
  afterAll(() => {
    if (readOnly !== '') execFileSync('umount', ['-l', readOnly], { stdio: 'ignore' });
    cleanup();
  });

  const asNobody = async (args: string[]): Promise<{ code: number | null; stderr: string }> => {
    const child = spawn(process.execPath, [builtCli(), ...args], { uid: 65534, gid: 65534, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stderr };
  };
  const score = (...more: string[]) => ['score', input, '--text-column', 'review', '--backend', 'embedded', '--progress', 'off', ...more];

  it.each([
    ['--summary-json', 's.json'],
    ['--report', 'r.html'],
  ])('%s there: exit 74, "on a read-only filesystem", no advice to chown', async (flag, name) => {
    const { code, stderr } = await asNobody(score(flag, path.join(readOnly, name)));
    expect(code).toBe(74);
    expect(stderr).toMatch(new RegExp(`^sentiment-batch: ${flag} ${readOnly}/${name.replace('.', '\\.')}: the folder ${readOnly} is on a read-only filesystem: make it writable or choose another path; nothing was done\\n$`, 'm'));
    expect(stderr).not.toMatch(/chown|not writable by/);
    expect(readdirSync(readOnly)).toEqual([]);
  });

  it('-o there: the same read-only line as before', async () => {
    const { code, stderr } = await asNobody(score('-o', path.join(readOnly, 'o.csv')));
    expect(code).toBe(74);
    expect(stderr).toMatch(new RegExp(`^sentiment-batch: the folder ${readOnly} is on a read-only filesystem: mount it writable or write elsewhere \\(-o\\)`, 'm'));
    expect(readdirSync(readOnly)).toEqual([]);
  });
});
