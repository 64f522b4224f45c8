import { describe, expect, it } from 'vitest';
import type { TextWindow } from '../src/job/row-plan.js';
import { RowScorer } from '../src/job/row-scorer.js';
import { StopController } from '../src/job/stop.js';
import { createLogger } from '../src/log.js';
import type { Scorer, Scores } from '../src/scoring/scorer.js';
import { emptyTotals } from '../src/state/totals.js';

const SCORES: Scores = { label: 'POSITIVE', positive: 0.9, negative: 0.1 };

/** A window of 3 words: a longer text is cut to its first three. */
const window: TextWindow = {
  fitToWindow(text: string) {
    const words = text.split(' ');
    return { text: words.slice(0, 3).join(' '), truncated: words.length > 3, tokens: Math.min(words.length, 3) };
  },
};

/** The local backend: scores on this machine through the token window, answering at once. */
const local = { modelId: 'local:test', remote: false, usesTokenWindow: true, score: () => Promise.resolve(SCORES), close: () => Promise.resolve() } as unknown as Scorer;

function rowScorer(): RowScorer {
  return new RowScorer({ scorer: local, retry: { maxAttempts: 1 }, stop: new StopController(), totals: emptyTotals(), log: createLogger('silent'), longText: 'truncate', window });
}

describe('RowScorer: a duplicate of a text cut to the window keeps its own truncated flag', () => {
  // A text of exactly the window (510 words of "good": 512 tokens) and a longer one cut to it are one text once cut,
  // so the second is answered as a duplicate of the first. Its sentiment_truncated was the first row's: a 600-word
  // row after the 510-word one was written untruncated (and `truncated` counted 0), the 510-word row after a 600-word
  // one was written truncated, though nothing of it was cut.
  it('a longer text after one that fits the window exactly is still marked truncated', async () => {
    const rows = rowScorer();
    expect(await rows.score('good good good', 0)).toMatchObject({ kind: 'scored', truncated: false });
    expect(await rows.score('good good good good', 1)).toMatchObject({ kind: 'scored', truncated: true, duplicate: true });
  });

  it('a text that fits exactly after a longer one cut to it is not marked truncated', async () => {
    const rows = rowScorer();
    expect(await rows.score('good good good good', 0)).toMatchObject({ kind: 'scored', truncated: true });
    expect(await rows.score('good good good', 1)).toMatchObject({ kind: 'scored', truncated: false, duplicate: true });
  });

  it('while the first is still in flight too', async () => {
    const rows = rowScorer();
    const first = rows.score('good good good good', 0);
    const second = rows.score('good good good', 1);
    expect(await first).toMatchObject({ kind: 'scored', truncated: true });
    expect(await second).toMatchObject({ kind: 'scored', truncated: false, duplicate: true });
  });
});
