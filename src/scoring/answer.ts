/**
 * Validates a 2xx answer from Workers AI's text-classification run endpoint
 * and turns it into `Scores`. Anything that is not a well-formed answer with
 * both labels is a `retry` ScoringError with rowCode `bad_answer`, marked
 * `foreignAnswer`: the body arrived whole, so it is retried once only (retry.ts).
 */
import { shownStart } from '../wording/shown-start.js';
import { ScoringError } from '../errors.js';
import { isPlainObject } from '../io/dotted-path.js';
import { toScores, type Scores } from './scorer.js';
import { badInputOnSuccess } from './classify.js';

// Far wider than float32 rounding of a softmax, far narrower than any rescaling worth writing.
const SUM_TOLERANCE = 0.01;

/**
 * Parses the body of a 2xx answer (`status`, 200 unless given): `{"success": true, "result": [...] | {"items": [...]}}`.
 * `success: false` with a bad-input code is the row's refusal (classify.ts badInputOnSuccess), not a malformed answer.
 */
export function parseAnswer(body: string, status = 200): Scores {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body);
  } catch {
    throw badAnswer(`the body is not JSON (${body.length} characters${body ? `, starting ${excerpt(body)}` : ''})`);
  }
  if (!isPlainObject(envelope)) throw badAnswer(`expected a JSON object, got ${describe(envelope)}`);
  if (envelope.success !== true) {
    const refused = envelope.success === false ? badInputOnSuccess(status, body) : undefined;
    if (refused) throw refused;
    throw badAnswer(`"success" is ${JSON.stringify(envelope.success) ?? 'missing'}${errorsSummary(envelope.errors)}`);
  }

  const result = envelope.result;
  // The documented shape is a bare array; an older doc page shows {"items": [...]}. Accept both.
  const items = Array.isArray(result) ? result : isPlainObject(result) && Array.isArray(result.items) ? result.items : undefined;
  if (!items) throw badAnswer(`expected "result" to be an array of {label, score} (or {items: [...]}), got ${describe(result)}`);

  // Labels are looked up by name: their order is not documented.
  const scores = new Map<string, number>();
  for (const item of items) {
    if (!isPlainObject(item) || typeof item.label !== 'string' || typeof item.score !== 'number') {
      throw badAnswer(`expected every result item to be {label: string, score: number}, got ${describe(item)}`);
    }
    const label = item.label.trim().toUpperCase();
    if (scores.has(label)) throw badAnswer(`the label ${label} appears twice`);
    if (!Number.isFinite(item.score) || item.score < 0 || item.score > 1) {
      throw badAnswer(`expected the score of ${label} to be a number in [0, 1], got ${item.score}`);
    }
    scores.set(label, item.score);
  }

  const positive = scores.get('POSITIVE');
  const negative = scores.get('NEGATIVE');
  if (positive === undefined || negative === undefined) {
    const missing = positive === undefined ? 'POSITIVE' : 'NEGATIVE';
    throw badAnswer(`the label ${missing} is missing (labels given: ${[...scores.keys()].join(', ') || 'none'})`);
  }
  // The model has exactly these two labels and answers a softmax over them (0.956 + 0.0437 in the documentation).
  // A third label, or scores far from summing to 1, is not this model's answer (another model behind the id, a
  // gateway's rewrite): until 2026-12-05 the third was dropped and the two rescaled, so a row whose answer put 0.9 on
  // NEUTRAL was written POSITIVE 0.5 at exit 0.
  const others = [...scores.keys()].filter((label) => label !== 'POSITIVE' && label !== 'NEGATIVE');
  if (others.length > 0) throw badAnswer(`expected only the labels POSITIVE and NEGATIVE, got also ${others.join(', ')}`);
  if (Math.abs(positive + negative - 1) > SUM_TOLERANCE) {
    throw badAnswer(`expected the scores of POSITIVE and NEGATIVE to sum to 1, got ${positive} + ${negative}`);
  }
  return toScores(positive, negative);
}

/**
 * A 2xx body larger than `limit` bytes, read up to there (`start`): the model answers about 100, so whatever sent this
 * (an HTML page or a file served in its place) is not the model, and the next try most likely gets the same. It is
 * refused as every other answer here is: retried once, and counted toward the stop that says the answers are not the
 * model's. Until 2026-12-05 it was retried --max-attempts times as a body cut off on the way: 335 requests for 50 rows,
 * then "the service is failing: run the same command again once it answers".
 */
export function oversizedAnswer(limit: number, start: string, encoding?: string): ScoringError {
  const decompressed = encoding === undefined ? '' : ` once decompressed (Content-Encoding: ${encoding})`;
  return badAnswer(`the body is larger than ${limit} bytes (the model's answer is about 100)${decompressed}, starting ${excerpt(start)}`);
}

/** A 2xx body refused before it is read as JSON (answer-body.ts: one it cannot decompress), said as every other. */
export function malformedAnswer(what: string): ScoringError {
  return badAnswer(what);
}

/** The scores of a body that reads as the model's answer, else undefined (workers-ai.ts: one labelled compressed, that is not). */
export function answerAsSent(body: string, status: number): Scores | undefined {
  try {
    return parseAnswer(body, status);
  } catch {
    return undefined;
  }
}

/** How every answer this module refuses begins (job/foreign-answers.ts tells them from answers cut off on the way). */
export const MALFORMED_ANSWER = 'Workers AI sent a malformed answer: ';

function badAnswer(what: string): ScoringError {
  return new ScoringError('retry', 'bad_answer', `${MALFORMED_ANSWER}${what}`, { foreignAnswer: true });
}

function errorsSummary(errors: unknown): string {
  if (!Array.isArray(errors) || errors.length === 0) return '';
  const parts = errors.slice(0, 3).map((e) => (isPlainObject(e) ? `${String(e.code ?? '?')} ${String(e.message ?? '')}`.trim() : describe(e)));
  return ` (errors: ${excerpt(parts.join('; '))})`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return excerpt(JSON.stringify(value) ?? String(value));
}

function excerpt(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ');
  return JSON.stringify(shownStart(line, max));
}
