import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/state/atomic-write.js';
import { counted } from '../src/wording/counted.js';
import { builtCli, everyLineJson, logLines, runCli, tempDir, type CliResult } from './support/cli.js';
import { canMount } from './support/mount.js';
import { cliRunsAs } from './support/run-as.js';
import { syntheticCsv } from './support/reviews.js';

const MACHINE_FAULT = 74;

const MOUNT = canMount();

/** One line, the documented code, no stack trace, nothing of ours left behind but the resumable state. */
function expectFault(result: CliResult, pattern: RegExp): void {
  expect(result.code).toBe(MACHINE_FAULT);
  expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  // Log lines (JSON) aside, stderr is that one line.
  const lines = result.stderr.trim().split('\n').filter((line) => !line.startsWith('{'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

/**
 * With --log-format json: the documented code, every line JSON (a collector parses each), the fault said once, at error,
 * as the run's log says it beside its summary; the plain line that followed it is gone (a second alert, unparsable).
 */
function expectJsonFault(result: CliResult, pattern: RegExp): void {
  expect(result.code).toBe(MACHINE_FAULT);
  const lines = everyLineJson(result.stderr);
  const errors = lines.filter((line) => line.level === 50);
  expect(errors).toHaveLength(1);
  expect(errors[0]!.msg).toMatch(pattern);
}

function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((name) => /\.tmp-|\.new-|\.dead-|\.lock$/.test(name));
}

describe('machine faults are not bugs', () => {
  let dir: string;
  let cleanup: () => void;
  let input: string;
  let reference: Buffer;
  /** A small input for the faults that need no full disk. */
  let small: string;
  let smallReference: Buffer;
  const args = (output: string, ...extra: string[]) => ['score', input, '--text-column', 'review', '-o', output, '--checkpoint-interval', '100ms', ...extra];
  const smallArgs = (output: string, ...extra: string[]) => ['score', small, '--text-column', 'review', '-o', output, ...extra];

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    input = path.join(dir, 'in.csv');
    // ~1.5 MB of output: more than the 1 MiB filesystem below holds.
    writeFileSync(input, syntheticCsv(12_000));
    const lone = path.join(dir, 'lone.csv');
    expect((await runCli(args(lone))).code).toBe(0);
    reference = readFileSync(lone);
    small = path.join(dir, 'small.csv');
    writeFileSync(small, syntheticCsv(300));
    expect((await runCli(smallArgs(path.join(dir, 'small-lone.csv')))).code).toBe(0);
    smallReference = readFileSync(path.join(dir, 'small-lone.csv'));
  }, 60_000);
  afterAll(() => cleanup());

  describe.skipIf(!MOUNT)('on filesystems mounted for the test (root)', () => {
    const mounted: string[] = [];
    const mountTmpfs = (name: string, size: string): string => {
      const at = path.join(dir, name);
      mkdirSync(at);
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at]);
      mounted.push(at);
      return at;
    };
    afterAll(() => {
      for (const at of mounted) execFileSync('umount', ['-l', at], { stdio: 'ignore' });
    });

    it('a disk that fills up: exit 74 naming the file, no temp files; the same command finishes once there is room', async () => {
      const full = mountTmpfs('full', '1m');
      const output = path.join(full, 'out.csv');
      // The summary goes to a folder with room: it keeps the figures the run reached (the requests a remote run paid
      // that night), as a stop by the service (exit 4) keeps its own; it held only status, exitCode and message.
      const summaryJson = path.join(dir, 'full-summary.json');
      const stopped = await runCli(args(output, '--summary-json', summaryJson, '--log-format', 'json'));
      expectJsonFault(stopped, /^no space left on the device holding .*out\.csv\.(partial|checkpoint\.json)/);
      expect(leftovers(full)).toEqual([]);
      const summary = JSON.parse(readFileSync(summaryJson, 'utf8'));
      expect(summary).toMatchObject({ status: 'failed', exitCode: MACHINE_FAULT, message: expect.stringMatching(/^no space left on the device holding /), remote: false, resumed: false });
      expect(summary.totals.read).toBeGreaterThan(0);
      expect(summary.totals.scored).toBeGreaterThan(0);
      expect(summary.run.totals).toEqual(summary.totals);
      expect(summary.outputComplete).toBeUndefined();
      // The job's rows are those the last checkpoint written holds, which the next run continues from: they counted the
      // rows handed to the writer (3,000 scored, the checkpoint 0). The rows counted past it are said apart, to be scored again.
      const checkpoint = JSON.parse(readFileSync(path.join(full, 'out.csv.checkpoint.json'), 'utf8'));
      expect(summary.totals).toEqual(checkpoint.totals);
      // This run's rows by label, failure and skip code are the checkpoint's too: they were those handed to the writer,
      // the one the disk refused among them.
      const byCode = [summary.run.labels, summary.run.failuresByCode, summary.run.skippedByCode].flatMap((counts) => Object.values(counts as Record<string, number>)).reduce((a, b) => a + b, 0);
      expect(summary.run.notWritten.rows).toBeGreaterThan(0);
      expect(byCode).toBe(checkpoint.totals.read);
      expect(Object.values(summary.run.labels as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(checkpoint.totals.scored);
      // Rows read past the last one counted (the one whose write the disk refused, any read ahead) are said as after a stop.
      if (summary.unwritten) expect(stopped.stdout).toContain(`\n  read but not written: ${counted(summary.unwritten.rows, 'row')} (the run stopped before their turn`);
      const grouped = (count: number) => count.toLocaleString('en-US');
      // The terminal shows them too, above the fault's one line (which is not repeated in the block).
      expect(stopped.stdout).toMatch(/^Stopped: .*out\.csv\.partial\n  rows [\d,]+: scored [\d,]+/);
      expect(stopped.stdout).toContain(`\n  rows ${grouped(checkpoint.totals.read)}: scored ${grouped(checkpoint.totals.scored)},`);
      expect(stopped.stdout).toContain(`\n  not written: ${counted(summary.run.notWritten.rows, 'row')} this run scored, which the next run scores again\n`);
      expect(stopped.stdout).not.toMatch(/no space left/);
      // A log collector reads the same summary from the log (--log-format json), as after a stop by the service (exit 4): it had none.
      const logged = logLines(stopped.stderr).filter((line) => line.msg === 'summary');
      expect(logged).toHaveLength(1);
      expect(logged[0]!.summary).toMatchObject({ status: 'failed', exitCode: MACHINE_FAULT, totals: summary.totals });
      execFileSync('mount', ['-o', 'remount,size=16m', full]);
      const again = await runCli(args(output));
      expect(again.code).toBe(0);
      expect(readFileSync(output).equals(reference)).toBe(true);
      expect(leftovers(full)).toEqual([]);
    }, 60_000);

    it('a disk full before the first checkpoint: the line does not promise a checkpoint to continue from', async () => {
      const tiny = mountTmpfs('tiny', '4k');
      const stopped = await runCli(args(path.join(tiny, 'out.csv')));
      expectFault(stopped, /^sentiment-batch: no space left on the device holding .*out\.csv\.partial: free some space or write elsewhere \(-o\), then run the same command again$/);
      // A job file's run: what moves the output is its "output" (a -o would move one run's; the next night writes there again).
      const job = path.join(dir, 'tiny-job.json');
      writeFileSync(job, JSON.stringify({ input, textColumn: 'review', output: path.join(tiny, 'job-out.csv') }));
      const fromJob = await runCli(['run', job]);
      expectFault(fromJob, /^sentiment-batch: no space left on the device holding .*job-out\.csv\.partial: free some space or write elsewhere \("output" in the job file\), then run the same command again$/);
    });

    it('a disk full to its last block: the previous run\'s summary is removed, not left to be read as this run\'s', async () => {
      // The failure summary cannot be written either; the previous run's "done, exit 0" stayed, and a scheduler
      // reading /data/out/reviews.summary.json after tonight's exit 74 read last night's success.
      const full = mountTmpfs('full-summary', '64k');
      const summaryJson = path.join(full, 'summary.json');
      writeFileSync(summaryJson, `${JSON.stringify({ status: 'done', exitCode: 0, input: small })}\n`);
      let block = 0;
      try {
        for (;;) writeFileSync(path.join(full, `filler-${block++}`), Buffer.alloc(4096));
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
      }
      const stopped = await runCli(smallArgs(path.join(full, 'out.csv'), '--summary-json', summaryJson));
      expectFault(stopped, /^sentiment-batch: no space left on the device holding /);
      expect(existsSync(summaryJson)).toBe(false);
      expect(leftovers(full)).toEqual([]);
    });

    it('a checkpoint that cannot be written leaves no .tmp file', async () => {
      const full = mountTmpfs('no-room', '64k');
      writeFileSync(path.join(full, 'filler'), Buffer.alloc(60 * 1024));
      await expect(writeFileAtomic(path.join(full, 'c.json'), 'x'.repeat(32 * 1024))).rejects.toMatchObject({ code: 'ENOSPC' });
      expect(readdirSync(full)).toEqual(['filler']);
    });

    it('a read-only folder: exit 74 naming the folder', async () => {
      const readOnly = mountTmpfs('ro', '1m');
      execFileSync('mount', ['-o', 'remount,ro', readOnly]);
      const summaryJson = path.join(dir, 'ro-summary.json');
      const result = await runCli(smallArgs(path.join(readOnly, 'out.csv'), '--summary-json', summaryJson));
      expectFault(result, new RegExp(`^sentiment-batch: the folder ${readOnly} is on a read-only filesystem`));
      // The summary says what the exit code says, in the same words.
      expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ status: 'failed', exitCode: 74, message: expect.stringMatching(/^the folder .* is on a read-only filesystem/) });
    });

    it('a --summary-json or -o folder that cannot be created: exit 74 naming it, before anything is scored', async () => {
      const readOnly = mountTmpfs('ro-summary', '1m');
      execFileSync('mount', ['-o', 'remount,ro', readOnly]);
      const output = path.join(dir, 'summary-ro.csv');
      const result = await runCli(smallArgs(output, '--summary-json', path.join(readOnly, 'sub', 's.json')));
      expectFault(result, new RegExp(`^sentiment-batch: the folder ${readOnly} is on a read-only filesystem`));
      expect(existsSync(output)).toBe(false);
      expect(existsSync(`${output}.checkpoint.json`)).toBe(false);
      // -o into a new folder there: the same line (Node's recursive mkdir says ENOENT, which read as a bug).
      expectFault(await runCli(smallArgs(path.join(readOnly, 'sub', 'out.csv'))), new RegExp(`^sentiment-batch: the folder ${readOnly} is on a read-only filesystem`));
    });

    it('an existing read-only folder for --report or --summary-json: exit 74 naming the flag, before anything is scored', async () => {
      const readOnly = mountTmpfs('ro-targets', '1m');
      execFileSync('mount', ['-o', 'remount,ro', readOnly]);
      for (const flag of ['--report', '--summary-json']) {
        const output = path.join(dir, `targets${flag}.csv`);
        const target = path.join(readOnly, flag === '--report' ? 'r.html' : 's.json');
        const result = await runCli(smallArgs(output, flag, target));
        expectFault(result, new RegExp(`^sentiment-batch: ${flag} ${target}: the folder ${readOnly} is on a read-only filesystem: make it writable or choose another path; nothing was done`));
        expect(existsSync(output)).toBe(false);
        expect(existsSync(`${output}.checkpoint.json`)).toBe(false);
      }
      // Given by a job file: named as the job file gives it, not as a flag nobody typed.
      const job = path.join(dir, 'ro-target-job.json');
      const summaryJson = path.join(readOnly, 's.json');
      writeFileSync(job, JSON.stringify({ input: small, textColumn: 'review', output: path.join(dir, 'targets-job.csv'), summaryJson }));
      const fromJob = await runCli(['run', job]);
      // As every message naming a job file's path setting words it (config/setting-names.ts settingWords), its bad values' too.
      expectFault(fromJob, new RegExp(`^sentiment-batch: job file ${job}: "summaryJson" ${summaryJson}: the folder ${readOnly} is on a read-only filesystem`));
    });

    it.skipIf(!cliRunsAs(65534))('a folder this user may not write: exit 74, permission denied', async () => {
      const closed = path.join(dir, 'closed');
      mkdirSync(closed, { mode: 0o755 });
      chmodSync(dir, 0o755);
      chmodSync(small, 0o644);
      const child = spawn(process.execPath, [builtCli(), ...smallArgs(path.join(closed, 'out.csv'))], { uid: 65534, gid: 65534, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expectFault({ code, signal: null, stdout: '', stderr }, new RegExp(`^sentiment-batch: permission denied: the folder ${closed} is not writable by the user this job runs as \\(uid 65534\\): make it writable by that user \\(chown 65534 ${closed}, or chmod\\)`));
    });
  });

  // A container (uid 1000, user node) whose bind-mounted output folder belongs to another user on the host: without
  // Docker, a folder of root's written by uid 1000. The line named a passing name (`….lock.new-1-39d0fec0`) and no user.
  describe.skipIf(!cliRunsAs(1000))('a folder of root\'s that the job (uid 1000, as the image runs) may not write (root)', () => {
    const asUid1000 = async (args: string[]): Promise<CliResult> => {
      const child = spawn(process.execPath, [builtCli(), ...args], { uid: 1000, gid: 1000, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      return { code, signal: null, stdout: '', stderr };
    };
    // In a container (/.dockerenv) the line says it is the container's user and what to do on the host; elsewhere, the user by uid.
    const whoAndWhat = (folder: string, flag: string) =>
      `is not writable by (uid 1000, the user this container runs as \\(node; docs/container.md\\): on the host, chown -R 1000:1000 the folder mounted there, or run the container as the folder's owner \\(--user "\\$\\(id -u\\):\\$\\(id -g\\)"\\)|the user this job runs as \\(uid 1000\\): make it writable by that user \\(chown 1000 ${folder}, or chmod\\), run as its owner), or write elsewhere \\(${flag}\\)`;

    it('-o: the line names the folder given and whom to give it to, not the lock being built; exit 74, nothing left', async () => {
      const mount = path.join(dir, 'bind-mount');
      mkdirSync(mount, { mode: 0o755 });
      chmodSync(dir, 0o755);
      chmodSync(small, 0o644);
      const result = await asUid1000(smallArgs(path.join(mount, 'out.csv')));
      expectFault(result, new RegExp(`^sentiment-batch: permission denied: the folder ${mount} ${whoAndWhat(mount, '-o')}, then run the same command again \\(mkdir ${mount}/out\\.csv\\.lock\\)$`));
      expect(result.stderr).not.toMatch(/\.new-/);
      expect(readdirSync(mount)).toEqual([]);
    });

    it('--summary-json in such a folder: refused before the run, with the same words', async () => {
      const mount = path.join(dir, 'bind-mount-summary');
      mkdirSync(mount, { mode: 0o755 });
      chmodSync(dir, 0o755);
      chmodSync(small, 0o644);
      const summary = path.join(mount, 's.json');
      const result = await asUid1000([...smallArgs(path.join(dir, 'uid1000-out.csv')), '--summary-json', summary]);
      expectFault(result, new RegExp(`^sentiment-batch: --summary-json ${summary}: the folder ${mount} ${whoAndWhat(mount, '--summary-json')}; nothing was done$`));
    });
  });

  it('a busy port for serve: exit 74 naming the port', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const result = await runCli(['serve', '--port', String(port)]);
      expectFault(result, new RegExp(`^sentiment-batch: port ${port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      busy.close();
    }
  });

  it('a --summary-json path in a missing folder: the folder is created before the run, as for -o', async () => {
    const output = path.join(dir, 'summary-missing.csv');
    const result = await runCli(smallArgs(output, '--summary-json', path.join(dir, 'nowhere', 's.json')));
    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'nowhere', 's.json'), 'utf8'))).toMatchObject({ status: 'done' });
  });

  it('symlinks planted at the job\'s own files are never followed', async () => {
    const output = path.join(dir, 'planted.csv');
    // The summary's victim is an earlier summary: a link to any other file is refused (test/summary-json-data-file.test.ts).
    const precious = (name: string) => (name === 'summary' ? `${JSON.stringify({ status: 'done', exitCode: 0, precious: name })}\n` : `precious ${name}\n`);
    const victims = ['partial', 'checkpoint', 'stdin', 'summary'].map((name) => {
      const victim = path.join(dir, `victim-${name}.txt`);
      writeFileSync(victim, precious(name));
      return victim;
    });
    symlinkSync(victims[0] as string, `${output}.partial`);
    symlinkSync(victims[1] as string, `${output}.checkpoint.json`);
    symlinkSync(victims[3] as string, path.join(dir, 'summary.json'));
    const result = await runCli(smallArgs(output, '--summary-json', path.join(dir, 'summary.json')));
    expect(result.code).toBe(0);
    expect(readFileSync(output).equals(smallReference)).toBe(true);
    for (const [i, name] of ['partial', 'checkpoint', 'stdin', 'summary'].entries()) {
      expect(readFileSync(victims[i] as string, 'utf8')).toBe(precious(name));
    }
    expect(JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8'))).toMatchObject({ status: 'done' });

    // Standard input's copy beside the output, too.
    const fromStdin = path.join(dir, 'planted-stdin.csv');
    symlinkSync(victims[2] as string, `${fromStdin}.stdin`);
    const piped = await runCli(['score', '-', '--format', 'csv', '--text-column', 'review', '-o', fromStdin], { input: readFileSync(small) });
    expect(piped.code).toBe(0);
    expect(readFileSync(fromStdin).equals(smallReference)).toBe(true);
    expect(readFileSync(victims[2] as string, 'utf8')).toBe('precious stdin\n');
  }, 60_000);
});
