/**
 * One listener on a long-lived signal (the job's stop signal) that aborts any
 * number of short-lived child signals, one per row being sent.
 *
 * Without it every attempt in flight and every retry wait added its own
 * listener to the stop signal: with 48 requests in flight that is far more
 * than the 10 Node allows before it prints MaxListenersExceededWarning on
 * every Workers AI run. A child carries at most an attempt's and a wait's
 * listener, and is released when its row is done.
 */
export class AbortFanout {
  private readonly children = new Set<AbortController>();

  constructor(private readonly parent: AbortSignal) {
    parent.addEventListener('abort', () => {
      for (const child of this.children) child.abort(parent.reason);
      this.children.clear();
    }, { once: true });
  }

  /** A signal that aborts with the parent; `release` when the work it guards is done. */
  child(): { signal: AbortSignal; release: () => void } {
    const controller = new AbortController();
    if (this.parent.aborted) {
      controller.abort(this.parent.reason);
      return { signal: controller.signal, release: () => undefined };
    }
    this.children.add(controller);
    return { signal: controller.signal, release: () => this.children.delete(controller) };
  }

  /** Children not yet released (tests). */
  get size(): number {
    return this.children.size;
  }
}
