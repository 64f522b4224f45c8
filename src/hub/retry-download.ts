/**
 * `model pull` tries a file again when the failure is one that passes: the
 * connection dropped mid-transfer, the Hub or its storage answered 5xx, 429 or
 * 408. A pull that gave up on the first dropped connection of a 67 MB file
 * stopped a container's start (exit 4, "run the same command again"); the
 * retry resumes from the bytes already in `<file>.incomplete`. Failures that
 * another try would not mend (404, 401, a host that does not answer at all, a
 * full disk, a corrupt file) stop at once, as before.
 */
import type { SentimentBatchError } from '../errors.js';

/** Waits between tries: the 1st retry after 1 s, then 3 s, then 9 s. */
export const RETRY_DELAYS_MS: readonly number[] = [1_000, 3_000, 9_000];

const passing = new WeakSet<Error>();

/** Marks `error` as one that another try may mend. */
export function passes<E extends SentimentBatchError>(error: E): E {
  passing.add(error);
  return error;
}

export function isPassing(error: unknown): boolean {
  return error instanceof Error && passing.has(error);
}

/** Whether an HTTP status is the server's passing trouble. */
export function isPassingStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

export type RetryListener = (file: string, reason: string, attempt: number, attempts: number, delayMs: number) => void;

export async function withRetries<T>(file: string, delaysMs: readonly number[], onRetry: RetryListener | undefined, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const delay = delaysMs[attempt - 1];
      if (!isPassing(error) || delay === undefined) throw error;
      onRetry?.(file, (error as Error).message, attempt + 1, delaysMs.length + 1, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
