import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSizeLimitWords } from '../src/process/file-size-limit.js';
import { runCli } from './support/cli.js';
import { loneRunFixture } from './support/lone-run.js';

/**
 * A file-size limit (`ulimit -f`) smaller than a file the job writes: the kernel's SIGXFSZ ended the run on the spot
 * (signal SIGXFSZ, exit 153 in a shell; "File size limit exceeded" from the shell, no line of ours), and every rerun
 * under the same limit died alike. Now the write is refused (EFBIG): one line naming the file and the limit, exit 74,
 * and the same command under a larger limit finishes the job byte for byte.
 */
describe('a file-size limit smaller than the output (ulimit -f)', () => {
  const job = loneRunFixture({ rows: 400, flags: ['--rpm', '1000000', '--concurrency', '16', '--checkpoint-interval', '100ms'] });

  it('is exit 74 naming the limit, not a death by SIGXFSZ; the same command under a larger limit finishes the job', async () => {
    const output = path.join(job.dir, 'out.csv');
    expect(job.reference.length).toBeGreaterThan(16 * 1024);
    // 16 blocks of 512 bytes: 8 KiB, a part of what the output (and the journal of its answers) grows to.
    for (let run = 0; run < 2; run++) {
      const refused = await runCli(job.args(output), { env: job.env(), fileSizeLimit: 16 });
      expect(refused.signal).toBeNull();
      expect(refused.stderr).not.toMatch(/\n\s+at |internal error/);
      expect(refused.stderr).toMatch(
        /\nsentiment-batch: \S+out\.csv\.(journal|partial) reached this process's file-size limit \(ulimit -f 8: 8,192 bytes\): raise it \(ulimit -f unlimited, where the command is started: its script, crontab line or service \(LimitFSIZE=infinity\)(; in a container, docker run --ulimit fsize=-1, or leave --ulimit fsize out)?\), then run the same command again \(it continues from the checkpoint\)\n$/,
      );
      expect(refused.code).toBe(74);
    }
    const finished = await runCli(job.args(output), { env: job.env() });
    expect(finished.code).toBe(0);
    expect(readFileSync(output).equals(job.reference)).toBe(true);
  });

  // In a container the limit may be the runtime's, which a ulimit in the host's script does not reach (docker run --ulimit
  // fsize=102400: the same 74), or a shell's inside it.
  it('in a container, says the runtime\'s flag too', () => {
    const shell = 'ulimit -f unlimited, where the command is started: its script, crontab line or service (LimitFSIZE=infinity)';
    expect(fileSizeLimitWords(false)).toMatch(/^\(ulimit -f/);
    expect(fileSizeLimitWords(false)).toContain(`): raise it (${shell})`);
    expect(fileSizeLimitWords(true)).toContain(`raise it (${shell}; in a container, docker run --ulimit fsize=-1, or leave --ulimit fsize out)`);
  });

  // LMDB writes pages 32 KiB in at open: under a smaller limit it crashed the process (SIGSEGV, exit 139, no line), at
  // 32 KiB its open failed as a usage error (exit 2, "Use a writable directory").
  it('with --cache, is exit 74 before the cache is opened, not a crash', async () => {
    const output = path.join(job.dir, 'cached.csv');
    job.server.reset();
    const refused = await runCli([...job.args(output), '--cache', path.join(job.dir, 'cache')], { env: job.env(), fileSizeLimit: 16 });
    expect(refused.signal).toBeNull();
    expect(refused.stderr).toMatch(/\nsentiment-batch: the result cache \S+cache needs its data file to grow to at least 1\.0 MiB, over this process's file-size limit \(ulimit -f 8: 8,192 bytes\): raise it \(ulimit -f unlimited[^\n]*, or run without --cache\n$/);
    expect(refused.code).toBe(74);
    expect(job.server.stats().total).toBe(0);
  });
});
