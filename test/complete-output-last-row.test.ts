import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inputIdentity } from '../src/io/open-input.js';
import { completeOutput, type CompletedPass } from '../src/job/complete-output.js';
import { createLogger } from '../src/log.js';
import { tempDir } from './support/cli.js';

/**
 * The input changed between the pass's last look and the completion's: the rows written are checkpointed before the
 * line (the next run proves them), but not past a last row with no line feed, which may be a writer's row unfinished
 * (last-row-ending.ts). No e2e test reaches that window; here completeOutput is handed the pass's end directly.
 */
describe('completeOutput with the input changed under it', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it.each([
    [true, 1],
    [false, 0],
  ])('last row ended with a line feed: %s; checkpoints saved: %i', async (lastRowEnded, saves) => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'text\ngood\n');
    const identity = await inputIdentity(input);
    writeFileSync(input, 'text\ngood\nbad, rewritten\n');
    let saved = 0;
    const pass = {
      file: { close: async () => undefined },
      position: { inputOffset: 10, outputBytes: 0, nextIndex: 1 },
      input: { path: input, shownAs: input, identity },
      output: path.join(dir, 'out.csv'),
      partialPath: path.join(dir, 'out.csv.partial'),
      journal: undefined,
      keepJournal: false,
      failedRows: undefined,
      consumed: undefined,
      inherited: undefined,
      leavesKeptAnswers: false,
      pastLimit: undefined,
      log: createLogger('silent'),
      lastRowEnded,
      checkRemovedPartial: async () => undefined,
      saveCheckpoint: async () => void (saved += 1),
      figures: () => {
        throw new Error('not asked');
      },
    } as unknown as CompletedPass;
    await expect(completeOutput(pass)).rejects.toThrow(/changed while it was being read/);
    expect(saved).toBe(saves);
  });
});
