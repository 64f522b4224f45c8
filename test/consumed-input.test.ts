import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openInput } from '../src/io/open-input.js';
import { ConsumedInput, FIRST_SEGMENT_BYTES } from '../src/job/consumed-input.js';
import { consumedBytesMatch } from '../src/job/same-input.js';
import { useTempDir } from './support/e2e-dir.js';

const HEADER = 'id,review\n';
const text = HEADER + Array.from({ length: 3000 }, (_, i) => `${i},review number ${i} of the export\n`).join('');
/** Where each record ends, as a reader's byteEnd says. */
const ends = [...text.matchAll(/\n/g)].map((match) => (match.index as number) + 1).slice(1);

/** Reads the input through a tap from `from`, writing (advancing) every record that ends up to `to`, as a run does. */
async function consume(consumed: ConsumedInput, file: string, gzip: boolean, from: number, to: number): Promise<void> {
  for await (const _chunk of consumed.tap(openInput(file, { gzip, startOffset: from }), from)) {
    // read through: the reader runs ahead of what is written
  }
  for (const end of ends) if (end > from && end <= to) consumed.advanceTo(end);
}

/**
 * The bytes a run consumed, recorded by segments (job/consumed-input.ts), are those the input holds: read again by
 * job/same-input.ts, they match for the same bytes, plain or gzip, across a resume, and not for a byte changed.
 */
describe('the input bytes a job consumed', () => {
  const dir = useTempDir();

  it.each([false, true])('are recorded by segments a second read of the same bytes matches (gzip %s), across a resume', async (gzip) => {
    const file = dir.file(gzip ? 'in.csv.gz' : 'in.csv', gzip ? gzipSync(text) : text);
    const pause = ends[2000] as number;
    expect(pause).toBeGreaterThan(FIRST_SEGMENT_BYTES);
    const first = new ConsumedInput();
    first.begin(HEADER.length, { header: Buffer.from(HEADER) });
    await consume(first, file, gzip, HEADER.length, pause);
    const paused = first.at(pause);
    // The first segment is cut at 64 KiB: a new export is told apart by reading that much.
    expect(paused?.map((segment) => segment.end)).toEqual([FIRST_SEGMENT_BYTES, pause]);
    expect(await consumedBytesMatch(file, gzip, paused ?? [], false)).toBe(true);
    // The same bytes, stored the other way (a plain file gzipped in place, or the other way round).
    const other = dir.file(gzip ? 'other.csv' : 'other.csv.gz', gzip ? text : gzipSync(text));
    expect(await consumedBytesMatch(other, !gzip, paused ?? [], false)).toBe(true);
    // Not complete: the input goes on past the consumed part.
    expect(await consumedBytesMatch(file, gzip, paused ?? [], true)).toBe(false);

    const resumed = new ConsumedInput();
    resumed.begin(pause, { earlier: paused });
    await consume(resumed, file, gzip, pause, text.length);
    const complete = resumed.at(text.length);
    expect(complete?.map((segment) => segment.end)).toEqual([FIRST_SEGMENT_BYTES, pause, text.length]);
    expect(await consumedBytesMatch(file, gzip, complete ?? [], true)).toBe(true);
  });

  // A signal while a rerun reads the consumed part again ends the read (same-input.ts): stopped, it has no answer, which
  // the run takes for the stop of a job not yet begun (exit 130), never for "not the same bytes" (a start over).
  it.each([false, true])('a read aborted before or during it rejects instead of answering (gzip %s)', async (gzip) => {
    const file = dir.file(gzip ? 'in.csv.gz' : 'in.csv', gzip ? gzipSync(text) : text);
    const whole = [{ end: text.length, sha256: createHash('sha256').update(text).digest('hex') }];
    expect(await consumedBytesMatch(file, gzip, whole, true)).toBe(true);
    const before = new AbortController();
    before.abort(new Error('stopping'));
    await expect(consumedBytesMatch(file, gzip, whole, true, before.signal)).rejects.toThrow('stopping');
    const during = new AbortController();
    const reading = consumedBytesMatch(file, gzip, whole, true, during.signal);
    during.abort(new Error('stopping'));
    await expect(reading).rejects.toThrow('stopping');
  });

  it('does not match a byte changed inside the consumed part, and does match one changed after it', async () => {
    const file = dir.file('in.csv', text);
    const pause = ends[2000] as number;
    const consumed = new ConsumedInput();
    consumed.begin(HEADER.length, { header: Buffer.from(HEADER) });
    await consume(consumed, file, false, HEADER.length, pause);
    const segments = consumed.at(pause) ?? [];
    const changeAt = (at: number): string => {
      const bytes = Buffer.from(text);
      bytes[at] = bytes[at] === 0x72 ? 0x52 : 0x72;
      writeFileSync(file, bytes);
      return file;
    };
    for (const at of [3, FIRST_SEGMENT_BYTES - 1, FIRST_SEGMENT_BYTES, pause - 2]) {
      expect(await consumedBytesMatch(changeAt(at), false, segments, false)).toBe(false);
    }
    expect(await consumedBytesMatch(changeAt(pause + 2), false, segments, false)).toBe(true);
  });

  it('records nothing for a job resumed from a checkpoint that recorded none (an older version), nor after a gap', async () => {
    const file = dir.file('in.csv', text);
    const older = new ConsumedInput();
    older.begin(ends[10] as number, { earlier: undefined });
    await consume(older, file, false, ends[10] as number, ends[20] as number);
    expect(older.at(ends[20] as number)).toBeUndefined();
    const gap = new ConsumedInput();
    gap.begin(HEADER.length, { header: Buffer.from(HEADER) });
    await consume(gap, file, false, ends[30] as number, ends[40] as number);
    expect(gap.at(ends[40] as number)).toBeUndefined();
  });
});
