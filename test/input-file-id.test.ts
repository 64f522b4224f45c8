import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inputFile } from '../src/io/open-input.js';
import { InputMatch, isRecordedFile } from '../src/job/same-input.js';
import { sameIdentity, type Checkpoint } from '../src/state/checkpoint.js';
import { useTempDir } from './support/e2e-dir.js';

/** 2,000 rows of about 100 bytes: row 1,000 lies past the first 64 KiB and before the last. */
function exportCsv(edited: boolean): string {
  const rows = Array.from({ length: 2000 }, (_, i) => `${i},"row ${i}: the product was ${edited && i === 1000 ? 'awful' : 'great'}, ${'x'.repeat(60)}"`);
  return `id,review\n${rows.join('\n')}\n`;
}
const EXPORTED = new Date('2026-12-01T10:00:00Z');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** A completed job's checkpoint of the file at `file` as it is now (its identity, device and inode), which read `content`. */
async function completedCheckpointOf(file: string, content: string, options: { fileId?: false; consumed?: false } = {}): Promise<Checkpoint> {
  const { identity, fileId } = await inputFile(file);
  return {
    position: { nextIndex: 2000, inputOffset: Buffer.byteLength(content) },
    input: { path: file, identity, ...(options.fileId === false ? {} : { fileId }) },
    ...(options.consumed === false ? {} : { consumed: [{ end: Buffer.byteLength(content), sha256: sha(content) }] }),
    completed: true,
    settings: { format: 'csv' },
  } as unknown as Checkpoint;
}

async function matchOf(file: string): Promise<InputMatch> {
  const { identity, fileId } = await inputFile(file);
  return new InputMatch({ path: file, gzip: false, identity, fileId });
}

/**
 * The checkpoint records the input file's device and inode beside its identity (job/same-input.ts isRecordedFile): the
 * identity alone (size, modification time, first and last 64 KiB) took another export renamed over the input with the
 * same size and time for the job's own, and a completed job was "already done" with the old export's rows.
 */
describe("the input's file: its device and inode beside its identity", () => {
  const dir = useTempDir();

  it('another export of the same identity renamed over the input is not the recorded file, and its bytes tell it apart', async () => {
    const input = dir.file('in.csv', exportCsv(false));
    utimesSync(input, EXPORTED, EXPORTED);
    const checkpoint = await completedCheckpointOf(input, exportCsv(false));
    const next = dir.file('next.csv', exportCsv(true));
    utimesSync(next, EXPORTED, EXPORTED);
    renameSync(next, input);

    const now = await inputFile(input);
    expect(sameIdentity(now.identity, checkpoint.input.identity)).toBe(true);
    expect(now.fileId).not.toEqual(checkpoint.input.fileId);
    const match = await matchOf(input);
    expect(match.recordedFile(checkpoint)).toBe(false);
    expect(await match.same(checkpoint)).toBe(false);
  });

  it('the input rewritten in place, or created anew after it was removed, then given its old time, is changed since: its bytes tell it apart', async () => {
    for (const how of ['in place', 'removed']) {
      const input = dir.file('in.csv', exportCsv(false));
      utimesSync(input, EXPORTED, EXPORTED);
      const checkpoint = await completedCheckpointOf(input, exportCsv(false));
      const before = statSync(input, { bigint: true });
      // Change times are taken from a coarse clock (a few ms on Linux): the rewrite comes later, as after a run.
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (how === 'removed') rmSync(input);
      writeFileSync(input, exportCsv(true));
      utimesSync(input, EXPORTED, EXPORTED);
      const now = await inputFile(input);
      expect(sameIdentity(now.identity, checkpoint.input.identity)).toBe(true);
      // In place: the same inode (removed: ext4 gives the freed number again; either way the change time is later).
      if (how === 'in place') expect(statSync(input, { bigint: true }).ino).toBe(before.ino);
      const match = await matchOf(input);
      expect(match.recordedFile(checkpoint)).toBe(false);
      expect(await match.same(checkpoint)).toBe(false);
    }
  });

  it('a file whose mode changed (chmod: a later change time) is compared by its bytes, and is the same job', async () => {
    const input = dir.file('in.csv', exportCsv(false));
    utimesSync(input, EXPORTED, EXPORTED);
    const checkpoint = await completedCheckpointOf(input, exportCsv(false));
    await new Promise((resolve) => setTimeout(resolve, 20));
    chmodSync(input, 0o600);
    const match = await matchOf(input);
    expect(match.recordedFile(checkpoint)).toBe(false);
    expect(await match.same(checkpoint)).toBe(true);
  });

  it('a copy with its times (cp -a, a move to another filesystem, a restore) is another file of the same bytes: the same job', async () => {
    const input = dir.file('in.csv', exportCsv(false));
    utimesSync(input, EXPORTED, EXPORTED);
    const checkpoint = await completedCheckpointOf(input, exportCsv(false));
    const copy = dir.path('copy.csv');
    copyFileSync(input, copy);
    utimesSync(copy, EXPORTED, EXPORTED);
    expect(statSync(copy).ino).not.toBe(statSync(input).ino);

    const match = await matchOf(copy);
    expect(match.recordedFile(checkpoint)).toBe(false);
    expect(await match.sameBytes(checkpoint)).toBe(true);
    expect(await match.same(checkpoint)).toBe(true);
    // The input itself is the recorded file: its bytes are not read again.
    expect((await matchOf(input)).recordedFile(checkpoint)).toBe(true);
  });

  it('a checkpoint without them (an older release) or without the bytes consumed is decided by the identity alone, as before', async () => {
    const input = dir.file('in.csv', exportCsv(false));
    utimesSync(input, EXPORTED, EXPORTED);
    const older = await completedCheckpointOf(input, exportCsv(false), { fileId: false });
    const unread = await completedCheckpointOf(input, exportCsv(false), { consumed: false });
    const copy = dir.path('copy.csv');
    copyFileSync(input, copy);
    utimesSync(copy, EXPORTED, EXPORTED);
    const { identity, fileId } = await inputFile(copy);
    expect(isRecordedFile(older, identity, fileId)).toBe(true);
    expect(isRecordedFile(unread, identity, fileId)).toBe(true);
    // Another identity is another file whatever the device and inode say.
    expect(isRecordedFile(older, { ...identity, mtimeMs: identity.mtimeMs + 1 }, fileId)).toBe(false);
    // The inode number and change time recorded, on another device (the job folder moved to another filesystem,
    // whose file may get the same number): another file, compared by its bytes.
    const recorded = await completedCheckpointOf(input, exportCsv(false));
    const here = await inputFile(input);
    expect(isRecordedFile(recorded, here.identity, here.fileId)).toBe(true);
    expect(isRecordedFile(recorded, here.identity, { ...here.fileId, dev: `${here.fileId.dev}1` })).toBe(false);
  });
});
