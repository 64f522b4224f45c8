import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AnswerJournal } from '../src/journal/answer-journal.js';
import { createLogger } from '../src/log.js';
import { machineFaultOf } from '../src/machine-fault.js';
import { FailedRowsLog } from '../src/mend/failed-rows.js';
import { tempDir } from './support/cli.js';
import { canMount, mountTmpfs, unmount } from './support/mount.js';
import { refuseJournalWrites } from './support/read-only-journal.js';

/**
 * A disk that fills up under the answer journal: what this run counts as kept must be what the next run reads
 * (and under the failed-rows list, which appends with the same helper).
 * The disk is stood for by the journal's one write helper (no root needed): while `full`, a write puts down only the
 * first `room` bytes of its text, as a full disk does, and then refuses with ENOSPC.
 */
const disk = vi.hoisted(() => ({ full: false, room: 0, fsyncRefused: false }));
// A disk that refuses the fsync of data written earlier (NFS, a thin volume: ENOSPC at write-back).
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const fsyncSync = (fd: number): void => {
    if (disk.fsyncRefused) throw Object.assign(new Error('ENOSPC: no space left on device, fsync'), { code: 'ENOSPC', errno: -28, syscall: 'fsync' });
    real.fsyncSync(fd);
  };
  return { ...real, default: { ...real, fsyncSync }, fsyncSync };
});
vi.mock('../src/state/no-follow.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/state/no-follow.js')>();
  return {
    ...real,
    writeAllSync: (fd: number, text: string): void => {
      if (!disk.full) return real.writeAllSync(fd, text);
      const bytes = Buffer.from(text, 'utf8');
      const room = Math.min(disk.room, bytes.length - 1);
      if (room > 0) writeSync(fd, bytes, 0, room);
      disk.room -= Math.max(room, 0);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    },
  };
});

const key = { settingsHash: 'abc123', identity: { size: 10, mtimeMs: 1, headHash: 'h', tailHash: 't' } };
const log = createLogger('silent');
const ahead = () => true;
const scores = (positive: number) => ({ kind: 'scored' as const, scores: { label: positive >= 0.5 ? ('POSITIVE' as const) : ('NEGATIVE' as const), positive, negative: 1 - positive } });

describe('the answer journal on a full disk', () => {
  let dir: string;
  let cleanup: () => void;
  let file: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    file = path.join(dir, 'out.csv.journal');
    disk.full = false;
  });
  afterEach(() => {
    disk.full = false;
    disk.fsyncRefused = false;
    cleanup();
  });

  it('an append cut short leaves no part of its line: the next answer written is one the next run reads', () => {
    // Was: the cut line stayed, with no newline; the next append (room again: a file removed, a shorter line) was
    // glued onto it, and the next run, reading the two as one unreadable line, lost an answer this run counted as kept.
    const journal = AnswerJournal.open(file, key, { replay: true, log, ahead });
    journal.record('kept film', 1, scores(0.9));
    disk.full = true;
    disk.room = 20;
    expect(() => journal.record('a film whose line the disk cut', 2, scores(0.2))).toThrow(/ENOSPC/);
    disk.full = false;
    journal.record('a film answered once there was room', 3, scores(0.7));
    expect([journal.keptFrom(0), journal.unkeptFrom(0)]).toEqual([2, 1]);
    journal.close();
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
    const next = AnswerJournal.open(file, key, { replay: true, log, ahead });
    expect(next.keptFor('a film answered once there was room')?.answer).toEqual(scores(0.7));
    expect(next.keptFor('a film whose line the disk cut')).toBeUndefined();
    expect(next.keptFrom(0)).toBe(2);
    next.close();
  });

  it('a rewrite the disk refuses leaves the journal as it was, appending to it, and no temporary file', () => {
    // Was: the old descriptor was closed before the rewrite; when the rewrite failed, the answers of the requests still
    // in flight were appended to whatever file had been given that descriptor's number since (here `other.txt`), and
    // counted as kept; the half-written `.journal.tmp-PID` stayed on the full disk.
    const journal = AnswerJournal.open(file, key, { replay: true, log, ahead });
    for (let i = 0; i < 2_100; i++) journal.record(`text ${i}`, i, scores(0.8));
    disk.full = true;
    disk.room = 100;
    expect(() => journal.written(2_050)).toThrow(/ENOSPC/);
    disk.full = false;
    const other = path.join(dir, 'other.txt');
    writeFileSync(other, '');
    const otherFd = openSync(other, 'a');
    try {
      journal.record('an answer in flight at the fault', 2_060, scores(0.3));
    } finally {
      closeSync(otherFd);
    }
    expect(readFileSync(other, 'utf8')).toBe('');
    expect(readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
    journal.close();
    const next = AnswerJournal.open(file, key, { replay: true, log, ahead });
    expect(next.keptFor('an answer in flight at the fault')?.answer).toEqual(scores(0.3));
    expect(next.keptFor('text 2099')?.answer).toEqual(scores(0.8));
    next.close();
  });

  it('a rewrite the disk refuses names the journal: its line is not "the device holding a file (write)"', () => {
    // Was: the rewrite's writes go to a descriptor, which names no file, and nothing added the journal's path (as an
    // append's refusal does): the run ended exit 74 with 'no space left on the device holding a file (write)'.
    const journal = AnswerJournal.open(file, key, { replay: true, log, ahead });
    for (let i = 0; i < 2_100; i++) journal.record(`text ${i}`, i, scores(0.8));
    disk.full = true;
    disk.room = 100;
    let refused: unknown;
    try {
      journal.written(2_050);
    } catch (error) {
      refused = error;
    }
    disk.full = false;
    expect((refused as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(machineFaultOf(refused)?.message).toContain(`no space left on the device holding ${file}:`);
    journal.close();
  });

  it('an fsync the disk refuses at a checkpoint names the journal', () => {
    const journal = AnswerJournal.open(file, key, { replay: true, log, ahead });
    journal.record('kept film', 1, scores(0.9));
    disk.fsyncRefused = true;
    let refused: unknown;
    try {
      journal.written(0);
    } catch (error) {
      refused = error;
    } finally {
      disk.fsyncRefused = false;
    }
    expect(machineFaultOf(refused)?.message).toContain(`no space left on the device holding ${file}:`);
    journal.close();
  });

  it('an fsync the disk refuses: the answers appended since the last one that succeeded are counted as not kept, and those after it', () => {
    // On NFS or a thin volume a write can succeed and its fsync fail (EIO, ENOSPC at write-back), and Linux may drop
    // the pages it could not write. The answers on them were counted kept: a fault's summary then said 'every answer
    // received for rows not written is kept in the journal, not paid for again'.
    const journal = AnswerJournal.open(file, key, { replay: true, log, ahead });
    journal.record('durable film', 1, scores(0.9));
    journal.written(0);
    journal.record('film after the last fsync', 2, scores(0.2));
    journal.record('another film after it', 3, scores(0.6));
    disk.fsyncRefused = true;
    expect(() => journal.written(0)).toThrow(/ENOSPC/);
    disk.fsyncRefused = false;
    expect([journal.keptFrom(0), journal.unkeptFrom(0)]).toEqual([1, 2]);
    // Nor does it hold every answer any more: a paused checkpoint says so (answers-journaled.ts), and the resume reads.
    // The state names the journal's id too (journalId, which a resume checks the journal it finds against).
    expect(journal.lineState()).toEqual({ whole: false, lines: 3, id: expect.any(String) });
    // An answer that arrives after it (a request in flight as the run ends) is not counted kept either.
    expect(() => journal.record('film answered after the refusal', 4, scores(0.8))).toThrow(/ENOSPC/);
    expect([journal.keptFrom(0), journal.unkeptFrom(0)]).toEqual([1, 3]);
    // It still answers a later row of this run with the same text.
    expect(journal.keptFor('film after the last fsync')?.index).toBe(2);
    journal.close();
  });

  it('a cut line it cannot remove: nothing more is appended in this run, and every later answer is counted as not kept', () => {
    const journal = AnswerJournal.open(file, key, { replay: true, log, ahead });
    journal.record('kept film', 1, scores(0.9));
    // A descriptor that takes neither writes nor truncation stands for a cut line that cannot be removed.
    const roomAgain = refuseJournalWrites(journal, file);
    expect(() => journal.record('refused film', 2, scores(0.2))).toThrow();
    roomAgain();
    // Room again, but the line before may be cut: this answer is not glued to it, and not counted as kept.
    expect(() => journal.record('later film', 3, scores(0.6))).toThrow();
    expect([journal.keptFrom(0), journal.unkeptFrom(0)]).toEqual([1, 2]);
    expect(journal.keptFor('later film')?.answer).toEqual(scores(0.6));
    journal.close();
    const next = AnswerJournal.open(file, key, { replay: true, log, ahead });
    expect(next.keptFrom(0)).toBe(1);
    next.close();
  });
});

describe('the failed-rows list on a full disk', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    disk.full = false;
  });
  afterEach(() => {
    disk.full = false;
    cleanup();
  });

  it('an append the disk refuses names the list, not "a file (write)"', async () => {
    // Was: the append writes to a descriptor, which names no file: the run ended exit 74 with 'no space left on the
    // device holding a file (write)', as the journal's rewrite did. (The same write helper: this file's mock.)
    const file = path.join(dir, 'out.csv.failed-rows');
    const list = await FailedRowsLog.openForRun(file, undefined);
    disk.full = true;
    disk.room = 0;
    let refused: unknown;
    try {
      list.append({ index: 3, inputStart: 10, inputEnd: 20, outputStart: 12, outputEnd: 40, code: 'upstream_5xx' });
    } catch (error) {
      refused = error;
    } finally {
      list.close();
    }
    expect((refused as NodeJS.ErrnoException | undefined)?.code).toBe('ENOSPC');
    expect(machineFaultOf(refused)?.message).toContain(`no space left on the device holding ${file}:`);
  });
});

const MOUNT = canMount();

describe.skipIf(!MOUNT)('the answer journal on a real full disk (tmpfs, root)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    mountTmpfs(dir, '64k');
  });
  afterEach(() => {
    unmount(dir);
    cleanup();
  });

  it('an answer appended once a file is removed after a refused append is read by the next run', () => {
    const file = path.join(dir, 'out.csv.journal');
    const journal = AnswerJournal.open(file, key, { replay: true, log, ahead });
    journal.record('short film', 0, scores(0.9));
    let fillers = 0;
    try {
      for (;;) writeFileSync(path.join(dir, `filler-${fillers++}`), Buffer.alloc(4096));
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    // Longer than the room left in the journal's last page: the disk takes part of it.
    expect(() => journal.record('x'.repeat(10_000), 1, scores(0.2))).toThrow(/ENOSPC/);
    rmSync(path.join(dir, 'filler-0'));
    journal.record('later film', 2, scores(0.7));
    expect([journal.keptFrom(0), journal.unkeptFrom(0)]).toEqual([2, 1]);
    journal.close();
    // Room for the next run's rewrite of the journal.
    for (let i = 1; i < fillers; i++) rmSync(path.join(dir, `filler-${i}`), { force: true });
    const next = AnswerJournal.open(file, key, { replay: true, log, ahead });
    expect(next.keptFor('later film')?.answer).toEqual(scores(0.7));
    expect(next.keptFrom(0)).toBe(2);
    next.close();
    expect(existsSync(file)).toBe(true);
  });
});
