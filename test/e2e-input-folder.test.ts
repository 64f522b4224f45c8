import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { expectCleanError } from './support/e2e-dir.js';

const HAS_MKFIFO = (() => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

// A folder of exports given as the input (`score exports`) has no extension: the commands asked for --format,
// and with --format the same command was then refused for being a folder. Now the first answer says what it is.
describe('an input that is a folder or a pipe, and has no extension', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('is refused as a folder by score, estimate and report, without asking for --format', async () => {
    const folder = path.join(dir, 'exports');
    mkdirSync(folder);
    for (const args of [['score', folder, '--text-column', 'review'], ['estimate', folder], ['report', folder]]) {
      const r = await runCli(args);
      expect(r.code, args[0]).toBe(3);
      // report reads a scored file, so it asks for one (report-folder-input.test.ts: a folder of outputs is named so)
      const wanted = args[0] === 'report' ? 'a scored file' : 'a file';
      expect(r.stderr, args[0]).toMatch(new RegExp(`exports': it is a folder, not a file; give the path of ${wanted}\\n$`));
      expect(r.stderr, args[0]).not.toMatch(/--format|--input-format|cannot tell the format/);
      expectCleanError(r.stderr);
    }
  });

  it.skipIf(!HAS_MKFIFO)('is refused as a pipe by score (as with --format)', async () => {
    const fifo = path.join(dir, 'feed');
    execFileSync('mkfifo', [fifo]);
    const r = await runCli(['score', fifo, '--text-column', 'review']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/it is a pipe or a device, not a file; pipe it in as standard input instead/);
    expect(r.stderr).not.toMatch(/cannot tell the format/);
  });

  it.skipIf(!HAS_MKFIFO)('is refused as a pipe by estimate with its own advice (it reads standard input), not score\'s', async () => {
    // `estimate <(cat file)` and a named pipe called .jsonl were told to run `score - --format csv -o OUT`.
    for (const name of ['feed', 'feed.jsonl']) {
      const fifo = path.join(dir, name);
      execFileSync('mkfifo', [fifo]);
      const r = await runCli(['estimate', fifo, '--backend', 'embedded']);
      expect(r.code, name).toBe(3);
      expect(r.stderr, name).toBe(`sentiment-batch: cannot read input '${fifo}': it is a pipe or a device, not a file; pipe it in as standard input instead ('... | sentiment-batch estimate - --format csv')\n`);
    }
  });
});
