import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { InputRecord } from '../src/io/record.js';
import { dedupeKey, LONG_TEXT_KEY } from '../src/job/dedupe.js';
import { openSource } from '../src/job/source.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { answerKeyOf } from '../src/scoring/scorer.js';
import type { Checkpoint } from '../src/state/checkpoint.js';
import { tempDir } from './support/cli.js';
import { quiet, remoteSettings, wordScorer } from './support/counting-remote.js';

// Counts the SHA-256 feeds of texts (every long text's key goes through it: dedupe.ts dedupeKey).
const feeds = vi.hoisted(() => ({ count: 0 }));
vi.mock('../src/state/text-digest.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/state/text-digest.js')>();
  return { ...real, updateWithText: (...args: Parameters<typeof real.updateWithText>) => ((feeds.count += 1), real.updateWithText(...args)) };
});

const { oldOutputAnswers, textsToScore } = await import('../src/job/old-output-answers.js');

/**
 * textsToScore (the texts an old output's answers are looked for by) hashes a text over LONG_TEXT_KEY characters once
 * for its row: review68 found three SHA-256s of each new long text (has, heldLength, add), 80 MB hashed 240 MB's worth.
 */
describe('textsToScore hashes each long text once', () => {
  it('three distinct long texts, one repeated: one hash a row', async () => {
    const long = (i: number): string => `${i} ${'x'.repeat(LONG_TEXT_KEY + 100)}`;
    const values = [long(0), long(1), long(2), long(1), 'short'];
    const records = async function* (): AsyncGenerator<InputRecord> {
      for (const [index, value] of values.entries()) yield { index, byteEnd: 0, raw: '', text: { ok: true, value } };
    };
    feeds.count = 0;
    const read = await textsToScore({ quietRecords: records }, 0, 0, () => false);
    expect(read?.texts.size).toBe(4);
    expect(read?.texts.has(long(2))).toBe(true);
    // 4 rows with a long text, and the look-up just above.
    expect(feeds.count).toBe(5);
  });
});

/**
 * oldOutputAnswers (a completed job's output read for the answers to the rows appended) takes each row's key once and
 * looks it up with that key: looked up by its text, each long text read back was hashed a second time.
 */
describe('oldOutputAnswers hashes each long text read back once', () => {
  it('three long texts in the old output, repeated by three rows appended: one hash a row each side', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const long = (i: number): string => `${i} ${'x'.repeat(LONG_TEXT_KEY + 100)}`;
      const rows = (texts: string[], from: number) => texts.map((text, i) => `${from + i},${text}\n`).join('');
      const input = path.join(dir, 'in.csv');
      const output = path.join(dir, 'out.csv');
      writeFileSync(input, `id,text\n${rows(['short one', long(0), long(1), long(2)], 0)}`);
      const settings = remoteSettings(input, output);
      expect((await runJob(settings, { log: quiet(), stop: new StopController(), createScorer: () => wordScorer({ count: 0 }) })).exitCode).toBe(0);
      appendFileSync(input, rows([long(2), long(0), long(1)], 4));
      const checkpoint = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Checkpoint;
      const source = await openSource(settings, input);
      try {
        feeds.count = 0;
        const found = await oldOutputAnswers({ checkpoint, partialPath: output, source, window: { fitToWindow: (text) => ({ text, truncated: false, tokens: 1 }) }, modelKey: answerKeyOf(checkpoint.settings), log: quiet(), stopped: () => false });
        for (const i of [0, 1, 2]) expect(found?.settled(dedupeKey(long(i)))).toMatchObject({ kind: 'scored' });
        // 3 rows appended (textsToScore), 3 rows read back, and the 3 look-ups just above.
        expect(feeds.count).toBe(9);
      } finally {
        await source.release();
      }
    } finally {
      cleanup();
    }
  });
});
