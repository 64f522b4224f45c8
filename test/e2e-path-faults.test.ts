import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtCli, cleanEnv, runCli, type CliResult } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';
import { canMount, mountTmpfs, unmount } from './support/mount.js';

const REVIEWS = 'id,review\n1,great phone\n2,"awful, broke in a week"\n';
const LINUX_PROC = existsSync('/proc/self/fd');
const MOUNT = canMount();

function expectOneLine(r: Pick<CliResult, 'code' | 'stderr'>, code: number, line: RegExp): void {
  expect(r.code).toBe(code);
  expectCleanError(r.stderr);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(line);
}

/**
 * File-system errors that escaped as a stack trace (exit 1, "internal error"),
 * or with a misleading line: each is now one line with its exit code in docs/exit-codes.md.
 */
describe('file-system errors on the paths a command is given', () => {
  const { file, path: inDir } = useTempDir();

  /** The CLI started inside `folder`, which is removed just before (as `cd g && rmdir ../g` would leave a shell). */
  function fromRemovedFolder(folder: string, args: string[]): { code: number | null; stderr: string; stdout: string } {
    mkdirSync(folder);
    const r = spawnSync('sh', ['-c', 'cd "$1" && rmdir "$1" && shift && exec "$@"', 'sh', folder, process.execPath, builtCli(), ...args], { env: cleanEnv(), encoding: 'utf8' });
    return { code: r.status, stderr: r.stderr, stdout: r.stdout };
  }

  it('started in a working folder that was removed: score, estimate, report and run (a job file named relatively) say so in one line (exit 2); absolute paths still work', () => {
    const input = file('r.csv', REVIEWS);
    const line = /^sentiment-batch: the working folder no longer exists \(it was removed while in use: ENOENT\): change to an existing folder \(cd\), or give absolute paths, then run the command again$/m;
    expectOneLine(fromRemovedFolder(inDir('g1'), ['score', 'r.csv', '--text-column', 'review']), 2, line);
    expectOneLine(fromRemovedFolder(inDir('g2'), ['estimate', 'r.csv', '--text-column', 'review']), 2, line);
    expectOneLine(fromRemovedFolder(inDir('g3'), ['report', 'r.scored.csv']), 2, line);
    // A job file named relatively: said "cannot read job file job.json: no such file or directory (ENOENT): check the path".
    expectOneLine(fromRemovedFolder(inDir('g7'), ['run', 'job.json']), 2, line);
    const absolute = fromRemovedFolder(inDir('g4'), ['score', input, '--text-column', 'review', '-o', inDir('abs.csv')]);
    expect(absolute.stderr).not.toMatch(/working folder/);
    expect(absolute.code).toBe(0);
  });

  it('started in a working folder that was removed: an absolute input to -o - needs no folder, and is scored (exit 0)', () => {
    // It was refused, exit 2, "give absolute paths", though every path was absolute: resolving `-o -` asked for the folder.
    const input = file('r2.csv', REVIEWS);
    const toStdout = fromRemovedFolder(inDir('g5'), ['score', input, '--text-column', 'review', '-o', '-']);
    expect(toStdout.stderr).not.toMatch(/working folder/);
    expect(toStdout.code).toBe(0);
    expect(toStdout.stdout.split('\n').filter(Boolean)).toHaveLength(3);
    expect(toStdout.stdout).toMatch(/^id,review,sentiment_label,/);
    // Standard input to standard output: the copy goes to the temp folder (TMPDIR), not the working one.
    mkdirSync(inDir('g6'));
    const piped = spawnSync('sh', ['-c', 'cd "$1" && rmdir "$1" && shift && exec "$@"', 'sh', inDir('g6'), process.execPath, builtCli(), 'score', '-', '--format', 'csv', '--text-column', 'review', '-o', '-'], {
      env: cleanEnv(),
      encoding: 'utf8',
      input: REVIEWS,
    });
    expect(piped.stderr).not.toMatch(/working folder/);
    expect(piped.status).toBe(0);
    expect(piped.stdout).toBe(toStdout.stdout);
  });

  it.skipIf(!LINUX_PROC)('-o or report -o under /proc/self (a folder that takes no new files): one line naming the path, exit 74', async () => {
    const input = file('r.csv', REVIEWS);
    const scored = inDir('r.scored.csv');
    expect((await runCli(['score', input, '--text-column', 'review', '-o', scored])).code).toBe(0);
    const score = await runCli(['score', input, '--text-column', 'review', '-o', '/proc/self/o.csv']);
    expectOneLine(score, 74, /^sentiment-batch: .*\/proc\/self\/o\.csv/m);
    const report = await runCli(['report', scored, '-o', '/proc/self/r.html']);
    expectOneLine(report, 74, /^sentiment-batch: .*\/proc\/self\/r\.html/m);
    if (process.getuid?.() === 0) {
      // Root may write there, so what answers is the filesystem's ENOENT: named as such, not as a folder removed meanwhile.
      expect(score.stderr).toMatch(/cannot create \/proc\/self\/o\.csv\.lock\S*: the folder \/proc\/self exists but its filesystem takes no new files there \(ENOENT, as \/proc and \/sys do\): write elsewhere \(-o\)$/m);
      expect(report.stderr).toMatch(/cannot create \/proc\/self\/r\.html\S*: the folder \/proc\/self exists but .*write elsewhere \(-o\)$/m);
    }
  });

  it('--summary-json or -o through a symbolic link that loops: named as a loop (ELOOP), exit 2, before any work', async () => {
    const input = file('r.csv', REVIEWS);
    symlinkSync('loop1', inDir('loop1'));
    const summary = await runCli(['score', input, '--text-column', 'review', '-o', inDir('o.csv'), '--summary-json', 'loop1/s.json'], { cwd: inDir('.') });
    expectOneLine(
      summary,
      2,
      /^sentiment-batch: --summary-json loop1\/s\.json: \S+\/loop1 is a symbolic link to loop1 that loops \(ELOOP: following it never reaches a folder\); remove or fix the link, or choose another --summary-json$/m,
    );
    const output = await runCli(['score', input, '--text-column', 'review', '-o', 'loop1/x/o.csv'], { cwd: inDir('.') });
    expectOneLine(output, 2, /-o loop1\/x\/o\.csv: \S+\/loop1 is a symbolic link to loop1 that loops \(ELOOP/);
    expect(readdirSync(inDir('.')).sort()).toEqual(['loop1', 'r.csv']);
  });

  describe.skipIf(!MOUNT)('a missing folder under a read-only mount (root)', () => {
    it('-o, --report, report -o: exit 74, naming the read-only folder, never promising a checkpoint that does not exist', async () => {
      const input = file('r.csv', REVIEWS);
      const ro = inDir('ro');
      mkdirSync(ro);
      mountTmpfs(ro, '1m', 'ro');
      // Unmounted here, before the temp folder is removed after the test.
      try {
        const noCheckpoint = (r: CliResult) => expect(r.stderr).not.toMatch(/checkpoint/);
        const line = (flag: string) => new RegExp(`^sentiment-batch: the folder \\S+/ro is on a read-only filesystem: mount it writable or write elsewhere \\(${flag}\\), then run the same command again$`, 'm');
        const score = await runCli(['score', input, '--text-column', 'review', '-o', `${ro}/out/x.csv`]);
        expectOneLine(score, 74, line('-o'));
        noCheckpoint(score);
        const report = await runCli(['score', input, '--text-column', 'review', '-o', inDir('o.csv'), '--report', `${ro}/out/r.html`]);
        expectOneLine(report, 74, line('--report'));
        noCheckpoint(report);
        const page = await runCli(['report', input, '-o', `${ro}/out/r.html`]);
        expectOneLine(page, 74, line('-o'));
        noCheckpoint(page);
      } finally {
        unmount(ro);
      }
    });
  });
});
