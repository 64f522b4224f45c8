import { describe, expect, it } from 'vitest';
import { MachineFaultError, ScoringError } from '../src/errors.js';
import type { AnswerJournal } from '../src/journal/answer-journal.js';
import { RowScorer } from '../src/job/row-scorer.js';
import { StopController } from '../src/job/stop.js';
import { createLogger } from '../src/log.js';
import { RequestLimiter } from '../src/scoring/limiter.js';
import type { Scorer, Scores } from '../src/scoring/scorer.js';
import { emptyTotals } from '../src/state/totals.js';

const SCORES: Scores = { label: 'POSITIVE', positive: 0.9, negative: 0.1 };

/** A remote scorer that must not be called: every answer here comes from the journal. */
const remote: Scorer = {
  modelId: 'workers-ai:test',
  remote: true,
  score: () => Promise.reject(new Error('no request may be sent for a text the journal has')),
  close: () => Promise.resolve(),
} as unknown as Scorer;

describe('RowScorer with an answer journal', () => {
  it('uses a kept answer without sending, and writes it to the result cache', async () => {
    const puts: Array<[string, string, Scores]> = [];
    const cache = { get: () => undefined, put: (model: string, text: string, scores: Scores) => void puts.push([model, text, scores]) };
    // The run that received this answer was killed: its journal entry survived, its cache write did not.
    const journal = { keptFor: (text: string) => (text === 'great' ? { answer: { kind: 'scored', scores: SCORES }, index: 0 } : undefined), record: () => undefined } as unknown as AnswerJournal;
    const rows = new RowScorer({
      scorer: remote,
      retry: { maxAttempts: 1 },
      stop: new StopController(),
      totals: emptyTotals(),
      log: createLogger('silent'),
      longText: 'truncate',
      cache,
      journal,
    });
    const outcome = await rows.score('great', 0);
    expect(outcome).toMatchObject({ kind: 'scored', label: 'POSITIVE', positive: 0.9, cached: false });
    expect(puts).toEqual([['workers-ai:test', 'great', SCORES]]);
  });

  it('counts a row that takes the answer another row asked for as a duplicate, not as a row sent to the model', async () => {
    // Row 3 asked for 'great' and row 5 for 'awful' before a pause; row 3 was written, row 5 was not.
    const kept: Record<string, { answer: unknown; index: number }> = {
      great: { answer: { kind: 'scored', scores: SCORES }, index: 3 },
      awful: { answer: { kind: 'failed', failure: { code: 'bad_input', message: 'refused' } }, index: 5 },
    };
    const journal = { keptFor: (text: string) => kept[text], record: () => undefined } as unknown as AnswerJournal;
    const rows = new RowScorer({ scorer: remote, retry: { maxAttempts: 1 }, stop: new StopController(), totals: emptyTotals(), log: createLogger('silent'), longText: 'truncate', journal });
    // The row that asked gets its own answer: it reached the model (in an earlier run, hence `earlier`, counted when written).
    expect(await rows.score('awful', 5)).toEqual({ kind: 'failed', failure: { code: 'bad_input', message: 'refused' }, earlier: true });
    // A later row repeating a text an earlier run asked for (and wrote) sent nothing: a duplicate, scored or failed.
    expect(await rows.score('great', 140)).toMatchObject({ kind: 'scored', cached: false, duplicate: true });
    expect(await rows.score('awful', 141)).toMatchObject({ kind: 'failed', duplicate: true });
  });
});

describe('RowScorer when the machine refuses the answer journal', () => {
  it('a full disk writing the journal stops the run as a machine fault (exit 74), not as an unexpected error (exit 1)', async () => {
    // A mend (or a run) whose disk filled up as the journal kept an answer ended exit 1 "unexpected error while
    // scoring: Error: ENOSPC: no space left on device, write": alerted as a bug, naming no file, saying nothing to do.
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write', path: '/data/out.csv.journal' });
    const journal = { keptFor: () => undefined, record: () => { throw full; } } as unknown as AnswerJournal;
    const answering = { ...remote, score: () => Promise.resolve(SCORES) } as unknown as Scorer;
    const stop = new StopController();
    const limiter = new RequestLimiter({ rpm: 60_000, concurrency: 4 });
    const rows = new RowScorer({ scorer: answering, limiter, retry: { maxAttempts: 1 }, stop, totals: emptyTotals(), log: createLogger('silent'), longText: 'truncate', journal });
    try {
      expect(await rows.score('great', 0)).toMatchObject({ kind: 'abandoned' });
    } finally {
      await limiter.stop();
    }
    // A fault, not a fatal answer: the other requests in flight get --grace rather than being aborted uncounted-for.
    expect(stop.reason).toMatchObject({ kind: 'fault' });
    const error = (stop.reason as { error: unknown }).error;
    expect(error).toBeInstanceOf(MachineFaultError);
    expect(error).toMatchObject({ exitCode: 74, message: expect.stringMatching(/^no space left on the device holding \/data\/out\.csv\.journal: /) });
  });

  it('a full disk writing a refusal to the journal stops the run the same way, instead of a rejection that crashed the process', async () => {
    // A row the service refused for its text (400, code 5006) is an answer the journal keeps too. That write, refused
    // by a full disk, escaped the scorer as a rejection nothing handled: Node printed the ENOSPC stack and exited 1,
    // with no summary and no --summary-json ('score long.csv -o mnt/out.csv' on a full 1 MiB tmpfs, every row 400).
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write', path: '/data/out.csv.journal' });
    const journal = { keptFor: () => undefined, record: () => { throw full; } } as unknown as AnswerJournal;
    const refusing = { ...remote, score: () => Promise.reject(new ScoringError('row', 'bad_input', 'AiError: Bad input', { status: 400, cfCode: 5006 })) } as unknown as Scorer;
    const stop = new StopController();
    const limiter = new RequestLimiter({ rpm: 60_000, concurrency: 4 });
    const rows = new RowScorer({ scorer: refusing, limiter, retry: { maxAttempts: 1 }, stop, totals: emptyTotals(), log: createLogger('silent'), longText: 'truncate', journal });
    try {
      expect(await rows.score('great', 0)).toMatchObject({ kind: 'abandoned' });
    } finally {
      await limiter.stop();
    }
    expect(stop.reason).toMatchObject({ kind: 'fault' });
    const error = (stop.reason as { error: unknown }).error;
    expect(error).toBeInstanceOf(MachineFaultError);
    expect(error).toMatchObject({ exitCode: 74, message: expect.stringMatching(/^no space left on the device holding \/data\/out\.csv\.journal: /) });
  });

  it('leaves the other requests in flight their grace: aborted at once, one not yet sent was counted all the same', async () => {
    // A mend's full disk: the service received 28 requests, its summary counted 29 (the journal's fault stopped the run
    // as a fatal answer does, aborting at once a request counted but not yet on the wire).
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write', path: '/data/out.csv.journal' });
    const journal = { keptFor: () => undefined, record: (text: string) => { if (text === 'first') throw full; } } as unknown as AnswerJournal;
    const outcomes: string[] = [];
    // 'first' answers once 'second' is in flight, not after a fixed 5 ms: at load average 15 the limiter had not yet
    // let 'second' through when 'first' answered, and a run stopped before a request leaves sends none (a flaky failure).
    let secondInFlight!: () => void;
    const secondSent = new Promise<void>((resolve) => (secondInFlight = resolve));
    const answering = {
      ...remote,
      score: (text: string, options: { signal?: AbortSignal } = {}) =>
        new Promise((resolve, reject) => {
          let timer: NodeJS.Timeout | undefined;
          const answer = () => { outcomes.push(`${text} answered`); resolve(SCORES); };
          if (text === 'first') void secondSent.then(() => (timer = setTimeout(answer, 5)));
          else {
            secondInFlight();
            timer = setTimeout(answer, 100);
          }
          options.signal?.addEventListener('abort', () => { clearTimeout(timer); outcomes.push(`${text} aborted`); reject(new Error('aborted')); }, { once: true });
        }),
    } as unknown as Scorer;
    const stop = new StopController();
    const limiter = new RequestLimiter({ rpm: 60_000, concurrency: 4 });
    const totals = emptyTotals();
    const rows = new RowScorer({ scorer: answering, limiter, retry: { maxAttempts: 1 }, stop, totals, log: createLogger('silent'), longText: 'truncate', journal });
    try {
      await Promise.all([rows.score('first', 0), rows.score('second', 1)]);
    } finally {
      await limiter.stop();
    }
    expect(stop.requested).toBe(true);
    expect(outcomes).toEqual(['first answered', 'second answered']);
    expect(totals.requests).toBe(2);
  });
});
