import { afterAll, beforeAll } from 'vitest';
import { runCli, tempDir, type CliResult } from './cli.js';
import { useTmpfsMounts } from './mount.js';
import { syntheticCsv } from './reviews.js';

/** The two ways a temp folder refuses a copy: too small to hold it (`full`), or mounted read-only. */
export type TempFolderRefusal = 'full' | 'read-only';

/**
 * For a describe block (skipped unless canMount()) on a command that reads standard input through a copy in the temp
 * folder (`estimate -`, `score - -o -`): runs `args` with ~200 KB of CSV on standard input, more than the 64 KiB tmpfs
 * mounted as TMPDIR holds, full or read-only. Returns what the run said and that TMPDIR, which its lines name.
 */
export function useRefusingTempFolder(args: string[]): (refusal: TempFolderRefusal) => Promise<{ result: CliResult; tmpdir: string }> {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());
  const mount = useTmpfsMounts(() => dir);
  const input = syntheticCsv(2_000);
  return async (refusal) => {
    const tmpdir = mount(refusal, '64k', refusal === 'read-only' ? 'ro' : '');
    return { result: await runCli(args, { input, env: { TMPDIR: tmpdir } }), tmpdir };
  };
}
