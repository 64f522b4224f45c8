import { existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ExitCode, MachineFaultError } from '../src/errors.js';
import { flagWords } from '../src/config/setting-names.js';
import { createFolder } from '../src/paths/create-folder.js';
import { runCli, tempDir } from './support/cli.js';

describe('createFolder', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('a symbolic link to a folder that does not exist is the command\'s path at fault: one line naming the flag, exit 2', async () => {
    const dangling = path.join(dir, 'dangling');
    const target = path.join(dir, 'nowhere', 'folder');
    symlinkSync(target, dangling);
    const error = await createFolder(path.join(dangling, 'sub'), flagWords('-o', 'dangling/sub/o.csv')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(ExitCode.Usage);
    expect((error as Error).message).toBe(`-o dangling/sub/o.csv: ${dangling} is a symbolic link to ${target}, which leads to no folder; create the folder it points to, or choose another -o (in a container, a link holding an absolute path of the host leads nowhere: make it relative)`);
    expect(existsSync(target)).toBe(false);
  });

  // A relative link names a path inside the same mount, in a container too: no word of the host.
  it('says nothing of containers for a relative symbolic link to nothing', async () => {
    const dangling = path.join(dir, 'current');
    symlinkSync('releases/r9', dangling);
    const error = await createFolder(path.join(dangling, 'sub'), flagWords('-o', 'current/sub/o.csv')).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`-o current/sub/o.csv: ${dangling} is a symbolic link to releases/r9, which leads to no folder; create the folder it points to, or choose another -o`);
  });

  it('a file where a folder should be is named the same way, exit 2', async () => {
    const file = path.join(dir, 'file');
    writeFileSync(file, 'x');
    const error = await createFolder(path.join(file, 'a'), flagWords('--report', 'file/a/r.html')).catch((e: unknown) => e);
    expect((error as ConfigError).exitCode).toBe(ExitCode.Usage);
    expect((error as Error).message).toBe(`--report file/a/r.html: ${file} is a file, not a folder; choose another --report`);
  });

  it('creates missing folders, and accepts one that exists (also through a symbolic link to a folder)', async () => {
    mkdirSync(path.join(dir, 'there'));
    symlinkSync(path.join(dir, 'there'), path.join(dir, 'link'));
    await createFolder(path.join(dir, 'there'), flagWords('-o', 'there/o.csv'));
    await createFolder(path.join(dir, 'a', 'b', 'c'), flagWords('-o', 'a/b/c/o.csv'));
    await createFolder(path.join(dir, 'link', 'd'), flagWords('-o', 'link/d/o.csv'));
    expect(statSync(path.join(dir, 'a', 'b', 'c')).isDirectory()).toBe(true);
    expect(statSync(path.join(dir, 'there', 'd')).isDirectory()).toBe(true);
  });

  // Node 20's recursive mkdir never returns there (mkdir says ENOENT though /proc exists, and it retries forever).
  // As another user than root, mkdir there says EACCES (no hang, and not this case).
  it.skipIf(!existsSync('/proc/self') || process.getuid?.() !== 0)('a folder under /proc is refused at once, exit 74, instead of hanging', async () => {
    const error = await createFolder('/proc/sentiment-batch-test/x', flagWords('--summary-json', '/proc/sentiment-batch-test/x/s.json')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MachineFaultError);
    expect((error as Error).message).toMatch(/^cannot create the folder \/proc\/sentiment-batch-test: its filesystem refuses new folders there \(ENOENT\); choose another path$/);
  });

  // score -o /proc/x/out.csv said 'the folder /proc/x does not exist any more: it was removed while the command ran;
  // run the same command again: it makes the folder again': the folder never was there, and the same command fails again.
  it.skipIf(!existsSync('/proc/self') || process.getuid?.() !== 0)('score -o under /proc: the folder that could not be made is said so, not as removed while the command ran', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,review\n1,great\n');
    for (const output of ['/proc/sentiment-batch-test/out.csv', '/proc/sentiment-batch-test/x/out.csv']) {
      const result = await runCli(['score', input, '--text-column', 'review', '--backend', 'embedded', '-o', output]);
      expect(result.code).toBe(ExitCode.MachineFault);
      expect(result.stderr).toContain('sentiment-batch: cannot create the folder /proc/sentiment-batch-test: its filesystem refuses new folders there (ENOENT); choose another path\n');
      expect(result.stderr).not.toMatch(/removed while the command ran/);
    }
  });
});
