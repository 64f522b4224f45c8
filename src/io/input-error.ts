import { InputError, SentimentBatchError, errorMessage } from '../errors.js';

/** Wraps an unexpected stream failure; errors of our own hierarchy pass unchanged. */
export function asInputError(error: unknown, what: string): SentimentBatchError {
  if (error instanceof SentimentBatchError) return error;
  return new InputError(`cannot read ${what}: ${errorMessage(error)}`, { cause: error });
}
