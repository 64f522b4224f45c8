import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

// Inode numbers as overlayfs hands them out: high bits set, so two files can differ only below 2^53's precision.
const HIGH = 2n ** 60n;
const inodes = new Map<string, bigint>();

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  // statSync as Node gives it for such a file system: exact as bigints, rounded to the nearest double as numbers.
  const statSync = ((file: string, options?: { bigint?: boolean }) => {
    const real = fs.statSync(file, options as never);
    const ino = inodes.get(path.basename(file));
    if (ino === undefined) return real;
    return options?.bigint ? Object.assign(real, { dev: 7n, ino }) : Object.assign(real, { dev: 7, ino: Number(ino) });
  }) as typeof fs.statSync;
  return { ...fs, default: { ...fs, statSync }, statSync };
});

const { fileIdentity, sameFile } = await import('../src/paths/same-file.js');

describe('sameFile', () => {
  it('tells apart two files whose inode numbers differ only past 2^53 (overlayfs)', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'same-file-'));
    const a = path.join(folder, 'export.csv');
    const b = path.join(folder, 'report.html');
    writeFileSync(a, 'x');
    writeFileSync(b, 'y');
    inodes.set('export.csv', HIGH + 1n);
    inodes.set('report.html', HIGH + 2n);
    expect(Number(HIGH + 1n)).toBe(Number(HIGH + 2n));
    expect(sameFile(fileIdentity(a), fileIdentity(b))).toBe(false);
    expect(sameFile(fileIdentity(a), fileIdentity(a))).toBe(true);
    rmSync(folder, { recursive: true, force: true });
  });
});
