import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, symlinkSync, type Stats } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';

const REVIEWS = 'id,review\n1,great phone\n2,"awful, broke in a week"\n';
const ROOT = process.getuid?.() === 0;
const LINUX_PROC = existsSync('/proc/self/fd');

/**
 * An output path where a device node, a named pipe or a link to one already
 * is: before, the temp file was renamed over it (as root, -o /dev/full became
 * a regular file) and the run said Done, exit 0. Now: one line, exit 2, before
 * any work, and the node left as it was. Only nodes made in a temp folder.
 */
describe('-o, --report, --summary-json and report -o refuse what is not a regular file', () => {
  const { file, path: inDir } = useTempDir();
  const score = (...flags: string[]) => runCli(['score', file('r.csv', REVIEWS), '--text-column', 'review', ...flags]);
  const fifo = (name: string) => {
    const at = inDir(name);
    execFileSync('mkfifo', [at]);
    return at;
  };

  function expectRefused(r: CliResult, line: RegExp): void {
    expect(r.code).toBe(2);
    expectCleanError(r.stderr);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(line);
    expect(r.stdout).toBe('');
  }

  /** Nothing was scored: no output, checkpoint or lock beside the refused path, the input's folder as it was. */
  function expectNoWork(...kept: string[]): void {
    expect(readdirSync(inDir('.')).sort()).toEqual(['r.csv', ...kept].sort());
  }

  it('a named pipe as -o, --report or --summary-json: exit 2, the pipe stays a pipe', async () => {
    const pipe = fifo('p');
    expectRefused(
      await score('-o', pipe),
      /^sentiment-batch: -o \S+\/p: is a named pipe, not a regular file; sentiment-batch replaces its output files whole, so give the path of a file \(or - for standard output\)$/m,
    );
    expectRefused(await score('-o', inDir('o.csv'), '--report', pipe), /^sentiment-batch: --report \S+\/p: is a named pipe, not a regular file; .* so give the path of a file$/m);
    expectRefused(await score('-o', inDir('o.csv'), '--summary-json', pipe), /^sentiment-batch: --summary-json \S+\/p: is a named pipe, not a regular file; .* so give the path of a file$/m);
    expect(lstatSync(pipe).isFIFO()).toBe(true);
    expectNoWork('p');
  });

  it('report -o a named pipe: exit 2, the pipe stays a pipe', async () => {
    const input = file('r.csv', REVIEWS);
    const scored = inDir('r.scored.csv');
    expect((await runCli(['score', input, '--text-column', 'review', '-o', scored])).code).toBe(0);
    const pipe = fifo('page.html');
    expectRefused(await runCli(['report', scored, '-o', pipe]), /^sentiment-batch: -o \S+page\.html: is a named pipe, not a regular file; .*\(or - for standard output\)$/m);
    expect(lstatSync(pipe).isFIFO()).toBe(true);
  });

  it.skipIf(!LINUX_PROC)('a symbolic link to standard output (/proc/self/fd/1, a pipe or socket here) is refused, naming where it leads; the link stays', async () => {
    const link = inDir('out.csv');
    symlinkSync('/proc/self/fd/1', link);
    // The CLI's standard output is a pipe to this test.
    expectRefused(await score('-o', link), /^sentiment-batch: -o \S+out\.csv: is a symbolic link to \/proc\/self\/fd\/1, which is a (named pipe|socket), not a regular file; /m);
    expectRefused(await runCli(['report', file('x.csv', REVIEWS), '-o', link]), /-o \S+out\.csv: is a symbolic link to \/proc\/self\/fd\/1, which is a (named pipe|socket)/);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it.skipIf(!ROOT)('a character device made here (mknod, root) as -o, --summary-json or report -o: exit 2, still a device', async () => {
    const node = inDir('mynull');
    execFileSync('mknod', ['-m', '666', node, 'c', '1', '3']);
    const isDevice = (stats: Stats) => stats.isCharacterDevice() && stats.rdev === lstatSync('/dev/null').rdev;
    expectRefused(await score('-o', node), /^sentiment-batch: -o \S+mynull: is a character device, not a regular file; sentiment-batch replaces its output files whole/m);
    expectRefused(await score('-o', inDir('o.csv'), '--summary-json', node), /--summary-json \S+mynull: is a character device/);
    expectRefused(await runCli(['report', file('x.csv', REVIEWS), '-o', node]), /-o \S+mynull: is a character device/);
    expect(isDevice(lstatSync(node))).toBe(true);
  });

  it('a symbolic link to an earlier output is still replaced by the output, its target untouched (the rename replaces the link)', async () => {
    // A link to someone's other file is judged by that file, and refused: test/e2e-replace-refusals.test.ts.
    const earlier = 'id,review,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n';
    const target = file('target.csv', earlier);
    const link = inDir('out.csv');
    symlinkSync(target, link);
    const r = await score('-o', link);
    expect(r.code).toBe(0);
    expect(lstatSync(link).isFile()).toBe(true);
    expect(readFileSync(link, 'utf8')).toMatch(/^id,review,/);
    expect(readFileSync(target, 'utf8')).toBe(earlier);
  });

  it('a regular file already at --summary-json, an earlier run\'s summary, is replaced as before', async () => {
    // One holding anything else (someone's export) is refused: test/summary-json-data-file.test.ts.
    const summary = file('s.json', '{"status":"failed","exitCode":3}\n');
    expect((await score('-o', inDir('o.csv'), '--summary-json', summary)).code).toBe(0);
    expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ status: 'done' });
  });
});
