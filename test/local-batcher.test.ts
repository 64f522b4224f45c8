import { describe, expect, it } from 'vitest';
import { Batcher, type BatchRunner } from '../src/scoring/local/batcher.js';
import type { Logits } from '../src/scoring/local/worker-pool.js';

/** One worker; each batch answers, per row, [its unpadded length, its first id]. */
class FakePool implements BatchRunner {
  idle = 1;
  readonly batches: Array<{ rows: number; sequence: number; lengths: number[] }> = [];

  async run(batch: number, sequence: number, inputIds: BigInt64Array, mask: BigInt64Array): Promise<Logits> {
    this.idle -= 1;
    const lengths = Array.from({ length: batch }, (_, r) => mask.subarray(r * sequence, (r + 1) * sequence).reduce((s, m) => s + Number(m), 0));
    this.batches.push({ rows: batch, sequence, lengths });
    await new Promise((r) => setTimeout(r, 1));
    this.idle += 1;
    const data = new Float32Array(batch * 2);
    for (let r = 0; r < batch; r++) {
      data[r * 2] = lengths[r] as number;
      data[r * 2 + 1] = Number(inputIds[r * sequence]);
    }
    return { data, labels: 2 };
  }
}

describe('Batcher', () => {
  it('groups waiting texts by length, within the limits, and answers each text with its own row', async () => {
    const pool = new FakePool();
    const batcher = new Batcher(pool, { maxTexts: 8, maxTokens: 1200 });
    // Alternating short and long texts, each starting with a distinct id.
    const texts = Array.from({ length: 64 }, (_, i) => Array.from({ length: i % 2 === 0 ? 5 + (i % 7) : 290 + (i % 11) }, (_, k) => (k === 0 ? 1000 + i : 7)));
    const answers = await Promise.all(texts.map((ids) => batcher.submit(ids)));
    answers.forEach((logits, i) => expect([...logits]).toEqual([texts[i]?.length, 1000 + i]));
    expect(pool.batches.reduce((s, b) => s + b.rows, 0)).toBe(64);
    for (const batch of pool.batches) {
      expect(batch.rows).toBeLessThanOrEqual(8);
      expect(batch.rows === 1 || batch.rows * batch.sequence <= 1200).toBe(true);
      // Never a short text padded to a long one's length.
      expect(Math.max(...batch.lengths) - Math.min(...batch.lengths)).toBeLessThanOrEqual(10);
    }
    // The long texts went 4 at a time (4 × ~300 tokens ≤ 1200), the short ones 8 at a time.
    expect(Math.max(...pool.batches.filter((b) => b.sequence < 20).map((b) => b.rows))).toBe(8);
    expect(Math.max(...pool.batches.filter((b) => b.sequence > 200).map((b) => b.rows))).toBe(4);
  });

  it('sends the oldest waiting text in the next batch', async () => {
    const pool = new FakePool();
    const batcher = new Batcher(pool, { maxTexts: 2, maxTokens: 10_000 });
    const first = batcher.submit([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const rest = Array.from({ length: 6 }, (_, i) => batcher.submit([50 + i, 2]));
    await first;
    // The long text was first in, so it was in the first batch although all others are shorter.
    expect(pool.batches[0]?.lengths).toContain(9);
    await Promise.all(rest);
  });
});
