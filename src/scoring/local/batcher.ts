/**
 * Groups texts waiting to be scored into batches of similar token length (so
 * padding is small) and hands them to idle workers. The oldest waiting text
 * always rides in the next batch, so the pipeline's in-order writer is never
 * starved; memory is bounded by the pipeline's window of rows in flight.
 */
import type { Logits } from './worker-pool.js';

/** What the batcher needs of the worker pool. */
export interface BatchRunner {
  readonly idle: number;
  run(batch: number, sequence: number, inputIds: BigInt64Array, attentionMask: BigInt64Array): Promise<Logits>;
}

export interface BatchLimits {
  /** Texts per batch. */
  maxTexts: number;
  /** Padded tokens per batch (texts × longest), so long texts go in smaller batches. */
  maxTokens: number;
}

interface Waiting {
  order: number;
  ids: number[];
  resolve: (logits: Float32Array) => void;
  reject: (error: unknown) => void;
}

export class Batcher {
  private pending: Waiting[] = [];
  private order = 0;
  private scheduled = false;

  constructor(
    private readonly pool: BatchRunner,
    private readonly limits: BatchLimits,
  ) {}

  /** Resolves with the text's row of logits. */
  submit(ids: number[]): Promise<Float32Array> {
    return new Promise((resolve, reject) => {
      this.pending.push({ order: this.order++, ids, resolve, reject });
      this.schedule();
    });
  }

  // Dispatch on the next turn of the event loop: texts arriving together are grouped together.
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.pending.length > 0 && this.pool.idle > 0) {
      const batch = this.takeBatch();
      void this.send(batch);
    }
  }

  /** The oldest text and its neighbours by length, within the limits. */
  private takeBatch(): Waiting[] {
    const byLength = [...this.pending].sort((a, b) => a.ids.length - b.ids.length || a.order - b.order);
    const oldest = this.pending[0] as Waiting;
    const at = byLength.indexOf(oldest);
    let start = Math.max(0, Math.min(at - (this.limits.maxTexts >> 1), byLength.length - this.limits.maxTexts));
    let end = Math.min(byLength.length, start + this.limits.maxTexts);
    // Shrink from the side away from the oldest text until the padded size fits.
    while (end - start > 1 && (end - start) * (byLength[end - 1] as Waiting).ids.length > this.limits.maxTokens) {
      if (end - 1 > at) end -= 1;
      else start += 1;
    }
    const batch = byLength.slice(start, end);
    const taken = new Set(batch);
    this.pending = this.pending.filter((item) => !taken.has(item));
    return batch;
  }

  private async send(batch: Waiting[]): Promise<void> {
    const sequence = Math.max(...batch.map((item) => item.ids.length));
    const inputIds = new BigInt64Array(batch.length * sequence);
    const attentionMask = new BigInt64Array(batch.length * sequence);
    batch.forEach((item, row) => {
      for (let i = 0; i < item.ids.length; i++) {
        inputIds[row * sequence + i] = BigInt(item.ids[i] as number);
        attentionMask[row * sequence + i] = 1n;
      }
    });
    let logits: Logits;
    try {
      logits = await this.pool.run(batch.length, sequence, inputIds, attentionMask);
    } catch (error) {
      for (const item of batch) item.reject(error);
      this.schedule();
      return;
    }
    batch.forEach((item, row) => item.resolve(logits.data.slice(row * logits.labels, (row + 1) * logits.labels)));
    this.schedule();
  }
}
