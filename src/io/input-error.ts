import { InputError, SentimentBatchError, errorMessage } from '../errors.js';
import { STDIN_PATH } from './format.js';

/** Wraps an unexpected stream failure; errors of our own hierarchy pass unchanged. */
export function asInputError(error: unknown, what: string): SentimentBatchError {
  if (error instanceof SentimentBatchError) return error;
  return new InputError(`cannot read ${what}: ${errorMessage(error)}`, { cause: error });
}

/** The input as a message names it: `input 'reviews.csv'`, or `standard input` for `-`. */
export function inputNamed(path: string): string {
  return path === STDIN_PATH ? 'standard input' : `input '${path}'`;
}
