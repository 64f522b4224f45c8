import { appendFileSync, closeSync, copyFileSync, fstatSync, openSync, renameSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../src/config/options.js';
import { InputError } from '../src/errors.js';
import { inputIdentity } from '../src/io/open-input.js';
import { ReplacedInputCheck, fileIdOfDescriptor } from '../src/job/input-replaced.js';
import { openSource } from '../src/job/source.js';
import { tempDir } from './support/cli.js';

/**
 * The check a paid run makes at each periodic checkpoint (input-replaced.ts). A copy of the same bytes put over the
 * input (`cp -p`, then a rename: a new inode) is the same input; it used to be read and hashed again at every checkpoint
 * after, because the path's inode was compared with the first one seen, never with the copy once accepted.
 */
describe('ReplacedInputCheck', () => {
  let dir: string;
  let cleanup: () => void;
  let input: string;
  let fd: number;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    input = path.join(dir, 'in.csv');
    writeFileSync(input, `id,text\n${Array.from({ length: 200 }, (_, i) => `${i},review ${i}`).join('\n')}\n`);
    utimesSync(input, 1_700_000_000, 1_700_000_000); // whole seconds: a copy's times set from a Date keep them exactly
    fd = openSync(input, 'r'); // the reader's descriptor
  });
  afterEach(() => {
    closeSync(fd);
    cleanup();
  });

  const watch = async () => new ReplacedInputCheck({ path: input, shownAs: input, identity: await inputIdentity(input) }, () => fileIdOfDescriptor(fd));
  /** `cp -p in.csv copy && mv copy in.csv`: the same bytes and modification time, another inode. */
  const copyOver = () => {
    const copy = `${input}.copy`;
    copyFileSync(input, copy);
    const { atime, mtime } = statSync(input);
    utimesSync(copy, atime, mtime);
    renameSync(copy, input);
  };

  it('the same file at every checkpoint: never compared', async () => {
    const check = await watch();
    for (let i = 0; i < 5; i++) await check.check();
    expect(check.comparisons).toBe(0);
  });

  it('a copy of the same bytes put over it: compared once, accepted, and not compared again at the next checkpoints', async () => {
    const check = await watch();
    await check.check();
    copyOver();
    for (let i = 0; i < 5; i++) await check.check();
    expect(check.comparisons).toBe(1);
  });

  it('the accepted copy replaced in turn by other bytes: refused at the next checkpoint', async () => {
    const check = await watch();
    copyOver();
    await check.check();
    writeFileSync(`${input}.new`, 'id,text\nother\n');
    renameSync(`${input}.new`, input);
    await expect(check.check()).rejects.toThrow(InputError);
    expect(check.comparisons).toBe(2);
  });

  it('the accepted copy then rewritten in place (its inode kept, other bytes): refused at the next checkpoint', async () => {
    // `cat new.csv > in.csv` after a `cp -p` and a rename: the copy's inode was remembered as the input, so the run read
    // on and paid for every row, only for the end's check to refuse the output; before the copy was remembered the
    // first checkpoint after the rewrite stopped it.
    const check = await watch();
    copyOver();
    await check.check();
    writeFileSync(input, 'id,text\nother bytes, written into the same file\n');
    await expect(check.check()).rejects.toThrow(InputError);
    expect(check.comparisons).toBe(2);
  });

  // The file the reader holds open written in place (`cp new.csv in.csv` and `cat new.csv > in.csv` keep the inode;
  // `truncate -s`): the path's inode was the reader's, so the check went no further, and a paid run read on, paying
  // for every row, only for the end's check to refuse the output. Measured against `serve` (2026-12-07): a 3,000-row
  // export rewritten by `cp` 6 s into its run, 3,000 requests over 93 s, then exit 3.
  for (const [what, rewrite] of [
    ['rewritten in place with other bytes (cp new.csv in.csv)', () => writeFileSync(input, 'id,text\nother bytes, written into the same file\n')],
    ['cut short in place (truncate -s)', () => truncateSync(input, 100)],
    // No shorter than it was: its size alone does not tell it from a file appended to, its first and last 64 KiB do.
    ['rewritten in place by a longer export (cp bigger.csv in.csv)', () => writeFileSync(input, `id,text\n${Array.from({ length: 300 }, (_, i) => `${i},other ${i}`).join('\n')}\n`)],
  ] as const) {
    it(`the file being read ${what}: refused at the next checkpoint`, async () => {
      const check = await watch();
      await check.check();
      rewrite();
      expect(statSync(input).ino).toBe(fstatSync(fd).ino);
      await expect(check.check()).rejects.toThrow(/changed while it was being read \(it (was modified|went from \d+ to \d+ bytes)\)/);
    });
  }

  it('the file being read appended to, or only touched: not refused (the reader reads on; the end of the run decides)', async () => {
    const check = await watch();
    appendFileSync(input, '200,review 200\n');
    await check.check();
    utimesSync(input, 1_800_000_000, 1_800_000_000);
    await check.check();
    appendFileSync(input, '201,review 201\n');
    await check.check();
  });

  it('the file the reader opened is the one compared, not the one the path named when the check was made', async () => {
    // Replaced between the reader's open and the check's first look: the path's file is not the one read.
    writeFileSync(`${input}.new`, 'id,text\nother\n');
    renameSync(`${input}.new`, input);
    const check = new ReplacedInputCheck({ path: input, shownAs: input, identity: await inputIdentity(input) }, () => fileIdOfDescriptor(fd));
    await check.check();
    expect(check.comparisons).toBe(1);
  });

  it("the source tells the file its records reader opened (its descriptor's), not the one its path names later", async () => {
    const source = await openSource({ ...DEFAULTS, input, output: path.join(dir, 'out.csv'), text: ['text'] }, input);
    expect(source.readingFile()).toBeUndefined();
    const opened = statSync(input, { bigint: true });
    const records = source.records(source.firstRecordOffset, 0)[Symbol.asyncIterator]();
    await records.next();
    copyOver();
    expect(statSync(input, { bigint: true }).ino).not.toBe(opened.ino);
    expect(source.readingFile()).toEqual({ dev: opened.dev, ino: opened.ino });
    await records.return?.();
    await source.release();
  });
});
