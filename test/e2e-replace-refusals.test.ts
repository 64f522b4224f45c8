import { readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';

const EXPORT = 'id,review\n1,great phone\n2,"awful, broke in a week"\n';
const LATER = 'id,review\n1,great phone\n2,"awful, broke in a week"\n3,fine\n4,terrible battery\n';
const QUIET = ['--text-column', 'review', '--progress', 'off', '--log-level', 'warn'];

function expectRefused(r: CliResult, line: string | RegExp): void {
  expect(r.code).toBe(2);
  expectCleanError(r.stderr);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  if (typeof line === 'string') expect(r.stderr).toBe(`sentiment-batch: ${line}\n`);
  else expect(r.stderr).toMatch(line);
  expect(r.stdout).toBe('');
}

/**
 * (A) An existing file at -o, the default output, a job file's "output", --report or report -o that is neither empty,
 * claimed by the job's checkpoint, nor an earlier output (report): `score r.csv -o r.csv.bak` replaced the backup
 * whole when the run completed, exit 0. Now exit 2 before any work, one line, the file as it was.
 */
describe('score and report refuse to replace a file that is not theirs (built CLI)', () => {
  const { file, path: at } = useTempDir();
  const folder = () => readdirSync(at('.')).sort();

  it('-o naming a backup of the input, with or without --restart: exit 2, nothing written beside it', async () => {
    const input = file('r.csv', EXPORT);
    const backup = file('r.csv.bak', EXPORT);
    const line = `-o ${backup} is a file that is not an earlier output (${EXPORT.length} bytes, and its first line holds no scores): it would be replaced whole when the run completes; choose another -o, or delete or move that file first`;
    expectRefused(await runCli(['score', input, '-o', backup, ...QUIET]), line);
    expectRefused(await runCli(['score', input, '-o', backup, '--restart', ...QUIET]), line);
    expect(readFileSync(backup, 'utf8')).toBe(EXPORT);
    expect(folder()).toEqual(['r.csv', 'r.csv.bak']);
  });

  it('the default output holding a file of the user\'s, and a job file\'s "output": named as given', async () => {
    file('r.csv', EXPORT);
    file('r.scored.csv', 'my notes\n');
    expectRefused(await runCli(['score', 'r.csv', ...QUIET], { cwd: at('.') }), /^sentiment-batch: the default output r\.scored\.csv is a file that is not an earlier output \(9 bytes, .*; name another output with -o, or delete or move that file first\n$/);
    const job = file('job.json', JSON.stringify({ input: 'r.csv', output: 'other.csv', textColumn: 'review' }));
    file('other.csv', EXPORT);
    expectRefused(
      await runCli(['run', job, '--progress', 'off']),
      `job file ${job}: "output" ${at('other.csv')} is a file that is not an earlier output (${EXPORT.length} bytes, and its first line holds no scores): it would be replaced whole when the run completes; choose another "output" in the job file, or delete or move that file first`,
    );
    expect(readFileSync(at('r.scored.csv'), 'utf8')).toBe('my notes\n');
    expect(readFileSync(at('other.csv'), 'utf8')).toBe(EXPORT);
  });

  it('a symbolic link at -o is judged by its target: to an export refused, to an earlier output replaced (the link, not its target)', async () => {
    const input = file('r.csv', EXPORT);
    const other = file('other.csv', EXPORT);
    symlinkSync(other, at('out.csv'));
    expectRefused(await runCli(['score', input, '-o', at('out.csv'), ...QUIET]), /out\.csv is a file that is not an earlier output \(\d+ bytes/);
    expect(readFileSync(other, 'utf8')).toBe(EXPORT);
    // An earlier output, scored afresh under another prefix: taken.
    expect((await runCli(['score', input, '-o', at('first.csv'), ...QUIET])).code).toBe(0);
    const first = readFileSync(at('first.csv'));
    symlinkSync(at('first.csv'), at('again.csv'));
    expect((await runCli(['score', input, '-o', at('again.csv'), '--prefix', 'mood', ...QUIET])).code).toBe(0);
    expect(readFileSync(at('again.csv'), 'utf8')).toMatch(/,mood_error\n/);
    expect(readFileSync(at('first.csv'))).toEqual(first);
  });

  it('report -o and score --report naming someone\'s page: exit 2, before the pass or the run', async () => {
    const input = file('r.csv', EXPORT);
    const notes = file('notes.html', '<p>mine</p>\n');
    expectRefused(
      await runCli(['score', input, '-o', at('out.csv'), '--report', notes, ...QUIET]),
      `--report ${notes} is a file that is not an earlier report (12 bytes): it would be replaced whole; choose another --report, or delete or move that file first`,
    );
    expect(folder()).toEqual(['notes.html', 'r.csv']);
    expect((await runCli(['score', input, '-o', at('out.csv'), ...QUIET])).code).toBe(0);
    expectRefused(await runCli(['report', at('out.csv'), '-o', notes]), `-o ${notes} is a file that is not an earlier report (12 bytes): it would be replaced whole; choose another -o, or delete or move that file first`);
    expect(readFileSync(notes, 'utf8')).toBe('<p>mine</p>\n');
  });
});

/**
 * (B) x.csv and x.csv.gz share the default output x.scored.csv and its checkpoint. Before, scoring the plain export
 * after the nightly .gz took the .gz job's checkpoint for its own input changed: the .gz job's finished output was
 * replaced, exit 0 (and the other way round). A checkpoint at the default output naming another input is refused.
 */
describe('two inputs sharing one default output (built CLI)', () => {
  const { file, path: at } = useTempDir();

  it('the plain export after the .gz is refused, exit 2, the .gz job\'s output kept; -o or --restart choose', async () => {
    file('x.csv.gz', gzipSync(LATER));
    file('x.csv', EXPORT);
    expect((await runCli(['score', 'x.csv.gz', ...QUIET], { cwd: at('.') })).code).toBe(0);
    const nightly = readFileSync(at('x.scored.csv'));
    const checkpoint = at('x.scored.csv.checkpoint.json');
    // The output and its checkpoint named as the summary names the default output (`Done: x.scored.csv`), beside the
    // inputs as typed: they were the absolute paths.
    const refusal = (job: string) =>
      `the default output x.scored.csv is the output of another input, x.csv.gz (its checkpoint x.scored.csv.checkpoint.json says so; that job is ${job}): scoring x.csv there would replace it. Name this run's output with -o, or run with --restart to replace it on purpose`;
    expectRefused(await runCli(['score', 'x.csv', ...QUIET], { cwd: at('.') }), refusal('completed'));
    expect(readFileSync(at('x.scored.csv'))).toEqual(nightly);
    expect(readdirSync(at('.')).sort()).toEqual(['x.csv', 'x.csv.gz', 'x.scored.csv', 'x.scored.csv.checkpoint.json']);
    // A paused job's rows (paid for, with Workers AI) are kept the same way.
    const saved = readFileSync(checkpoint, 'utf8');
    writeFileSync(checkpoint, saved.replace('"completed": true', '"completed": false'));
    expectRefused(await runCli(['score', 'x.csv', ...QUIET], { cwd: at('.') }), refusal('not finished'));
    writeFileSync(checkpoint, saved);
    // Its own -o: scored there, the nightly output untouched; the same export again is the same job (already done).
    expect((await runCli(['score', 'x.csv', '-o', 'x.plain.scored.csv', ...QUIET], { cwd: at('.') })).code).toBe(0);
    expect(readFileSync(at('x.scored.csv'))).toEqual(nightly);
    const again = await runCli(['score', 'x.csv.gz', ...QUIET, '--log-level', 'info'], { cwd: at('.') });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Already done/);
    // --restart replaces it on purpose.
    expect((await runCli(['score', 'x.csv', '--restart', ...QUIET], { cwd: at('.') })).code).toBe(0);
    expect(readFileSync(at('x.scored.csv'), 'utf8')).toBe(readFileSync(at('x.plain.scored.csv'), 'utf8'));
  });
});
