import { createLogger } from '../src/log.js';
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../src/io/record.js';
import { KeptAnswers, keepDroppedAnswers } from '../src/job/kept-answers.js';
import type { TextWindow } from '../src/job/row-plan.js';
import { useTempDir } from './support/e2e-dir.js';
import { writePartialOutput } from './support/partial-output.js';

const scored = (positive: number, truncated = false): Outcome => ({ kind: 'scored', label: positive >= 0.5 ? 'POSITIVE' : 'NEGATIVE', positive, negative: 1 - positive, truncated });

/**
 * The text a dropped job sent for a row (the key its answer is kept under, kept-answers.ts): a row not cut was sent
 * whole, so it is its text as written; only a row cut to the window is cut again to find what was sent. Every row was
 * tokenized again before, about 40% of an import's time (a profile of 50,000 rows: 28% of the process, the CSV reads
 * 14%); the keys are the same.
 */
describe('the texts a dropped job sent, as its answers are kept', () => {
  const dir = useTempDir();
  /** A window that cuts only `long` (to its first 10 characters), counting its calls. */
  const counting = (long: () => string | undefined) => {
    const calls: string[] = [];
    const window: TextWindow = {
      fitToWindow: (text) => {
        calls.push(text);
        return text === long() ? { text: text.slice(0, 10), truncated: true, tokens: 12 } : { text, truncated: false, tokens: text.length };
      },
    };
    return { calls, window };
  };

  it('a row not cut is kept under its own text, not tokenized again; a row cut, under the text its cut gives, and only if the cut is the one written', async () => {
    const partialPath = dir.path('out.csv.partial');
    // Rows 0 and 1 not cut; 2 cut (the window cuts it the same); 3 written as cut where the window does not cut it
    // (another cut than the job's: not reused).
    const outcomes = [scored(0.9), scored(0.2), scored(0.7, true), scored(0.6, true)];
    const { checkpoint, texts } = writePartialOutput(partialPath, 'csv', outcomes);
    const { calls, window } = counting(() => texts[2]);
    const storePath = dir.path('out.csv.answers');
    const said = await keepDroppedAnswers({ checkpoint, partialPath, outputPath: dir.path('out.csv'), journalPath: dir.path('out.csv.journal'), storePath, modelKey: 'm', window });
    expect(said).toBe(`; the answers it paid for are kept for this job (3 texts in ${storePath}): a text among them is not sent again`);
    // Only the rows written as cut are tokenized again (every row was before).
    expect(calls).toEqual([texts[2], texts[3]]);
    const kept = await KeptAnswers.open(storePath, false, createLogger('silent'), 'm');
    try {
      expect(kept?.get('m', texts[0]!)).toEqual({ label: 'POSITIVE', positive: 0.9, negative: 1 - 0.9 });
      expect(kept?.get('m', texts[1]!)).toEqual({ label: 'NEGATIVE', positive: 0.2, negative: 1 - 0.2 });
      expect(kept?.get('m', texts[2]!.slice(0, 10))).toEqual({ label: 'POSITIVE', positive: 0.7, negative: 1 - 0.7 });
      expect(kept?.get('m', texts[2]!)).toBeUndefined();
      expect(kept?.get('m', texts[3]!)).toBeUndefined();
      expect(kept?.get('m', texts[3]!.slice(0, 10))).toBeUndefined();
    } finally {
      await kept?.close();
    }
  });
});
