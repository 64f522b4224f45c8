/**
 * Taking a start slot from the Redis-shared bottleneck, in a way a job can
 * always get out of: waiting for a slot can be abandoned (Redis gone for too
 * long, limiter stopped), and a task's result is handed over as soon as the
 * task settles, without waiting for bottleneck to report the job done to Redis.
 */
import Bottleneck from 'bottleneck';
import { ConfigError, SentimentBatchError, errorMessage } from '../errors.js';
import { passwordRefusal } from './redis-password.js';

export class SharedSlots {
  private failure: SentimentBatchError | undefined;
  private readonly waiting = new Set<(error: SentimentBatchError) => void>();

  /**
   * @param shared the Redis-backed limiter (minTime spacing shared by every process of the group)
   * @param expirationMs registered in Redis with every job: a job of a crashed process stops counting as running after it
   * @param where the redacted Redis URL, for messages
   */
  constructor(
    private readonly shared: Bottleneck,
    private readonly expirationMs: number,
    private readonly where: string,
  ) {}

  /** Jobs waiting for their slot (not yet started). */
  get waitingCount(): number {
    return this.waiting.size;
  }

  /**
   * Runs `task` at its slot. Rejects without running it when the slots fail
   * first (`fail`), or when bottleneck refuses the job.
   */
  run<T>(task: () => PromiseLike<T> | T): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const abandon = (error: SentimentBatchError): void => {
        if (settled) return;
        settled = true;
        reject(error);
      };
      this.waiting.add(abandon);
      this.shared
        .schedule({ expiration: this.expirationMs }, async () => {
          this.waiting.delete(abandon);
          // Abandoned while waiting: the slot goes unused and nothing is sent.
          if (settled) return;
          settled = true;
          try {
            resolve(await task());
          } catch (error) {
            reject(error);
          }
        })
        .catch((error: unknown) => {
          // After the task has run, bottleneck's own verdict (e.g. the job's
          // expiration firing under a slow request) is bookkeeping only.
          this.waiting.delete(abandon);
          abandon(this.translate(error));
        });
    });
  }

  /** Every waiting job and every later `run` rejects with `error`. Tasks already started finish normally. */
  fail(error: SentimentBatchError): void {
    this.failure ??= error;
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const abandon of waiting) abandon(this.failure);
  }

  private translate(error: unknown): SentimentBatchError {
    if (error instanceof SentimentBatchError) return error;
    if (error instanceof Bottleneck.BottleneckError) {
      // Dropped because the limiter is stopping: the row is abandoned and scored by the next run.
      return new SentimentBatchError('interrupted', `stopping: ${error.message}`, { cause: error });
    }
    // Redis's replies end with their own full stop ("NOAUTH Authentication required."): one, not two.
    const message = errorMessage(error).replace(/\.+$/, '');
    // A Redis restarted mid-run with a password (or another one): its replies say so, and the advice is the URL's password.
    const advice = passwordRefusal(message)
      ? 'Redis asks for another password than the Redis URL gives (it was restarted or reconfigured with one): ' +
        'fix the password in the Redis URL (--redis, REDIS_URL or the job file\'s "redis"), then run the same command again.'
      : 'Check that the server is a writable Redis primary with scripting enabled (not a replica, not out of memory), or run without the Redis URL.';
    return new ConfigError(`the shared rate limit in Redis (${this.where}) failed: ${message}. ${advice}`, { cause: error });
  }
}
