import { describe, expect, it } from 'vitest';
import { ScoringError } from '../src/errors.js';
import { CAPACITY_DOWN_AFTER, DOWN_AFTER, OutageHold, ROWS_WHILE_DOWN } from '../src/job/outage-hold.js';

const http500 = () => new ScoringError('retry', 'http_500', 'Workers AI failed', { status: 500 });
const http429 = () => new ScoringError('retry', 'capacity', 'Capacity temporarily exceeded', { status: 429, cfCode: 3040 });
const rateLimited = () => new ScoringError('retry', 'rate_limited', 'Workers AI per-minute request limit reached', { status: 429, cfCode: 3021 });
const refused = () => new ScoringError('row', 'bad_input', 'Bad input', { status: 400, cfCode: 5006 });
const noConnection = () => new ScoringError('retry', 'network', 'connect ECONNREFUSED 127.0.0.1:1');
const dropped = () => new ScoringError('retry', 'network', 'other side closed (UND_ERR_SOCKET)');

/** Starts `rows` rows and fails `failures` attempts in a row. */
function downWith(hold: OutageHold, rows: number, failures = DOWN_AFTER): void {
  for (let i = 0; i < rows; i++) expect(hold.start()).toBe(true);
  for (let i = 0; i < failures; i++) hold.attempted(http500());
}

describe('OutageHold', () => {
  it('starts every row while the service answers, however many are in progress', () => {
    const hold = new OutageHold();
    for (let i = 0; i < 500; i++) expect(hold.start()).toBe(true);
    for (let i = 0; i < DOWN_AFTER - 1; i++) hold.attempted(http500());
    expect(hold.down).toBe(false);
    expect(hold.start()).toBe(true);
  });

  it('attempts that made no connection never hold rows back (nothing was sent); connections dropped mid-request do', () => {
    const unreachable = new OutageHold();
    for (let i = 0; i < 20; i++) expect(unreachable.start()).toBe(true);
    for (let i = 0; i < 5 * DOWN_AFTER; i++) unreachable.attempted(noConnection());
    expect(unreachable.down).toBe(false);
    expect(unreachable.start()).toBe(true);
    const dropping = new OutageHold();
    for (let i = 0; i < DOWN_AFTER; i++) dropping.attempted(dropped());
    expect(dropping.down).toBe(true);
  });

  it(`after ${DOWN_AFTER} failed attempts in a row, holds new rows while ${ROWS_WHILE_DOWN} are in progress, and admits them first come first served as those end`, async () => {
    const hold = new OutageHold();
    downWith(hold, ROWS_WHILE_DOWN);
    expect(hold.down).toBe(true);
    expect(hold.holding).toBe(true);
    expect(hold.start()).toBe(false);
    const order: number[] = [];
    const signal = new AbortController().signal;
    const waits = [1, 2, 3].map((row) => hold.turn(signal, row).then(() => order.push(row)));
    expect(hold.waiting).toBe(3);
    hold.finish();
    await Promise.resolve();
    expect(order).toEqual([1]);
    // A row reaching its rate slot does not pass those waiting.
    expect(hold.start()).toBe(false);
    hold.finish();
    hold.finish();
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3]);
  });

  it('admits the earliest row waiting first, also one that came later (it gave its limiter turn up)', async () => {
    const hold = new OutageHold();
    downWith(hold, ROWS_WHILE_DOWN);
    const order: number[] = [];
    const signal = new AbortController().signal;
    const waits = [40, 41, 12, 42].map((row) => hold.turn(signal, row).then(() => order.push(row)));
    for (let i = 0; i < 4; i++) hold.finish();
    await Promise.all(waits);
    expect(order).toEqual([12, 40, 41, 42]);
  });

  it('an answer, even a refusal of the text, opens the hold for every row waiting', async () => {
    for (const answer of [undefined, refused()]) {
      const hold = new OutageHold();
      downWith(hold, ROWS_WHILE_DOWN);
      const signal = new AbortController().signal;
      const waits = Array.from({ length: 5 }, (_, row) => hold.turn(signal, row));
      hold.attempted(answer);
      await Promise.all(waits);
      expect(hold.down).toBe(false);
      expect(hold.start()).toBe(true);
    }
  });

  // A 429 code 3040 ("out of capacity") comes in short bursts on a healthy service (serve --capacity-burst-rate: 5 in
  // a row, two bursts back to back 1 time in 100 at a rate of 0.01): those are retried as before, no row held back. A
  // service out of capacity for every request answered 3040 at the job's full rate until the guard stopped it (998
  // requests for 59 failed rows, 17 a row, where a 500 outage costs 6.6): a long unbroken run of them is an outage.
  it(`a short burst of 429s neither holds nor opens; ${CAPACITY_DOWN_AFTER} code 3040 in a row with no answer between hold as an outage`, async () => {
    const hold = new OutageHold();
    downWith(hold, ROWS_WHILE_DOWN, DOWN_AFTER - 1);
    for (let i = 0; i < CAPACITY_DOWN_AFTER - 1; i++) hold.attempted(http429());
    expect(hold.down).toBe(false);
    hold.attempted(http500());
    expect(hold.down).toBe(true);
    hold.attempted(http429());
    expect(hold.down).toBe(true);

    const outOfCapacity = new OutageHold();
    for (let i = 0; i < ROWS_WHILE_DOWN; i++) expect(outOfCapacity.start()).toBe(true);
    for (let i = 0; i < CAPACITY_DOWN_AFTER - 1; i++) outOfCapacity.attempted(http429());
    // Any answer breaks the run: bursts apart never add up.
    outOfCapacity.attempted();
    for (let i = 0; i < CAPACITY_DOWN_AFTER - 1; i++) outOfCapacity.attempted(http429());
    expect(outOfCapacity.down).toBe(false);
    expect(outOfCapacity.start()).toBe(true);
    // 5xx between them do not break it (they are no answer), nor count in it.
    outOfCapacity.attempted(http500());
    outOfCapacity.attempted(http429());
    expect(outOfCapacity.down).toBe(true);
    expect(outOfCapacity.holding).toBe(true);
    expect(outOfCapacity.start()).toBe(false);
    const wait = outOfCapacity.turn(new AbortController().signal, 0);
    outOfCapacity.attempted();
    await wait;
    expect(outOfCapacity.down).toBe(false);
  });

  it('429s that say slow down (3021, no code) never hold, however many come in a row: the limiter slows down for them', () => {
    const hold = new OutageHold();
    for (let i = 0; i < 5 * CAPACITY_DOWN_AFTER; i++) hold.attempted(rateLimited());
    expect(hold.down).toBe(false);
  });

  it('a row waiting is dropped as interrupted when the run stops, and takes no place', async () => {
    const hold = new OutageHold();
    downWith(hold, ROWS_WHILE_DOWN);
    const stop = new AbortController();
    const wait = hold.turn(stop.signal, 0);
    stop.abort(new Error('stopping'));
    await expect(wait).rejects.toMatchObject({ code: 'interrupted' });
    expect(hold.waiting).toBe(0);
    await expect(hold.turn(stop.signal, 1)).rejects.toMatchObject({ code: 'interrupted' });
  });
});
