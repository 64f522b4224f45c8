import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreCommand, type CommandIo } from '../src/commands/score.js';
import { tempDir } from './support/cli.js';
import { canMount, useTmpfsMounts } from './support/mount.js';
import { syntheticCsv } from './support/reviews.js';

const MOUNT = canMount();
const LAST_NIGHT = `${JSON.stringify({ status: 'done', exitCode: 0 })}\n`;

/**
 * A signal's words write --summary-json (a signal before the job's handler, during the report after a run, a second
 * one). When the disk refuses even that, the previous run's summary must go, as after a failure: a scheduler read
 * last night's "done, exit 0". The words are called through the command's own io, as the process's handlers call them.
 */
describe.skipIf(!MOUNT)('a signal\'s --summary-json on a full disk (root)', () => {
  let dir: string;
  let cleanup: () => void;
  let input: string;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(300));
  });
  afterAll(() => cleanup());
  const mount = useTmpfsMounts(() => dir);

  /** A summary file from an earlier run, on a tmpfs filled to its last block. */
  const fullDiskSummary = (name: string): string => {
    const full = mount(name, '64k');
    const summaryJson = path.join(full, 'summary.json');
    writeFileSync(summaryJson, LAST_NIGHT);
    try {
      for (let block = 0; ; block++) writeFileSync(path.join(full, `filler-${block}`), Buffer.alloc(4096));
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    return summaryJson;
  };
  const quietIo = (extra: Partial<CommandIo>): CommandIo => ({
    stdout: new Writable({ write: (_chunk, _encoding, done) => done() }),
    env: {},
    onSignal: () => () => undefined,
    ...extra,
  });
  const args = (name: string, summaryJson: string, ...more: string[]) => [input, '--text-column', 'review', '-o', path.join(dir, `${name}.csv`), '--backend', 'embedded', '--log-level', 'silent', '--summary-json', summaryJson, ...more];

  it('a signal before the job has begun', async () => {
    const summaryJson = fullDiskSummary('early');
    let said: Promise<boolean> | undefined;
    const io = quietIo({
      onSignalExit: (words) => {
        // The first words registered are the early ones; the process would exit 130 once they are said.
        said ??= words('SIGTERM').then(() => existsSync(summaryJson));
        return () => undefined;
      },
    });
    await scoreCommand('score', args('early', summaryJson), io).catch(() => undefined);
    expect(await said).toBe(false);
  });

  it('a signal while the report after the run is written', async () => {
    const summaryJson = fullDiskSummary('report');
    let calls = 0;
    let said: Promise<boolean> | undefined;
    const io = quietIo({
      onSignalExit: (words) => {
        calls += 1;
        if (calls === 2) said = words('SIGTERM').then(() => existsSync(summaryJson));
        return () => undefined;
      },
    });
    await scoreCommand('score', args('report', summaryJson, '--report', path.join(dir, 'report.html')), io).catch(() => undefined);
    expect(calls).toBe(2);
    expect(await said).toBe(false);
  });

  it('a second signal while the job runs', async () => {
    const summaryJson = fullDiskSummary('second');
    let present: boolean | undefined;
    const io = quietIo({
      onSecondSignal: (words) => {
        words('SIGTERM');
        present = existsSync(summaryJson);
        return () => undefined;
      },
    });
    await scoreCommand('score', args('second', summaryJson), io).catch(() => undefined);
    expect(present).toBe(false);
  });
});
