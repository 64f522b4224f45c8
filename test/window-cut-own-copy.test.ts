/**
 * fuzz34: the text fitToWindow cuts from a long one is kept past its row (the in-run dedupe's keys, the journal's
 * entries), and V8's slice of a long string is a view that keeps the whole string alive: each long text a run cut
 * stayed in memory to its end. A CSV export of 4 texts of 6.3 MB was killed by the OOM killer under a 128 MiB limit on
 * every fresh run (memory-room.ts bounds only the records read and not yet written). The cut text is a copy of its own.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { loadTokenizer } from '../src/tokenizer/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const used = (): number => {
  gc();
  return getHeapStatistics().used_heap_size;
};

it('keeps the cut text, not the long text it was cut from', () => {
  const tokenizer = loadTokenizer();
  const before = used();
  const kept: string[] = [];
  for (let i = 0; i < 8; i += 1) {
    // 4 MB each, built afresh (no shared parts): 32 MB in all if their cuts keep them
    const long = `review ${i} `.repeat(400_000) + String(i);
    const fit = tokenizer.fitToWindow(long);
    expect(fit.truncated).toBe(true);
    kept.push(fit.text);
  }
  const grown = used() - before;
  expect(kept.every((text) => text.length < 4000)).toBe(true);
  expect(grown).toBeLessThan(4 * 1024 * 1024);
});
