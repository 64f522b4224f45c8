/**
 * The Cloudflare v4 response envelope, the model's result shape, and the
 * default codes and messages of the errors the server answers.
 */
import { FREE_NEURONS_PER_DAY } from '../scoring/pricing.js';
import type { Scores } from '../scoring/scorer.js';
import { groupedNumber } from '../wording/grouped-number.js';

/** The one model this server serves: the one the client calls by default. */
export { DEFAULT_MODEL as MODEL_ID } from '../scoring/workers-ai-defaults.js';

export interface LabelScore {
  label: 'POSITIVE' | 'NEGATIVE';
  score: number;
}

/**
 * Both labels with their probabilities. `by-score` puts the most likely label
 * first (the order of the documented example and of Hugging Face pipelines),
 * so the order changes from text to text and clients must look labels up by name.
 */
function labelScores(scores: Scores, order: 'by-score' | 'fixed'): LabelScore[] {
  const negative: LabelScore = { label: 'NEGATIVE', score: scores.negative };
  const positive: LabelScore = { label: 'POSITIVE', score: scores.positive };
  if (order === 'fixed') return [negative, positive];
  return scores.positive > scores.negative ? [positive, negative] : [negative, positive];
}

export function successBody(scores: Scores, shape: 'array' | 'items', order: 'by-score' | 'fixed'): string {
  const labels = labelScores(scores, order);
  const result = shape === 'items' ? { items: labels } : labels;
  return JSON.stringify({ result, success: true, errors: [], messages: [] });
}

export function errorBody(code: number, message: string): string {
  return JSON.stringify({ result: null, success: false, errors: [{ code, message }], messages: [] });
}

/** Cloudflare error codes the server uses. */
export const CfCode = {
  BadInput: 5006,
  NoSuchModel: 5007,
  TooLarge: 3006,
  Timeout: 3007,
  RateLimited: 3021,
  Capacity: 3040,
  // The shared facts list no code for 5xx; 3043 ("Internal server error") is our choice.
  Internal: 3043,
  DailyNeurons: 4006,
  Auth: 10000,
  NoRoute: 7000,
  MethodNotAllowed: 7001,
} as const;

/** The code an error answer carries when a scripted answer gives only a status. */
export function defaultCodeForStatus(status: number): number {
  switch (status) {
    case 400:
      return CfCode.BadInput;
    case 401:
    case 403:
      return CfCode.Auth;
    case 404:
      return CfCode.NoRoute;
    case 408:
      return CfCode.Timeout;
    case 413:
      return CfCode.TooLarge;
    case 429:
      return CfCode.Capacity;
    default:
      return CfCode.Internal;
  }
}

/** What the route answers to a path it does not serve, and the start of its answer to another method than POST. */
export const NO_ROUTE_MESSAGE = 'No route for that URI';
export const METHOD_NOT_ALLOWED_MESSAGE = 'Method not allowed';

/** The usual message for a code, for scripted answers that do not give one. */
export function defaultMessage(code: number): string {
  switch (code) {
    case CfCode.BadInput:
      return 'AiError: Bad input: scripted bad-input error';
    case CfCode.NoSuchModel:
      return 'No such model or task';
    case CfCode.TooLarge:
      return 'AiError: Request is too large';
    case CfCode.Timeout:
      return 'AiError: Request timeout';
    case CfCode.RateLimited:
      return 'AiError: Rate limited: too many requests in the last minute';
    case CfCode.Capacity:
      return 'Capacity temporarily exceeded, please try again later.';
    case CfCode.DailyNeurons:
      return dailyNeuronsMessage(FREE_NEURONS_PER_DAY);
    case CfCode.Auth:
      return 'Authentication error';
    // A scripted 404 or 405 reads as the route's own does, not as a 500.
    case CfCode.NoRoute:
      return NO_ROUTE_MESSAGE;
    case CfCode.MethodNotAllowed:
      return METHOD_NOT_ALLOWED_MESSAGE;
    default:
      return 'Internal server error';
  }
}

/** The allocation with every digit given: rounded to 3 places, `--daily-neurons 0.00001` said "allocation of 0 neurons". */
const ALL_DIGITS = 20;

export function dailyNeuronsMessage(limit: number): string {
  return (
    `you have used up your daily free allocation of ${groupedNumber(limit, ALL_DIGITS)} neurons, ` +
    "please upgrade to Cloudflare's Workers Paid plan if you would like to continue usage."
  );
}

/** A 200 body that is not JSON: what a misbehaving proxy in front of the service sends. */
export const MALFORMED_BODY =
  '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>\n';
