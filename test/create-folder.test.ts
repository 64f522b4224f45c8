import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode, MachineFaultError } from '../src/errors.js';
import { createFolder } from '../src/paths/create-folder.js';
import { tempDir } from './support/cli.js';

describe('createFolder', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('a symbolic link to a folder that does not exist is named, one line, exit 74 (was an internal error)', async () => {
    const dangling = path.join(dir, 'dangling');
    symlinkSync(path.join(dir, 'nowhere', 'folder'), dangling);
    const error = await createFolder(dangling).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MachineFaultError);
    expect((error as MachineFaultError).exitCode).toBe(ExitCode.MachineFault);
    expect((error as Error).message).toBe(`${dangling} exists but is not a folder (a file, or a symbolic link to a folder that does not exist): fix the path or create the folder`);
  });

  it('a file where a folder should be is named the same way', async () => {
    const file = path.join(dir, 'file');
    writeFileSync(file, 'x');
    await expect(createFolder(file)).rejects.toThrow(/exists but is not a folder/);
  });

  it('creates missing folders, and accepts one that exists', async () => {
    mkdirSync(path.join(dir, 'there'));
    await createFolder(path.join(dir, 'there'));
    await createFolder(path.join(dir, 'a', 'b', 'c'));
  });
});
