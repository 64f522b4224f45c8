import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SentimentBatchError } from '../src/errors.js';
import { spoolStdin } from '../src/job/stdin.js';
import { StopController } from '../src/job/stop.js';
import { machineFaultOf } from '../src/machine-fault.js';
import { jobAdvice } from '../src/machine-fault-advice.js';
import { tempDir, waitFor } from './support/cli.js';
import { canMount, useTmpfsMounts } from './support/mount.js';

const MOUNT = canMount();

/** The copy of standard input a `score -` run makes beside its output (job/stdin.ts). */
describe('the copy of standard input', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  // `export | sentiment-batch score -` stopped while the export still wrote: the signal was logged, and the run
  // went on waiting for the end of its input (the export's), then ended on it ("input is empty", exit 3, for a
  // producer that had written nothing), instead of 130 at once.
  it('a stop while it waits for a producer still writing: ends it there, as a stop in setup (exit 130), the copy removed', async () => {
    const file = path.join(dir, 'out.csv.stdin');
    const input = new PassThrough();
    input.write('id,text\n1,good\n');
    const stop = new StopController();
    const copying = spoolStdin(file, stop, input).then(
      () => 'resolved',
      (error: unknown) => (error instanceof SentimentBatchError ? `${error.code}: ${error.message}` : String(error)),
    );
    await waitFor(() => existsSync(file) && statSync(file).size > 0, 20_000, 'the first bytes copied');
    stop.request({ kind: 'interrupt', signal: 'SIGTERM' });
    expect(await copying).toBe('interrupted: stopped by SIGTERM before any work began');
    expect(existsSync(file)).toBe(false);
  });
});

describe.skipIf(!MOUNT)('the copy of standard input on a full disk (root: mounts a tmpfs)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());
  const mount = useTmpfsMounts(() => dir);

  // It was left there, filling the disk (1 MiB of a tmpfs of 1 MiB), and its line named no file: "no space left on
  // the device holding a file (write)".
  it('is removed, and the fault names it', async () => {
    const full = mount('full', '64k');
    const file = path.join(full, 'out.csv.stdin');
    const input = new PassThrough();
    input.end(Buffer.alloc(256 * 1024, 'a'));
    const error = await spoolStdin(file, new StopController(), input).then(
      () => undefined,
      (e: unknown) => e,
    );
    // As the command line words it for a run that keeps no checkpoint (standard input).
    expect(machineFaultOf(error, jobAdvice(false))?.message).toBe(`no space left on the device holding ${file}: free some space or write elsewhere (-o), then run the same command again`);
    expect(readdirSync(full)).toEqual([]);
  });
});
