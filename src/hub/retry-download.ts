/**
 * `model pull` tries a file again when the failure is one that passes: the
 * connection dropped mid-transfer, the Hub or its storage answered 5xx, 429 or
 * 408. A pull that gave up on the first dropped connection of a 67 MB file
 * stopped a container's start (exit 4, "run the same command again"); the
 * retry resumes from the bytes already in `<file>.incomplete`. Failures that
 * another try would not mend (404, 401, a host that does not answer at all, a
 * full disk, a corrupt file) stop at once, as before.
 *
 * The tries are counted against the ones that got no further: a try that left
 * more of the file on disk than any before it starts the count (and the waits)
 * afresh. Counting every try, a link that dropped every 20 MB gave up on the
 * 67 MB file at 80 MB of a larger one, after four tries that each advanced it.
 * The measure is the most bytes ever held, not the bytes a try received: a
 * server that ignores Range sends the start again each time, and would
 * otherwise "advance" forever. Such a server cut at the same point each time (a proxy or CDN capping an answer's
 * size) cannot be got past: the pull gives up saying so, not 'run the same command again to resume', which starts over
 * the same way.
 */
import { SentimentBatchError } from '../errors.js';

/** Waits between tries: the 1st retry after 1 s, then 3 s, then 9 s. */
export const RETRY_DELAYS_MS: readonly number[] = [1_000, 3_000, 9_000];

/**
 * A passing error, with the bytes of the file held on disk when it came (undefined: nothing to resume) and, when the
 * try asked for the rest of a file and was sent all of it again (200 to a Range request), the host that did so.
 */
const passing = new WeakMap<Error, { held?: number; ignoresRange?: string }>();

/** Marks `error` as one that another try may mend; `held`: the bytes of the file the failed try left to resume from. */
export function passes<E extends SentimentBatchError>(error: E, held?: number, ignoresRange?: string): E {
  passing.set(error, { held, ignoresRange });
  return error;
}

function isPassing(error: unknown): boolean {
  return error instanceof Error && passing.has(error);
}

/** Whether an HTTP status is the server's passing trouble. */
export function isPassingStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/**
 * `attempt` of `attempts`: the try about to be made, counted since the last try that got further; `total`: every try
 * of the file so far, the one about to be made included (equal to `attempt` until a try got further).
 */
export type RetryListener = (file: string, reason: string, attempt: number, attempts: number, delayMs: number, total: number) => void;

export async function withRetries<T>(file: string, delaysMs: readonly number[], onRetry: RetryListener | undefined, work: () => Promise<T>): Promise<T> {
  let most = 0;
  let stuck = 0; // tries in a row that got no further
  for (let total = 1; ; total++) {
    try {
      return await work();
    } catch (error) {
      if (!isPassing(error)) throw error;
      const { held, ignoresRange } = passing.get(error as Error) ?? {};
      if (held !== undefined && held > most) {
        most = held;
        stuck = 0;
      }
      const delay = delaysMs[stuck];
      if (delay === undefined) throw total > 1 ? gaveUp(error as SentimentBatchError, total, stuck + 1, ignoresRange === undefined ? undefined : { host: ignoresRange, most }) : error;
      stuck++;
      onRetry?.(file, (error as Error).message, stuck + 1, delaysMs.length + 1, delay, total + 1);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** The last failure, said with the tries it ended: the pull did not give up on the first. */
function gaveUp(error: SentimentBatchError, total: number, stuck: number, ignoring?: { host: string; most: number }): SentimentBatchError {
  const tries = stuck === total ? `after ${total} tries` : `after ${total} tries, the last ${stuck} without getting further`;
  const message = ignoring ? error.message.replace(/; run the same command again to resume$/, `; ${rangeIgnored(ignoring.host, ignoring.most)}`) : error.message;
  return new SentimentBatchError(error.code, `gave up ${tries}: ${message}`, { cause: error });
}

/** What a host that ignores Range does, and what helps when no try got past `most` bytes. */
function rangeIgnored(host: string, most: number): string {
  return (
    `${host} ignores HTTP Range (asked for the rest of the file, it sends it all again from its first byte) and no answer of it got past ${most} bytes: ` +
    'a cut download cannot be resumed from there, and running the same command again starts over the same way; fetch it through another network, ' +
    'proxy or mirror (HF_ENDPOINT), or pull on a machine that can and point --model-dir at a copy of the folder'
  );
}
