import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AnswerJournal } from '../src/journal/answer-journal.js';
import { createLogger } from '../src/log.js';
import { descriptorsOn } from './support/descriptors.js';
import { useTempDir } from './support/e2e-dir.js';

/**
 * The answer journal's rewrite renames a new file over the journal: a power cut (which no test here can make) undoes a
 * rename whose folder was not fsynced, and brings back the old file without the lines appended since the last
 * checkpoint. What can be tested is the order of the calls, seen at node:fs, the journal's only way to the disk: the
 * folder's fsync after the rename, before the rewrite returns (and before the next append).
 */
const disk = vi.hoisted(() => ({ calls: [] as string[], paths: new Map<number, string>(), refuseFolder: false, unopenableFolder: false }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const openSync = (...args: Parameters<typeof real.openSync>): number => {
    // A folder this user may write in but not read (mode 0300), as a user other than root meets it.
    if (disk.unopenableFolder && real.statSync(args[0], { throwIfNoEntry: false })?.isDirectory() === true) throw Object.assign(new Error('EACCES: permission denied, open'), { code: 'EACCES', errno: -13, syscall: 'open' });
    const fd = real.openSync(...args);
    disk.paths.set(fd, String(args[0]));
    return fd;
  };
  const fsyncSync = (fd: number): void => {
    const file = disk.paths.get(fd) ?? `fd ${fd}`;
    disk.calls.push(`fsync ${file}`);
    if (disk.refuseFolder && real.fstatSync(fd).isDirectory()) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO', errno: -5, syscall: 'fsync' });
    real.fsyncSync(fd);
  };
  const renameSync = (from: string, to: string): void => {
    disk.calls.push(`rename ${path.basename(from)} -> ${path.basename(to)}`);
    real.renameSync(from, to);
  };
  const writeSync = ((fd: number, ...rest: unknown[]) => {
    disk.calls.push(`write ${disk.paths.get(fd) ?? `fd ${fd}`}`);
    return (real.writeSync as (...args: unknown[]) => number)(fd, ...rest);
  }) as typeof real.writeSync;
  const fs = { ...real, openSync, fsyncSync, renameSync, writeSync };
  return { ...fs, default: fs };
});

const key = { settingsHash: 'abc123', identity: { size: 10, mtimeMs: 1, headHash: 'h', tailHash: 't' } };
const log = createLogger('silent');
const ahead = () => true;
const scores = { kind: 'scored' as const, scores: { label: 'POSITIVE' as const, positive: 0.9, negative: 0.1 } };

describe("the answer journal's rewrite", () => {
  const temp = useTempDir();
  let file: string;
  let dir: string;
  beforeEach(() => {
    file = temp.path('out.csv.journal');
    dir = path.dirname(file);
    disk.calls = [];
    disk.refuseFolder = false;
    disk.unopenableFolder = false;
  });

  /** The calls from the rewrite's rename on, the journal's own appends named by the file they went to. */
  const afterRename = (): string[] => disk.calls.slice(disk.calls.lastIndexOf(`rename out.csv.journal.tmp-${process.pid} -> out.csv.journal`));

  it('fsyncs the folder after the rename, at open and at a compaction, before the next append', () => {
    const journal = AnswerJournal.open(file, key, { replay: true, log, ahead });
    expect(afterRename()).toEqual([`rename out.csv.journal.tmp-${process.pid} -> out.csv.journal`, `fsync ${dir}`]);
    // 2,001 answers for rows then written and checkpointed: the file holds 2,001 lines more than it keeps, and is rewritten.
    for (let i = 0; i < 2_001; i += 1) journal.record(`text ${i}`, i, scores);
    disk.calls = [];
    journal.written(2_001);
    journal.record('text after', 2_001, scores);
    expect(afterRename()).toEqual([`rename out.csv.journal.tmp-${process.pid} -> out.csv.journal`, `fsync ${dir}`, `write ${file}`]);
    journal.close();
  });

  it('a folder fsync refused (EIO) stops the run naming the folder, and later answers go to the journal in place', () => {
    const journal = AnswerJournal.open(file, key, { replay: true, log, ahead });
    for (let i = 0; i < 2_001; i += 1) journal.record(`text ${i}`, i, scores);
    disk.refuseFolder = true;
    expect(() => journal.written(2_001)).toThrow(expect.objectContaining({ code: 'EIO', path: dir }));
    disk.refuseFolder = false;
    // An answer still in flight at that fault: kept in the file at the journal's path, not in the one renamed over.
    journal.record('in flight', 2_001, scores);
    journal.close();
    expect(readFileSync(file, 'utf8')).toContain('in flight');
    const again = AnswerJournal.open(file, key, { replay: true, log, ahead });
    expect(again.keptFor('in flight')?.answer).toEqual(scores);
    again.close();
  });

  it('closes the folder after each fsync: a long run compacts its journal thousands of times', () => {
    const journal = AnswerJournal.open(file, key, { replay: true, log, ahead });
    for (let round = 1; round <= 3; round += 1) {
      for (let i = 0; i < 2_001; i += 1) journal.record(`text ${round} ${i}`, round * 2_001 + i, scores);
      journal.written((round + 1) * 2_001);
    }
    expect(disk.calls.filter((call) => call === `fsync ${dir}`).length).toBeGreaterThanOrEqual(3);
    expect(descriptorsOn(dir)).toBe(0);
    journal.close();
  });

  it('a folder this user may not open (EACCES) is no fault: the journal opens, records and compacts there', () => {
    disk.unopenableFolder = true;
    const journal = AnswerJournal.open(file, key, { replay: true, log, ahead });
    for (let i = 0; i < 2_001; i += 1) journal.record(`text ${i}`, i, scores);
    journal.written(2_001);
    journal.record('in flight', 2_001, scores);
    journal.close();
    disk.unopenableFolder = false;
    const again = AnswerJournal.open(file, key, { replay: true, log, ahead });
    expect(again.keptFor('in flight')?.answer).toEqual(scores);
    again.close();
  });
});
