import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { appendFileSync, closeSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputChangedInMendError } from '../src/errors.js';
import { inputIdentity } from '../src/io/open-input.js';
import { mendAgainOf } from '../src/job/input-unchanged.js';
import { mendInputCheck } from '../src/job/mend-input-check.js';
import { captureLog } from './support/capture-log.js';
import { useTempDir } from './support/e2e-dir.js';

/**
 * A mend's input check (job/mend-input-check.ts), asked at each --checkpoint-interval and before the mended copy
 * replaces the output: the file changed since the mend began is refused only when the bytes the job read changed too.
 * In process, on files written here: the end-to-end cases (mend-input-grown, mend-input-changed) are slow-tier runs.
 */
describe("a mend's input check", () => {
  const dir = useTempDir();
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');

  /** The check of a mend over `file` as it is now, whose job read `read` (its first bytes); the lines it logs. */
  async function checkOf(file: string, read: string | undefined) {
    const { log, messages } = captureLog('info');
    const segments = read === undefined ? undefined : [{ end: Buffer.byteLength(read), sha256: sha(read) }];
    const input = { path: file, shownAs: 'in.csv', identity: await inputIdentity(file) };
    return { check: mendInputCheck(input, { segments, gzip: false, format: 'csv' }, log), messages };
  }
  const goesOn = (messages: () => string[]) => messages().filter((line) => line.includes('but not the bytes the job read')).length;

  it('goes on when rows are appended after the part the job read, and says so once', async () => {
    const read = 'id,review\n1,good\n2,bad\n';
    const file = dir.file('appended.csv', read);
    const { check, messages } = await checkOf(file, read);
    await check();
    expect(goesOn(messages)).toBe(0);
    appendFileSync(file, '3,fine\n');
    await check();
    expect(goesOn(messages)).toBe(1);
    // Asked again (the next --checkpoint-interval, the look before the rename), and grown again: said once.
    await check();
    appendFileSync(file, '4,awful\n');
    await check();
    expect(goesOn(messages)).toBe(1);
  });

  // The identity accepted once rows were appended is size, mtime and the first and last 64 KiB: a row edited in the middle
  // at its length, the mtime put back (`touch -r`), was that identity still, and the mend went on over the edited export
  // (operator23; the next run's proof caught it). Its change time is no one's to put back.
  it('is refused when, after an accepted append, the part read is edited in the middle and its mtime put back', async () => {
    const rows = Array.from({ length: 6000 }, (_, i) => `${i},review number ${i} was good\n`).join('');
    const read = `id,review\n${rows}`;
    const file = dir.file('touched.csv', read);
    const { check } = await checkOf(file, read);
    appendFileSync(file, '6000,fine\n');
    await check();
    // touch -r keeps the nanoseconds (utimes from a Date drops them, and the mtime differed).
    const times = dir.file('times.ref', '');
    execFileSync('touch', ['-r', file, times]);
    const middle = read.indexOf('3000,review number 3000 was good');
    const handle = openSync(file, 'r+');
    writeSync(handle, '3000,review number 3000 was BAD!', middle);
    closeSync(handle);
    execFileSync('touch', ['-r', times, file]);
    await expect(check()).rejects.toThrow(InputChangedInMendError);
  });

  it('goes on when the last row read, without a line ending, has one now (a lone CR too, in CSV), and rows after it', async () => {
    for (const [read, appended] of [
      ['id,review\n1,good\n2,bad', '\n3,fine\n'],
      ['id,review\r1,good\r2,bad', '\r3,fine\r'],
    ]) {
      const file = dir.file('unended.csv', read!);
      const { check } = await checkOf(file, read);
      appendFileSync(file, appended!);
      await expect(check()).resolves.toBeUndefined();
    }
  });

  it('is refused when the bytes the job read changed, when the input is removed (gzipped in place: the .gz named next), or when the bytes read are not recorded', async () => {
    const read = 'id,review\n1,good\n2,bad\n';
    const edited = dir.file('edited.csv', read);
    const editedCheck = (await checkOf(edited, read)).check;
    writeFileSync(edited, 'id,review\n1,GOOD\n2,bad\n3,fine\n');
    await expect(editedCheck()).rejects.toThrow(InputChangedInMendError);

    const removed = dir.file('removed.csv', read);
    const removedCheck = (await checkOf(removed, read)).check;
    rmSync(removed);
    await expect(removedCheck()).rejects.toThrow(/changed while the rows that had failed were being mended \(it was removed\)/);

    // Gzipped in place (`gzip in.csv` mid-mend): the refusal, and the summary's last line (mendAgainOf), name the .gz.
    const gzipped = dir.file('gz.csv', read);
    const gzippedCheck = (await checkOf(gzipped, read)).check;
    writeFileSync(`${gzipped}.gz`, gzipSync(read));
    rmSync(gzipped);
    const refusal = await gzippedCheck().then(() => undefined, (error: unknown) => error);
    expect(refusal).toBeInstanceOf(InputChangedInMendError);
    expect(mendAgainOf(refusal)).toEqual({ advice: 'run the same command with in.csv.gz in place of in.csv', kind: 'in-place' });
    expect((refusal as Error).message).toContain('(it was removed, and in.csv.gz is there now: gzipped in place?)');

    // Not recorded (an older checkpoint's): the file must be the same.
    const unrecorded = dir.file('unrecorded.csv', read);
    const unrecordedCheck = (await checkOf(unrecorded, undefined)).check;
    appendFileSync(unrecorded, '3,fine\n');
    await expect(unrecordedCheck()).rejects.toThrow(InputChangedInMendError);
  });
});
