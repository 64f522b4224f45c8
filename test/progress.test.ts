import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../src/log.js';
import { startProgress } from '../src/job/progress.js';
import { emptyTotals } from '../src/state/totals.js';

/** A terminal that keeps what was drawn. */
function fakeTerminal(): NodeJS.WriteStream & { drawn: string[] } {
  const drawn: string[] = [];
  return { isTTY: true, drawn, write: (text: string) => drawn.push(text) > 0 } as unknown as NodeJS.WriteStream & { drawn: string[] };
}

describe('the progress line', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('keeps its rate and ETA while the head row waits: they follow the rows answered, not the rows written', () => {
    const totals = emptyTotals();
    const stream = fakeTerminal();
    let offset = 0;
    let answered = 0;
    const stop = startProgress({ mode: 'on', log: createLogger('silent'), totals, offset: () => offset, inputSize: 100_000, completed: () => answered, remote: true, stream });
    // 10 s in: 10 rows of 100 bytes written, then row 10 waits for a retry while 990 rows behind it are answered.
    totals.read = 10;
    offset = 1000;
    answered = 1000;
    totals.retries = 3;
    totals.rateLimited = 2;
    vi.advanceTimersByTime(10_000);
    stop();
    const line = stream.drawn.filter((text) => text.includes('rows/s')).at(-1) ?? '';
    // 1,000 answered in 10 s: 100 rows/s; 990 rows of 100 bytes left: about 10 s (the written rows alone said 1 row/s and 16 min).
    expect(line).toContain('10 rows 1% ETA 10 s · 100 rows/s · 0 failed · 0 requests · 3 retries · 2 × 429');
  });

  it('shows no requests, retries or 429s for the embedded model', () => {
    const totals = emptyTotals();
    const stream = fakeTerminal();
    const stop = startProgress({ mode: 'on', log: createLogger('silent'), totals, offset: () => 0, inputSize: undefined, stream });
    totals.read = 5;
    vi.advanceTimersByTime(1000);
    stop();
    expect(stream.drawn.join('')).toMatch(/5 rows · 5\.0 rows\/s · 0 failed(?! ·)/);
  });
});
