/**
 * A tiny deterministic Scorer for tests: counts a few positive and negative
 * words. Not a model; it only has to be predictable and fast.
 *
 *   P(POSITIVE) = 1 / (1 + e^-(positives - negatives))
 *
 * so a text without known words scores 0.5 (label POSITIVE, as toScores breaks ties).
 */
import { toScores, type Scorer, type Scores } from '../../src/scoring/scorer.js';

export const TEST_POSITIVE_WORDS = ['good', 'great', 'love', 'excellent', 'amazing', 'wonderful', 'best', 'happy', 'nice', 'fantastic'] as const;
export const TEST_NEGATIVE_WORDS = ['bad', 'terrible', 'awful', 'hate', 'worst', 'poor', 'horrible', 'boring', 'disappointing', 'broken'] as const;

const positiveSet = new Set<string>(TEST_POSITIVE_WORDS);
const negativeSet = new Set<string>(TEST_NEGATIVE_WORDS);

/** The scores the test scorer gives `text`, for assertions. */
export function testScores(text: string): Scores {
  let balance = 0;
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    if (positiveSet.has(word)) balance += 1;
    else if (negativeSet.has(word)) balance -= 1;
  }
  const positive = 1 / (1 + Math.exp(-balance));
  return toScores(positive, 1 - positive);
}

export class TestScorer implements Scorer {
  readonly modelId = 'test:word-count-v1';
  readonly remote = false;
  /** Texts scored so far, in order. */
  readonly texts: string[] = [];
  closed = false;

  async score(text: string): Promise<Scores> {
    this.texts.push(text);
    return testScores(text);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
