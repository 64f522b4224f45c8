import { spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCli, REPO_ROOT, runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { cliRunsAs } from './support/run-as.js';
import { useFileServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A root run killed with kill -9 leaves its lock in a folder with the sticky bit (as /tmp is), where only a file's
 * owner may move it. Another user's run there said "operation not permitted (rename <lock> -> <lock>): give this user
 * access or write elsewhere (-o)", of a folder it may write, and its rerun of a job already done said "its folder cannot
 * be written". Seen running the CLI as uid 65534 after a root run was killed in such a folder.
 */
describe.skipIf(!cliRunsAs(65534))('another user\'s lock left in a sticky folder (root: runs the CLI as uid 65534)', () => {
  let dir: string;
  let cleanup: () => void;
  let input: string;
  let folder: string;
  const server = useFileServer({ latency: '20ms' });
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    chmodSync(dir, 0o755);
    input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(40), { mode: 0o644 });
    folder = path.join(dir, 'shared');
    mkdirSync(folder);
    chmodSync(folder, 0o1777);
  });
  afterAll(() => cleanup());

  const asNobody = async (args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> => {
    const child = spawn(process.execPath, [builtCli(), ...args], { cwd: REPO_ROOT, uid: 65534, gid: 65534, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let [stdout, stderr] = ['', ''];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stdout, stderr };
  };
  const score = (output: string, ...extra: string[]) => ['score', input, '--text-column', 'review', '--backend', 'embedded', '-o', output, ...extra];

  it('is named for what it is, with what to do (exit 74); a job already done there is still done, for the right reason', async () => {
    const output = path.join(folder, 'out.csv');
    const lock = `${output}.lock`;
    // Root's run, killed as soon as its lock is in place.
    const killed = await runCli(score(output), { env: { NODE_OPTIONS: `--import ${path.join(REPO_ROOT, 'test/support/kill-at-rename.mjs')}`, SB_TEST_KILL_RENAME_TO: lock } });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(lock)).toBe(true);

    const refused = await asNobody(score(output));
    expect(refused.code).toBe(74);
    const lines = refused.stderr.trim().split('\n').filter((line) => !line.startsWith('{'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^sentiment-batch: the output's lock ${lock}, left by a run that is gone \\(host .*, pid \\d+, since .*\\), belongs to uid 0, and this user \\(uid 65534\\) may not replace or remove it in ${folder} ` +
          `\\(a folder with the sticky bit lets only a file's owner move it\\): remove it as that user or root \\(rm -r ${lock}\\), then run the same command again$`,
      ),
    );

    // A job of this user's completed there, then root's dead lock put beside its output: it is done, and writes nothing.
    const done = path.join(folder, 'done.csv');
    expect((await asNobody(score(done))).code).toBe(0);
    cpSync(lock, `${done}.lock`, { recursive: true });
    const again = await asNobody(score(done, '--log-level', 'info'));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Already done \(nothing to do\)/);
    expect(again.stderr).toContain("(its lock is another user's, which this one may not replace, so no lock was taken: none is needed to write nothing)");
  });

  // In a folder without the sticky bit the dead lock could be moved aside but not emptied: exit 74 'permission denied
  // (unlink …/out.csv.lock.dead-…/owner.json)', and only the next run went on. Moved aside, it is out of the way.
  it('without the sticky bit: the dead lock is moved aside and the run goes on, stale or not', async () => {
    const open = path.join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const output = path.join(open, 'out.csv');
    const killed = await runCli(score(output), { env: { NODE_OPTIONS: `--import ${path.join(REPO_ROOT, 'test/support/kill-at-rename.mjs')}`, SB_TEST_KILL_RENAME_TO: `${output}.lock` } });
    expect(killed.signal).toBe('SIGKILL');
    const taken = await asNobody(score(output, '--log-level', 'warn'));
    expect(taken.stderr).not.toMatch(/permission denied/);
    expect(taken.code).toBe(0);
    expect(taken.stdout).toMatch(/^Done: /);

    // Past the lock's stale time it was removed, not taken over, and this user may not empty it: exit 74, 'rm -r' it.
    const later = path.join(open, 'later.csv');
    expect((await runCli(score(later), { env: { NODE_OPTIONS: `--import ${path.join(REPO_ROOT, 'test/support/kill-at-rename.mjs')}`, SB_TEST_KILL_RENAME_TO: `${later}.lock` } })).signal).toBe('SIGKILL');
    const longAgo = new Date(Date.now() - 120_000);
    utimesSync(`${later}.lock`, longAgo, longAgo);
    const stale = await asNobody(score(later, '--log-level', 'warn'));
    expect(stale.stderr).not.toMatch(/permission denied|may not replace or remove it/);
    expect(stale.stderr).toContain('took over the lock of a run that is gone');
    expect(stale.code).toBe(0);
    expect(stale.stdout).toMatch(/^Done: /);
  });
  // operator31: root's run killed, its files root's, run again as uid 65534 in a folder it may write: the dead lock was
  // moved aside (`out.csv.lock.dead-<pid>-<hex>`), which this user may not empty, and the refusal of the partial output
  // named the partial output alone; the leftover stayed, never mentioned. The refusal names it, with what to do.
  it("another user's job files in a folder this user may write: the refusal names the dead lock moved aside too", async () => {
    const open = path.join(dir, 'open-files');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const output = path.join(open, 'out.csv');
    // Killed once its first checkpoint is in place: a partial output to continue, root's.
    const killed = await runCli(score(output), { env: { NODE_OPTIONS: `--import ${path.join(REPO_ROOT, 'test/support/kill-at-rename.mjs')}`, SB_TEST_KILL_RENAME_TO: `${output}.checkpoint.json` } });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(`${output}.lock`)).toBe(true);
    const refused = await asNobody(score(output));
    expect(refused.code).toBe(74);
    const aside = readdirSync(open).filter((name) => name.startsWith('out.csv.lock.dead-'));
    expect(aside).toHaveLength(1);
    const leftover = path.join(open, aside[0]!);
    const lines = refused.stderr.trim().split('\n').filter((line) => !line.startsWith('{'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sentiment-batch: cannot open .*out\.csv\.partial \(permission denied\): /);
    expect(lines[0]).toContain(`; the lock of uid 0's run, moved aside to ${leftover}, stays too: this user may not remove it (as uid 0: rm -r ${leftover})`);
  });

  // --restart reads none of another user's job files and replaces them all, which root may do, not another user: for that
  // user they are refused all the same, every one named in one line (job/foreign-job-files.ts), not met one at a time
  // ('operation not permitted (rename …checkpoint.json.tmp-… -> …checkpoint.json)').
  it("another user's job files there, with --restart: still refused, all named in one line (exit 74)", async () => {
    const output = path.join(folder, 'restart.csv');
    // Root's run, killed just before its output is renamed into place: its checkpoint and partial output stay.
    const killed = await runCli(score(output), { env: { NODE_OPTIONS: `--import ${path.join(REPO_ROOT, 'test/support/kill-at-rename.mjs')}`, SB_TEST_KILL_RENAME_TO: output, SB_TEST_KILL_RENAME_WHEN: 'before' } });
    expect(killed.signal).toBe('SIGKILL');
    rmSync(`${output}.lock`, { recursive: true, force: true }); // its lock is another test's matter (above)
    // Its files made a third user's (uid 4242): root owns the folder, and its owner's files are no stranger's there.
    for (const file of [`${output}.checkpoint.json`, `${output}.partial`]) chownSync(file, 4242, 4242);
    const refused = await asNobody(score(output, '--restart'));
    expect(refused.code).toBe(74);
    expect(refused.stderr).toContain(`${output}.checkpoint.json and ${output}.partial belong to uid 4242, not to this user (uid 65534)`);
  });

  /** Root's remote run killed at its second checkpoint in a folder every user may write: its partial output and its answer journal (0600) stay, root's. */
  const killedRemoteJob = async (name: string): Promise<{ output: string; env: Record<string, string> }> => {
    const open = path.join(dir, name);
    mkdirSync(open);
    chmodSync(open, 0o777);
    const output = path.join(open, 'out.csv');
    const env = workersAiEnv(server);
    const kill = { NODE_OPTIONS: `--import ${path.join(REPO_ROOT, 'test/support/kill-at-rename.mjs')}`, SB_TEST_KILL_RENAME_TO: `${output}.checkpoint.json`, SB_TEST_KILL_RENAME_NTH: '2' };
    const killed = await runCli([...remote(output), '--checkpoint-interval', '100ms'], { env: { ...env, ...kill } });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(`${output}.journal`)).toBe(true);
    return { output, env };
  };
  const remote = (output: string, ...extra: string[]) => ['score', input, '--text-column', 'review', '--backend', 'workers-ai', '--concurrency', '1', '-o', output, ...extra];

  // lowfix69: starting over (settings changed), the run keeps the answers root's job paid for, and root's journal (0600)
  // refused the read: the line said "… (permission denied) … give this user write access to <folder>", of a folder this
  // user may write. The file refused is named, with what to do.
  it("starting over beside another user's journal it may not read: the journal is named, with chown or rm (exit 74)", async () => {
    const { output, env } = await killedRemoteJob('start-over');
    chownSync(`${output}.partial`, 65534, 65534); // the journal alone refused
    const refused = await asNobody(remote(output, '--prefix', 'other'), env);
    expect(refused.code).toBe(74);
    const lines = refused.stderr.trim().split('\n').filter((line) => !line.startsWith('{'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('give this user write access to');
    expect(lines[0]).toContain(
      `could not be kept in ${output}.answers before starting over: ${output}.journal is not readable by the user this command runs as (uid 65534), as it belongs to uid 0: ` +
        `nothing was replaced, its partial output and checkpoint are as they were; give that user read access to it (chown 65534 ${output}.journal), ` +
        'or remove it (its answers are then requested again), then run the same command again',
    );
  });

  // The same refusal of this user's own journal (made unreadable, 0000): chown to the user it already belongs to
  // would change nothing; chmod u+r is what gives it back.
  it('starting over beside its own journal it may not read: the journal is named, with chmod u+r or rm (exit 74)', async () => {
    const { output, env } = await killedRemoteJob('own-journal');
    for (const file of readdirSync(path.dirname(output))) chownTree(path.join(path.dirname(output), file), 65534);
    chmodSync(`${output}.journal`, 0o000);
    const refused = await asNobody(remote(output, '--prefix', 'other'), env);
    expect(refused.code).toBe(74);
    const lines = refused.stderr.trim().split('\n').filter((line) => !line.startsWith('{'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `could not be kept in ${output}.answers before starting over: ${output}.journal is not readable by the user this command runs as (uid 65534): ` +
        `nothing was replaced, its partial output and checkpoint are as they were; give that user read access to it (chmod u+r ${output}.journal), ` +
        'or remove it (its answers are then requested again), then run the same command again',
    );
  });

  // lowfix69: outside a sticky folder another user's job files were refused one per run (root's journal, chown it, run
  // again; then its partial output, chown it, run again). All those this user may not open as the job needs are named in
  // one line, as in a sticky folder (job/foreign-job-files.ts).
  it("another user's job files it may not open, in a folder it may write: all named in one line (exit 74)", async () => {
    const { output, env } = await killedRemoteJob('resume');
    const refused = await asNobody(remote(output), env);
    expect(refused.code).toBe(74);
    const lines = refused.stderr.trim().split('\n').filter((line) => !line.startsWith('{'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`sentiment-batch: ${output}.partial and ${output}.journal belong to uid 0, not to this user (uid 65534), which may not open them as the job needs (permission denied): `);
    expect(lines[0]).toContain(`give this user access to them (chown 65534 ${output}.partial ${output}.journal, or chmod), then run the same command again (it continues from the checkpoint)`);
    // Given that access, the next run continues the job.
    for (const file of [`${output}.partial`, `${output}.journal`]) chownSync(file, 65534, 65534);
    const resumed = await asNobody(remote(output), env);
    expect(resumed.code).toBe(0);
  });
});

/** `file` and, for a folder, all in it, given to `uid` (a lock is a folder holding owner.json). */
function chownTree(file: string, uid: number): void {
  chownSync(file, uid, uid);
  if (statSync(file).isDirectory()) for (const name of readdirSync(file)) chownTree(path.join(file, name), uid);
}
