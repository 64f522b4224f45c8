import { describe, expect, it } from 'vitest';
import type { AnswerJournal } from '../src/journal/answer-journal.js';
import { RowScorer } from '../src/job/row-scorer.js';
import { StopController } from '../src/job/stop.js';
import { createLogger } from '../src/log.js';
import type { Scorer, Scores } from '../src/scoring/scorer.js';
import { emptyTotals } from '../src/state/totals.js';

const SCORES: Scores = { label: 'POSITIVE', positive: 0.9, negative: 0.1 };

/** A remote scorer that must not be called: every answer here comes from the journal. */
const remote: Scorer = {
  modelId: 'workers-ai:test',
  remote: true,
  score: () => Promise.reject(new Error('no request may be sent for a text the journal has')),
  close: () => Promise.resolve(),
} as unknown as Scorer;

describe('RowScorer with an answer journal', () => {
  it('uses a kept answer without sending, and writes it to the result cache', async () => {
    const puts: Array<[string, string, Scores]> = [];
    const cache = { get: () => undefined, put: (model: string, text: string, scores: Scores) => void puts.push([model, text, scores]) };
    // The run that received this answer was killed: its journal entry survived, its cache write did not.
    const journal = { answerFor: (text: string) => (text === 'great' ? { kind: 'scored', scores: SCORES } : undefined), record: () => undefined } as unknown as AnswerJournal;
    const rows = new RowScorer({
      scorer: remote,
      retry: { maxAttempts: 1 },
      stop: new StopController(),
      totals: emptyTotals(),
      log: createLogger('silent'),
      longText: 'truncate',
      cache,
      journal,
    });
    const outcome = await rows.score('great', 0);
    expect(outcome).toMatchObject({ kind: 'scored', label: 'POSITIVE', positive: 0.9, cached: false });
    expect(puts).toEqual([['workers-ai:test', 'great', SCORES]]);
  });
});
