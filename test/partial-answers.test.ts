import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../src/io/record.js';
import { editedPartial, ReadDigest } from '../src/job/dropped-job-rows.js';
import { PartialMismatch, partialAnswers, type WrittenAnswer } from '../src/job/partial-answers.js';
import type { Checkpoint } from '../src/state/checkpoint.js';
import { fileCrc32 } from '../src/state/output-crc.js';
import { useTempDir } from './support/e2e-dir.js';
import { writePartialOutput } from './support/partial-output.js';

/** Probabilities whose shortest text is long or odd: every bit must come back from the written digits. */
const POSITIVES = [0.1 + 0.2, 1 / 3, 5e-324, 1 - 2 ** -53, 0.9999999999999999, 2 ** -30, 0.5, 0.7310585786300049];

const scored = (positive: number, truncated = false): Outcome => {
  const negative = 1 - positive;
  return { kind: 'scored', label: positive >= negative ? 'POSITIVE' : 'NEGATIVE', positive, negative, truncated };
};

/**
 * The answers read back from a dropped job's partial output (job/partial-answers.ts): exactly the float64s written, only
 * from a file that is what its checkpoint says.
 */
describe('answers read back from a partial output', () => {
  const dir = useTempDir();

  function job(format: 'csv' | 'jsonl', outcomes: Outcome[]): { file: string; checkpoint: Checkpoint; texts: string[] } {
    const file = dir.path(`out.${format}.partial`);
    return { file, ...writePartialOutput(file, format, outcomes) };
  }

  async function read(file: string, checkpoint: Checkpoint, proven = false): Promise<WrittenAnswer[]> {
    const answers: WrittenAnswer[] = [];
    for await (const answer of partialAnswers(file, checkpoint, undefined, proven)) answers.push(answer);
    return answers;
  }

  for (const format of ['csv', 'jsonl'] as const) {
    it(`${format}: every scored row's text and the very bits of its scores; failed rows give nothing`, async () => {
      const outcomes: Outcome[] = [...POSITIVES.map((p, i) => scored(p, i === 2)), { kind: 'failed', failure: { code: 'too_large', message: 'x' } }];
      const { file, checkpoint, texts } = job(format, outcomes);
      const answers = await read(file, checkpoint);
      expect(answers.map((a) => a.text)).toEqual(texts.slice(0, POSITIVES.length));
      answers.forEach((answer, i) => {
        expect(Object.is(answer.scores.positive, POSITIVES[i])).toBe(true);
        expect(Object.is(answer.scores.negative, 1 - POSITIVES[i]!)).toBe(true);
        expect(answer.truncated).toBe(i === 2);
      });
    });

    // A resume's file, proven by its checkpoint's CRC-32: its cells are not written again, and they give the same answers.
    it(`${format}: proven, the same answers to the very bits, failed rows none; a file not what its checkpoint says still gives nothing`, async () => {
      const outcomes: Outcome[] = [...POSITIVES.map((p, i) => scored(p, i === 2)), { kind: 'failed', failure: { code: 'too_large', message: 'x' } }];
      const { file, checkpoint } = job(format, outcomes);
      const proven = await read(file, checkpoint, true);
      expect(proven).toEqual(await read(file, checkpoint));
      proven.forEach((answer, i) => expect(Object.is(answer.scores.positive, POSITIVES[i])).toBe(true));
      await expect(read(file, { ...checkpoint, totals: { ...checkpoint.totals, scored: checkpoint.totals.scored + 1 } }, true)).rejects.toThrow(PartialMismatch);
    });

    // The digest a start-over compares (dropped-job-rows.ts ReadDigest) is taken of these bytes: the header too, none past the recorded length.
    it(`${format}: its tap is given the file's bytes, in order, from its start to the recorded length`, async () => {
      const { file, checkpoint } = job(format, POSITIVES.map((p) => scored(p)));
      appendFileSync(file, 'a row written after the last checkpoint\n');
      const tapped: Buffer[] = [];
      for await (const _ of partialAnswers(file, checkpoint, (bytes) => tapped.push(Buffer.from(bytes))));
      expect(Buffer.concat(tapped).equals(readFileSync(file).subarray(0, checkpoint.position.outputBytes))).toBe(true);
    });

    // An unfinished job's start-over compares the CRC-32 so taken with its checkpoint's (the header and the rows reach
    // the tap apart), the file not read again: a CRC-32 of the last piece alone called every partial output edited.
    it(`${format}: the CRC-32 its tap takes is the recorded one, and the start-over finds the file unedited`, async () => {
      const { file, checkpoint } = job(format, POSITIVES.map((p) => scored(p)));
      const bytes = checkpoint.position.outputBytes;
      const recorded = { ...checkpoint, partialCrc32: await fileCrc32(file, bytes) };
      appendFileSync(file, 'a row written after the last checkpoint\n');
      const digest = new ReadDigest(recorded);
      for await (const _ of partialAnswers(file, recorded, digest.tap));
      expect(digest.crc32Of(bytes)).toBe(recorded.partialCrc32);
      expect(await editedPartial(file, recorded, digest)).toBeUndefined();
    });

    it(`${format}: a file that is not what its checkpoint says gives nothing`, async () => {
      const { file, checkpoint } = job(format, POSITIVES.map((p) => scored(p)));
      await expect(read(file, { ...checkpoint, position: { ...checkpoint.position, nextIndex: 7 } })).rejects.toThrow(PartialMismatch);
      await expect(read(file, { ...checkpoint, position: { ...checkpoint.position, outputBytes: checkpoint.position.outputBytes - 3 } })).rejects.toThrow(/do not end at|cannot be read up to the/);
      await expect(read(file, { ...checkpoint, totals: { ...checkpoint.totals, scored: 9 } })).rejects.toThrow(/scored rows/);
      await expect(read(dir.path('none.partial'), checkpoint)).rejects.toThrow(/not there/);
      // The last row's start: neither inside that row nor at its line ending's last byte.
      const lastStart = checkpoint.position.lastOutputStart as number;
      for (const moved of [lastStart + 1, lastStart - 1, checkpoint.position.outputBytes - 2]) {
        await expect(read(file, { ...checkpoint, position: { ...checkpoint.position, lastOutputStart: moved } })).rejects.toThrow(/last row does not start/);
      }
      // Nor at its line ending's start, when the checkpoint's last input record is that row (30 bytes), not a line
      // ending passed through: that start was accepted for any checkpoint, the last row's own start then unchecked.
      const row = { inputOffset: 100, lastInputStart: 70 };
      await expect(read(file, { ...checkpoint, position: { ...checkpoint.position, ...row } })).resolves.toHaveLength(POSITIVES.length);
      const atEnding = { ...row, lastOutputStart: checkpoint.position.outputBytes - 1 };
      await expect(read(file, { ...checkpoint, position: { ...checkpoint.position, ...atEnding } })).rejects.toThrow(/last row does not start/);
    });

    // A --limit job continued for the line ending its last row lacked (owed-ending.ts) writes that ending last, a line
    // passed through: the checkpoint records where it starts and, by its input offsets, its length. The output reads it
    // back as the last row's own ending, which must start there and be that long: one byte, not two.
    it(`${format}: a line ending passed through after the last row is where, and as long as, its checkpoint records`, async () => {
      const { file, checkpoint } = job(format, POSITIVES.map((p) => scored(p)));
      const owed = (inputBytes: number, outputStart: number) => ({ ...checkpoint, position: { ...checkpoint.position, inputOffset: 100, lastInputStart: 100 - inputBytes, lastOutputStart: outputStart } });
      const end = checkpoint.position.outputBytes;
      await expect(read(file, owed(1, end - 1))).resolves.toHaveLength(POSITIVES.length);
      await expect(read(file, owed(2, end - 1))).rejects.toThrow(/last row does not start/);
      await expect(read(file, owed(2, end - 2))).rejects.toThrow(/last row does not start/);
      await expect(read(file, owed(1, end - 2))).rejects.toThrow(/last row does not start/);
    });
  }

  // A CR-only export's rows end with a CR alone in the output too: its scored rows were read as none ("it holds 0 scored
  // rows where its checkpoint counts 2"), and a start-over under other settings paid for every answer again (60 of 60).
  it('csv: a CR-only partial output gives its answers as an LF one does', async () => {
    const { file, checkpoint, texts } = job('csv', POSITIVES.map((p) => scored(p)));
    writeFileSync(file, (await import('node:fs')).readFileSync(file, 'utf8').replace(/\n/g, '\r'));
    const answers = await read(file, checkpoint);
    expect(answers.map((a) => a.text)).toEqual(texts);
  });

  // The line ending a --limit job owed its last row, in a CR-only export a CR alone: it was taken for no line ending (a
  // one-byte ending had to be an LF), and the answers of that job, killed before its rename, were paid for again.
  it('csv: a CR passed through after the last row of a CR-only partial output is that row\'s ending, as an LF is', async () => {
    const { file, checkpoint, texts } = job('csv', POSITIVES.map((p) => scored(p)));
    writeFileSync(file, (await import('node:fs')).readFileSync(file, 'utf8').replace(/\n/g, '\r'));
    const end = checkpoint.position.outputBytes;
    const owed = (inputBytes: number, outputStart: number) => ({ ...checkpoint, position: { ...checkpoint.position, inputOffset: 100, lastInputStart: 100 - inputBytes, lastOutputStart: outputStart } });
    expect((await read(file, owed(1, end - 1))).map((a) => a.text)).toEqual(texts);
    await expect(read(file, owed(2, end - 1))).rejects.toThrow(/last row does not start/);
    await expect(read(file, owed(1, end - 2))).rejects.toThrow(/last row does not start/);
  });

  it('a score written with digits String() would not write (edited by hand: 0.50) is no answer, and the count then differs', async () => {
    const { file, checkpoint } = job('csv', [scored(0.5), scored(0.25)]);
    const edited = (await import('node:fs')).readFileSync(file, 'utf8').replace(',0.25,', ',0.250,');
    writeFileSync(file, edited);
    await expect(read(file, { ...checkpoint, position: { ...checkpoint.position, outputBytes: Buffer.byteLength(edited) } })).rejects.toThrow(/holds 1 scored rows where its checkpoint counts 2/);
  });
});
