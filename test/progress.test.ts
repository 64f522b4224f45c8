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

  it('leaves store hits answered before the first request out of the ETA: it follows the requests left', () => {
    const totals = emptyTotals();
    const stream = fakeTerminal();
    let offset = 0;
    let answered = 0;
    let firstCostly: { at: number; completed: number } | undefined;
    const stop = startProgress({
      mode: 'on',
      log: createLogger('silent'),
      totals,
      offset: () => offset,
      inputSize: 3_000_000,
      completed: () => answered,
      firstCostly: () => firstCostly,
      remote: true,
      stream,
    });
    // 30,000 rows of 100 bytes: 29,000 answered from the store in the first 2 s, the first request answered then,
    // and 36 rows a second by request after it: at 10 s, 29,288 rows written and 712 left, about 20 s.
    vi.advanceTimersByTime(2_000);
    answered = 29_000;
    firstCostly = { at: performance.now(), completed: 29_000 };
    vi.advanceTimersByTime(8_000);
    answered = 29_288;
    totals.read = 29_288;
    offset = 29_288 * 100;
    vi.advanceTimersByTime(500);
    stop();
    const line = stream.drawn.filter((text) => text.includes('rows/s')).at(-1) ?? '';
    // 288 rows in 8.5 s since the first request: 712 left take 21 s (the whole pass's 2,755 rows/s said 0 s).
    expect(line).toContain('29,288 rows 97.6% ETA 21 s');
  });

  // The wall clock stepped 3 h forward mid-run (faketime against `serve`, 2,000 rows in 40 s): the line said 0 rows/s and
  // an ETA of 9 h 42 min; set back, no rate at all. The rate is of elapsed time, which a clock step does not change.
  it('keeps its rate and ETA when the wall clock is stepped forward mid-run', () => {
    const totals = emptyTotals();
    const stream = fakeTerminal();
    let offset = 0;
    const stop = startProgress({ mode: 'on', log: createLogger('silent'), totals, offset: () => offset, inputSize: 200_000, remote: true, stream });
    vi.advanceTimersByTime(5_000);
    vi.setSystemTime(Date.now() + 3 * 3_600_000);
    totals.read = 500;
    offset = 50_000;
    vi.advanceTimersByTime(5_000);
    stop();
    const line = stream.drawn.filter((text) => text.includes('rows/s')).at(-1) ?? '';
    // 500 rows of 100 bytes in 10 s: 50 rows/s, 1,500 rows left: 30 s.
    expect(line).toContain('500 rows 25% ETA 30 s · 50 rows/s');
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

  /** The last progress line drawn 10 s into a run that has read 500 rows of 100 bytes (50 rows/s) of `inputSize` bytes. */
  function lineAfter10s({ inputSize, limit }: { inputSize: number; limit: number }): string {
    const totals = emptyTotals();
    const stream = fakeTerminal();
    let offset = 0;
    const stop = startProgress({ mode: 'on', log: createLogger('silent'), totals, offset: () => offset, inputSize, limit, remote: true, stream });
    totals.read = 500;
    offset = 50_000;
    vi.advanceTimersByTime(10_000);
    stop();
    return stream.drawn.filter((text) => text.includes('rows/s')).at(-1) ?? '';
  }

  // `--limit 1000` on a 50,000-row export said `"percent":1.3,"etaSeconds":702` at row 712, four seconds before the run
  // ended: the share and the ETA were of the whole file, not of the rows the run was asked to score.
  it('under --limit, counts the share and the ETA against the rows asked for, not the whole file', () => {
    // 500 read of the 1,000 asked for, 50 rows/s: 500 left, 10 s.
    expect(lineAfter10s({ inputSize: 5_000_000, limit: 1000 })).toContain('500 rows 50% ETA 10 s · 50 rows/s');
  });

  it('under --limit over the rows the file has, still ends with the file', () => {
    // 1,000 rows of 100 bytes in the file: 500 left in it: 50%, 10 s.
    expect(lineAfter10s({ inputSize: 100_000, limit: 1_000_000 })).toContain('500 rows 50% ETA 10 s · 50 rows/s');
  });
});

