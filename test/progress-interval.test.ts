import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseJobFlags, readJobFile } from '../src/config/resolve.js';
import { DEFAULTS } from '../src/config/options.js';
import { startProgress } from '../src/job/progress.js';
import { emptyTotals } from '../src/state/totals.js';
import { tempDir } from './support/cli.js';
import { captureLog } from './support/capture-log.js';

/**
 * Off a terminal the progress is a log line every 5 s, and the only choice was all of them or none (--progress off):
 * a nightly job read in a log collector got 720 lines an hour. --progress-interval paces them (at least 1 s apart).
 */
describe('--progress-interval: how often a progress log line is written off a terminal', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('takes a duration of 1s or more, as a flag and as a job file\'s "progressInterval"; 5s by default', () => {
    expect(DEFAULTS.progressIntervalMs).toBe(5000);
    expect(parseJobFlags(['--progress-interval', '1m']).flags.progressIntervalMs).toBe(60_000);
    expect(parseJobFlags(['--progress-interval', '1s']).flags.progressIntervalMs).toBe(1000);
    expect(() => parseJobFlags(['--progress-interval', '500ms'])).toThrow(
      "--progress-interval expects a duration of at least 1s (a log line more often than that floods the log; a terminal's line is redrawn every 500ms whatever it says), got '500ms'",
    );
    expect(() => parseJobFlags(['--progress-interval', '60'])).toThrow('--progress-interval expects a duration, a number with a unit');
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'x.csv', progressInterval: '30s' }));
    expect(readJobFile(job).progressIntervalMs).toBe(30_000);
  });
});

describe('the progress ticker paced by --progress-interval', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('off a terminal, one progress line a minute under 1m', () => {
    const { log, lines } = captureLog();
    const notTerminal = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;
    const totals = emptyTotals();
    const stop = startProgress({ mode: 'auto', log, totals, offset: () => 0, inputSize: undefined, stream: notTerminal, logEveryMs: 60_000 });
    const progress = () => lines().filter((line) => line.msg === 'progress').length;
    vi.advanceTimersByTime(59_999);
    expect(progress()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(progress()).toBe(1);
    vi.advanceTimersByTime(120_000);
    stop();
    expect(progress()).toBe(3);
  });

  it('on a terminal, the line is still redrawn every 500 ms', () => {
    const drawn: string[] = [];
    const terminal = { isTTY: true, write: (text: string) => drawn.push(text) > 0 } as unknown as NodeJS.WriteStream;
    const { log } = captureLog();
    const stop = startProgress({ mode: 'auto', log, totals: emptyTotals(), offset: () => 0, inputSize: undefined, stream: terminal, logEveryMs: 60_000 });
    vi.advanceTimersByTime(2_000);
    stop();
    expect(drawn.filter((text) => text.includes('rows/s'))).toHaveLength(4);
  });
});
