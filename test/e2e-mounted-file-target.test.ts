/**
 * A file bind-mounted on its own as an output (`docker run -v ./out.csv:/data/out.csv`, a Kubernetes subPath): every
 * output file is written beside its path and renamed over it, and rename(2) will not replace a mount point (EBUSY).
 * Found 2026-12-07 (operator31): `-o` such a file scored every row (paid every request), printed its "Done" lines, then
 * ended exit 74 "rename … failed: resource busy or locked (EBUSY) … run the same command again", and every rerun the
 * same, the output never written; --summary-json, --report and `report -o` likewise after the work. Now refused
 * before any work, exit 2, one line. Mounting needs root: skipped without it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountedFileAt } from '../src/paths/mounted-target.js';
import { runCli, tempDir } from './support/cli.js';
import { canMount } from './support/mount.js';

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'reviews.csv');

describe('mountedFileAt (mountinfo given)', () => {
  it('a regular file whose own path is a mount point, through its folder\'s real path; not a file under a mounted folder', () => {
    const { dir, cleanup } = tempDir('sb-mounted-file-');
    try {
      const file = path.join(dir, 'out csv');
      writeFileSync(file, '');
      const mountinfo = `1 0 8:1 / / rw - ext4 /dev/sda1 rw\n40 1 8:1 /host/x ${dir.replace(/ /g, '\\040')}/out\\040csv rw - ext4 /dev/sda1 rw\n`;
      expect(mountedFileAt(file, mountinfo)).toBe(file);
      expect(mountedFileAt(path.join(dir, 'other.csv'), mountinfo)).toBeUndefined();
      expect(mountedFileAt(file, `1 0 8:1 / / rw - ext4 /dev/sda1 rw\n40 1 8:1 /host ${dir} rw - ext4 /dev/sda1 rw\n`)).toBeUndefined();
      expect(mountedFileAt(file, null)).toBeUndefined();
      // review69: a folder mounted later over the file's folder hides the file's own mount (rename works there): not refused.
      const hidden = `1 0 8:1 / / rw - ext4 /dev/sda1 rw\n40 1 8:1 /host/x ${dir.replace(/ /g, '\\040')}/out\\040csv rw - ext4 /dev/sda1 rw\n41 1 8:1 /host/y ${dir.replace(/ /g, '\\040')} rw - ext4 /dev/sda1 rw\n`;
      expect(mountedFileAt(file, hidden)).toBeUndefined();
      // One mounted on the file after the folder's is on top: refused.
      expect(mountedFileAt(file, `1 0 8:1 / / rw - ext4 /dev/sda1 rw\n41 1 8:1 /host/y ${dir} rw - ext4 /dev/sda1 rw\n40 1 8:1 /host/x ${dir.replace(/ /g, '\\040')}/out\\040csv rw - ext4 /dev/sda1 rw\n`)).toBe(file);
      // A mount at a path the file's only starts with (`out` beside `out csv`), mounted later, is no mount above it.
      expect(mountedFileAt(file, `${mountinfo}41 1 8:1 /host/y ${dir}/out rw - ext4 /dev/sda1 rw\n`)).toBe(file);
      // Named through a link to its folder (`-o current/out.csv`): mountinfo has the folder's real path.
      const link = path.join(dir, 'current');
      symlinkSync(dir, link);
      expect(mountedFileAt(path.join(link, 'out csv'), mountinfo)).toBe(file);
    } finally {
      cleanup();
    }
  });
});

describe.skipIf(!canMount())('a file bind-mounted on its own as -o, --summary-json, --report or report -o (root)', () => {
  let dir = '';
  let cleanup = (): void => undefined;
  const mounted: string[] = [];
  const input = (): string => path.join(dir, 'in.csv');
  const bound = (name: string): string => {
    const host = path.join(dir, 'host', name);
    const target = path.join(dir, 'ctr', name);
    writeFileSync(host, '');
    writeFileSync(target, '');
    execFileSync('mount', ['--bind', host, target]);
    mounted.push(target);
    return target;
  };
  beforeAll(() => {
    ({ dir, cleanup } = tempDir('sb-mounted-target-'));
    mkdirSync(path.join(dir, 'host'));
    mkdirSync(path.join(dir, 'ctr'));
    copyFileSync(FIXTURE, input());
  });
  afterAll(() => {
    for (const at of mounted.splice(0)) execFileSync('umount', ['-l', at], { stdio: 'ignore' });
    cleanup();
  });
  const score = (...more: string[]): string[] => ['score', input(), '--text-column', 'review', '--backend', 'embedded', '--progress', 'off', ...more];

  it.each([
    ['-o', 'out.csv', (target: string) => score('-o', target)],
    ['--summary-json', 's.json', (target: string) => score('-o', path.join(dir, 'o1.csv'), '--summary-json', target)],
    ['--report', 'r.html', (target: string) => score('-o', path.join(dir, 'o2.csv'), '--report', target)],
    ['-o', 'report.html', (target: string) => ['report', path.join(dir, 'in.csv'), '-o', target]],
  ])('%s %s: exit 2 before any work, one line naming the mount, nothing written', async (flag, name, args) => {
    const target = bound(name);
    const { code, stderr } = await runCli(args(target));
    expect(stderr).toBe(
      `sentiment-batch: ${flag} ${target}: is a file mounted on its own (a bind mount such as docker's -v ./${name}:${target}), which cannot be replaced: sentiment-batch writes its output files beside their path and renames them over it, so mount its folder instead and name the file in it${flag === '-o' ? ' (or - for standard output)' : ''}; nothing was done\n`,
    );
    expect(code).toBe(2);
    expect(readdirSync(path.join(dir, 'ctr')).sort()).toEqual(mounted.map((at) => path.basename(at)).sort());
    expect(readdirSync(dir).sort()).toEqual(['ctr', 'host', 'in.csv']);
    expect(readFileSync(target, 'utf8')).toBe('');
  });

  // The path through a symbolic link to the mount's folder (-o link/out.csv, link -> ctr): the example named the link's
  // path (docker's -v ./out.csv:…/link/out.csv), not the folder the file is mounted in (review69, operator31).
  it('-o through a symbolic link to the folder: the example and the folder to mount are the real ones, not the link', async () => {
    const target = bound('linked.csv');
    const link = path.join(dir, 'link');
    symlinkSync('ctr', link);
    try {
      const { code, stderr } = await runCli(score('-o', path.join(link, 'linked.csv')));
      expect(code).toBe(2);
      expect(stderr).toBe(
        `sentiment-batch: -o ${path.join(link, 'linked.csv')}: is a file mounted on its own (a bind mount such as docker's -v ./linked.csv:${target}), which cannot be replaced: sentiment-batch writes its output files beside their path and renames them over it, so mount its folder (${path.dirname(target)}) instead and name the file in it (or - for standard output); nothing was done\n`,
      );
    } finally {
      unlinkSync(link);
    }
  });
});
