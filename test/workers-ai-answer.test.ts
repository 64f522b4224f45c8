// Validation of a 2xx answer body (answer.ts), as a pure function.
import { describe, expect, it } from 'vitest';
import { ScoringError } from '../src/errors.js';
import { parseAnswer } from '../src/scoring/answer.js';

const body = (result: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ result, success: true, errors: [], messages: [], ...extra });

describe('parseAnswer accepts', () => {
  it('the documented bare array', () => {
    expect(parseAnswer(body([{ label: 'NEGATIVE', score: 0.956 }, { label: 'POSITIVE', score: 0.044 }]))).toEqual({
      label: 'NEGATIVE',
      positive: 0.044,
      negative: 0.956,
    });
  });

  it('the {items} shape, labels in any order and any case', () => {
    const scores = parseAnswer(body({ items: [{ label: 'positive', score: 0.7 }, { label: 'Negative', score: 0.3 }] }));
    expect(scores).toEqual({ label: 'POSITIVE', positive: 0.7, negative: 0.3 });
  });

  it('scores that sum to 1 within float rounding, as given', () => {
    const scores = parseAnswer(body([{ label: 'POSITIVE', score: 0.0437 }, { label: 'NEGATIVE', score: 0.956 }]));
    expect(scores.positive).toBeCloseTo(0.0437 / 0.9997, 12);
    expect(scores.label).toBe('NEGATIVE');
  });
});

describe('parseAnswer rejects as a retryable bad_answer', () => {
  it.each([
    ['an empty body', ''],
    ['a truncated body', body([{ label: 'POSITIVE', score: 0.5 }]).slice(0, 30)],
    ['an array envelope', '[]'],
    ['success false on a 200', JSON.stringify({ result: null, success: false, errors: [{ code: 3040, message: 'busy' }] })],
    ['success missing', JSON.stringify({ result: [] })],
    ['result null', body(null)],
    ['result an object without items', body({ label: 'POSITIVE', score: 1 })],
    ['a missing label', body([{ label: 'POSITIVE', score: 0.9 }])],
    ['no labels', body([])],
    ['a duplicated label', body([{ label: 'POSITIVE', score: 0.9 }, { label: 'positive', score: 0.1 }, { label: 'NEGATIVE', score: 0.1 }])],
    ['a score as a string', body([{ label: 'POSITIVE', score: '0.9' }, { label: 'NEGATIVE', score: 0.1 }])],
    ['a score above 1', body([{ label: 'POSITIVE', score: 1.5 }, { label: 'NEGATIVE', score: 0.1 }])],
    ['a negative score', body([{ label: 'POSITIVE', score: -0.1 }, { label: 'NEGATIVE', score: 0.1 }])],
    ['both scores 0', body([{ label: 'POSITIVE', score: 0 }, { label: 'NEGATIVE', score: 0 }])],
    // Not this two-label model's answer: they were written, rescaled, at exit 0 until 2026-12-05.
    ['a third label', body([{ label: 'NEUTRAL', score: 0.9 }, { label: 'POSITIVE', score: 0.06 }, { label: 'NEGATIVE', score: 0.04 }])],
    ['a third label with no weight', body([{ label: 'NEUTRAL', score: 0 }, { label: 'POSITIVE', score: 0.2 }, { label: 'NEGATIVE', score: 0.8 }])],
    ['scores that sum to 0.8', body([{ label: 'POSITIVE', score: 0.6 }, { label: 'NEGATIVE', score: 0.2 }])],
    ['scores that sum to 0.03', body([{ label: 'POSITIVE', score: 0.02 }, { label: 'NEGATIVE', score: 0.01 }])],
    ['an item that is not an object', body(['POSITIVE', { label: 'NEGATIVE', score: 0.1 }])],
  ])('%s', (_name, text) => {
    let thrown: unknown;
    try {
      parseAnswer(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ScoringError);
    expect(thrown).toMatchObject({ kind: 'retry', rowCode: 'bad_answer' });
    expect((thrown as Error).message).toMatch(/^Workers AI sent a malformed answer: /);
  });

  it('says which label is missing', () => {
    expect(() => parseAnswer(body([{ label: 'POSITIVE', score: 0.9 }]))).toThrow(/NEGATIVE is missing \(labels given: POSITIVE\)/);
  });
});
