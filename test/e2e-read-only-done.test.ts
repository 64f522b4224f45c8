import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir, type CliResult } from './support/cli.js';
import { canMount, useTmpfsMounts } from './support/mount.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const MOUNT = canMount();

/**
 * A completed job run again on a read-only output folder: its lock cannot be
 * taken, but "already done" writes nothing, so it says so and exits 0 (it was
 * exit 74). What has to write (start over, mend) still gets the folder's one line, 74.
 */
describe.skipIf(!MOUNT)('a completed job on a read-only output folder (root: mounts a tmpfs)', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let input: string;
  const TOKEN = 'token-abcdef123456';
  const env = () => workersAiEnv(server, { token: TOKEN });
  const args = (output: string, ...extra: string[]) => ['score', input, '--text-column', 'review', '-o', output, '--log-level', 'warn', ...extra];
  const readOnly = (folder: string) => execFileSync('mount', ['-o', 'remount,ro', folder]);
  const snapshot = (folder: string) => readdirSync(folder).map((name) => [name, readFileSync(path.join(folder, name)).toString('base64')]);
  // `continues`: the same command continues this job, so another -o is said after it, as a fresh start (operator25).
  const expectFolderFault = (result: CliResult, folder: string, again = 'then run the same command again (it continues from the checkpoint)', continues = true) => {
    expect(result.code).toBe(74);
    expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
    const remedy = continues
      ? `mount it writable, ${again}; or write elsewhere (-o) to start afresh, scoring every row again (on Workers AI, paid again unless --cache holds its answer)`
      : `mount it writable or write elsewhere (-o), ${again}`;
    expect(result.stderr.trim().split('\n').filter((line) => !line.startsWith('{'))).toEqual([
      `sentiment-batch: the folder ${folder} is on a read-only filesystem: ${remedy}`,
    ]);
  };

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), latency: '1-5ms', token: TOKEN });
    input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(200));
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });
  // After hooks run last-registered first: the mounts go before the folder holding them is removed.
  const mountTmpfs = useTmpfsMounts(() => dir);

  it('says already done, exit 0, and writes nothing; starting over or --summary-json there is still exit 74 naming the folder', async () => {
    const folder = mountTmpfs('done', '4m');
    const output = path.join(folder, 'out.csv');
    expect((await runCli(args(output))).code).toBe(0);
    readOnly(folder);
    const before = snapshot(folder);
    const summaryJson = path.join(dir, 'done-summary.json');

    const again = await runCli(args(output, '--summary-json', summaryJson, '--log-level', 'info'));
    expect(again.stderr).not.toMatch(/\n\s+at |internal error|sentiment-batch:/);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Already done \(nothing to do\)/);
    expect(again.stderr).toMatch(/already done: .*its folder cannot be written, so no lock was taken/);
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ status: 'already-done', exitCode: 0 });
    expect(snapshot(folder)).toEqual(before);

    // What must write cannot: the same one line as before this change.
    // --restart starts over whatever the checkpoint holds: its line promises no continuing.
    expectFolderFault(await runCli(args(output, '--restart')), folder, 'then run the same command again', false);
    // Another prefix starts over too (the settings differ from the checkpoint's): no promise either. It was made
    // when the lock was refused, before the settings were compared, and promised to continue. The line says why it
    // would start over, and that the checkpoint is as it was; the log announces no start over it did not make (it
    // logged "… differ from the checkpoint's: starting over" before its exit 74).
    const other = await runCli(args(output, '--prefix', 'other', '--log-level', 'info'));
    expectFolderFault(
      other,
      folder,
      "then run the same command again (it starts over, as the settings that shape the output (format, delimiter, escape, quote, decimal mark, text column, prefix, model and the address serving it, long-text policy, record limit) differ from the checkpoint's (prefix: 'sentiment' then, 'other' now); this run wrote nothing: the checkpoint is as it was)",
      false,
    );
    expect(other.stderr).not.toMatch(/starting over/);
    const summaryThere = path.join(folder, 'summary.json');
    const asked = await runCli(args(output, '--summary-json', summaryThere));
    expect(asked.code).toBe(74);
    expect(asked.stderr).toContain(`--summary-json ${summaryThere}: the folder ${folder} is on a read-only filesystem`);
    expect(snapshot(folder)).toEqual(before);
  });

  // A run killed between its rename and the removal of the answers it inherited leaves <output>.answers (kept-answers.ts).
  // With nothing to mend, a rerun removed it before saying "already done", unguarded: on a read-only folder, exit 74
  // ("the output is complete" and the folder's line) where "already done" writes nothing and needs no lock.
  it('a leftover <output>.answers folder beside it: already done, exit 0, the folder left as it is', async () => {
    const folder = mountTmpfs('leftover', '4m');
    const output = path.join(folder, 'out.csv');
    expect((await runCli(args(output))).code).toBe(0);
    mkdirSync(`${output}.answers`);
    writeFileSync(path.join(`${output}.answers`, 'data.mdb'), 'kept');
    readOnly(folder);

    const again = await runCli(args(output, '--log-level', 'info'));
    expect(again.stderr).not.toMatch(/\n\s+at |internal error|sentiment-batch:/);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Already done \(nothing to do\)/);
    expect(readFileSync(path.join(`${output}.answers`, 'data.mdb'), 'utf8')).toBe('kept');
  });

  it('a completed job with transiently failed rows to mend: exit 74 before any request is sent', async () => {
    const folder = mountTmpfs('mend', '4m');
    const output = path.join(folder, 'out.csv');
    const remote = (...extra: string[]) => runCli(args(output, '--rpm', '100000', '--max-attempts', '1', ...extra), { env: env() });
    server.setFaults({ seed: 5, latency: '1-5ms', failRate: 0.3 });
    const outage = await remote('--max-error-rate', '1');
    expect(outage.code).toBe(0);
    expect(outage.stdout).toMatch(/rows failed transiently/);
    server.setFaults({ seed: 5, latency: '1-5ms' });
    readOnly(folder);
    const before = snapshot(folder);
    server.reset();

    // It logged "the output holds rows that failed transiently: scoring just those again", then ended exit 74 saying
    // only "it continues from the checkpoint": now the one line says what the next run does, and that this one paid nothing.
    const listed = Number(/(\d+) rows failed transiently/.exec(outage.stdout)?.[1]);
    const refused = await remote('--log-level', 'info');
    expectFolderFault(
      refused,
      folder,
      `then run the same command again (it scores again just the ${listed} rows that failed transiently; this run sent nothing and wrote nothing: the output and the checkpoint are as they were)`,
    );
    expect(refused.stderr).not.toMatch(/scoring just those again/);
    expect(server.stats().total).toBe(0);
    expect(snapshot(folder)).toEqual(before);
  });
});
