/**
 * The retry waits of a run's rows that the service's recovery ends early (remote-send.ts wakes them when the service
 * answers again after it looked down, outage-hold.ts).
 *
 * During an outage the rows in progress wait up to 60 s between attempts (a 503's `Retry-After: 300`, cut to a retry's
 * longest wait, retry.ts). Once the service answered again they slept on: the output, written in input order, stood
 * still for about 20 s while some 460 rows sent after them were answered and kept in memory (operator32, a 10 min
 * outage at --rpm 1200). Woken, a row's next attempt queues for the limiter at once, as any retry does: within --rpm,
 * and within its own --max-attempts, as the wait being cut adds no attempt.
 */
export class RetryWakes {
  /** The wake of each wait that may be cut short, until it ends, with its row's index. */
  private readonly sleeping = new Map<() => void, number>();

  /**
   * Waits `ms`; the wait of a row given by its index (`wakeIndex`) ends early at `wakeAll`. Rejects at once when
   * `signal` aborts (a stop ends every wait, wakeable or not). The global timer, so a fake clock (tests) runs it.
   */
  sleep(ms: number, signal: AbortSignal | undefined, wakeIndex?: number): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const end = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        this.sleeping.delete(wake);
      };
      const wake = (): void => {
        end();
        resolve();
      };
      const aborted = (): void => {
        end();
        reject(signal?.reason);
      };
      const timer = setTimeout(wake, ms);
      signal?.addEventListener('abort', aborted, { once: true });
      if (wakeIndex !== undefined) this.sleeping.set(wake, wakeIndex);
    });
  }

  /**
   * Ends every wakeable wait now, in input order: the retries queue for the limiter so, and the output, written in
   * input order, waits for the earliest row first. Returns how many there were.
   */
  wakeAll(): number {
    const woken = [...this.sleeping].sort(([, a], [, b]) => a - b);
    for (const [wake] of woken) wake();
    return woken.length;
  }
}
