import { ScoringError, SentimentBatchError, errorMessage } from '../errors.js';
import type { RequestLimiter } from '../scoring/limiter.js';
import { withRetries } from '../scoring/retry.js';
import { NOT_ADMITTED } from '../scoring/not-admitted.js';
import { neuronsFor, roundNeurons } from '../scoring/pricing.js';
import type { Scores } from '../scoring/scorer.js';
import { AbortFanout } from './abort-fanout.js';
import { cutOffBy, neverSent, REFUSED_CONNECTION, REFUSED_TOKEN, RunBudget, surelyNotBilled, type NeuronReservation } from './run-budget.js';
import type { RowResult } from './dedupe.js';
import { CAPACITY_DOWN_AFTER, DOWN_AFTER, isAnswer, OutageHold, ROWS_WHILE_DOWN } from './outage-hold.js';
import { failureOutcome, scoredOutcome } from './row-outcome.js';
import { RetryWakes } from './retry-wakes.js';
import { formatSeconds } from '../wording/seconds.js';
import type { RowScorerOptions } from './row-scorer.js';

/** A Retry-After hold from this long on is said at warn: a shorter one is a storm's routine, said by the 429s count. */
const HOLD_SAID_FROM_MS = 10_000;

/**
 * Sends a row's text to the service (row-scorer.ts decides that it must): through the limiter, with retries, within
 * the run's budgets, held back while the service looks down (outage-hold.ts), every request counted in the totals as
 * it leaves; the answer, or a refusal of the text, journaled and cached.
 */
export class RemoteSender {
  /** What this run has spent, against its budgets. */
  private readonly budget: RunBudget;
  /** Rows watch their own children of the stop signals (in flight, waiting), not the stop signals themselves. */
  private readonly aborts: AbortFanout;
  private readonly waitAborts: AbortFanout;
  /** New rows wait while the service looks down (outage-hold.ts). */
  private readonly hold = new OutageHold();
  /** The rows' retry waits for a failure of the outage's kind: ended when the service answers again (attempted). */
  private readonly retryWakes = new RetryWakes();
  /** The last attempt's failure while the service looks down: a budget spent on it says so (run-budget.ts spentOn). */
  private lastOutageError: unknown;
  /** Attempts sent so far: which were sent after a line was said (sayShortenedWait). */
  private attemptsSent = 0;
  /**
   * When a Retry-After cut to a retry's longest wait was said (sayShortenedWait), the attempts sent by then; undefined
   * once an attempt sent after it is answered: the outage is over, and the next one is said again.
   */
  private shortenedWaitSaidAfter: number | undefined;
  /** Attempts in a row answered whole with what is not the model's answer (answer.ts): the hold's warning says so. */
  private foreignInARow = 0;
  /**
   * Whether the service answered a request of this run: a refused token then may have been revoked during it
   * (cutOffBy REFUSED_TOKEN). The run's, not this scorer's: a mend's own said none of a run whose pass had 2 answers, and
   * released as surely refused the request it had in flight, which the pass keeps as maybe billed.
   */
  private readonly answered: { any: boolean };

  constructor(
    private readonly options: RowScorerOptions,
    /** The key the answers are filed under (answerKeyOf). */
    private readonly modelId: string,
  ) {
    this.answered = options.runAnswered ?? { any: false };
    const limits = { maxRequests: options.maxRequests, maxNeurons: options.maxNeurons, names: options.budgetNames };
    this.budget = new RunBudget(limits, options.stop, options.budgetSpent, () => this.outageSpentOn());
    this.aborts = new AbortFanout(options.stop.signal);
    this.waitAborts = new AbortFanout(options.stop.waitingSignal);
  }

  async send(text: string, truncated: boolean, tokens: number, index: number): Promise<RowResult> {
    const { scorer, limiter, stop, totals, retry, journal } = this.options;
    // Per-row children of the stop signals: one listener each on the long-lived signals, however many rows wait.
    const inFlight = this.aborts.child();
    const waiting = this.waitAborts.child();
    // Counted in progress by the outage hold from its first attempt until its outcome is known.
    let admitted = false;
    const attemptOnce = async (retry: boolean): Promise<Scores> => {
      if (stop.requested) throw new SentimentBatchError('interrupted', 'stopping');
      const reservation = await this.chargeBudget(tokens, retry);
      // Only the request itself may run on after a stop (up to --grace): its answer is paid for.
      const sentAs = ++this.attemptsSent;
      try {
        const answer = await scorer.score(text, { signal: inFlight.signal });
        reservation.keep();
        this.answered.any = true;
        // Answered though sent after the cut wait was said: the service answers again (not a row in flight beside it).
        if (this.shortenedWaitSaidAfter !== undefined && sentAs > this.shortenedWaitSaidAfter) this.shortenedWaitSaidAfter = undefined;
        this.attempted();
        return answer;
      } catch (error) {
        this.attempted(error);
        // Every 429 answer counts, not only those retried: the last attempt's and a pausing 4006 showed as "429s 0".
        if (error instanceof ScoringError && error.status === 429) totals.rateLimited += 1;
        // An attempt never sent (no connection, or one cut off by a stop for a failure every request would meet before
        // it is written) counts nowhere; one the service refused is not billed: its neurons go back to the budget.
        if (neverSent(error) || cutOffBy(stop, this.answered.any, REFUSED_CONNECTION)) reservation.unsent();
        else if (surelyNotBilled(error) || cutOffBy(stop, this.answered.any, REFUSED_TOKEN)) reservation.release();
        else reservation.keep();
        throw error;
      }
    };
    /** The first attempt waits while the outage hold holds new rows back, then queues ahead of the rows read after it. */
    const firstAttempt = async (): Promise<Scores> => {
      for (let heldBack = false; ; heldBack = true) {
        if (this.hold.holding) {
          await this.hold.turn(waiting.signal, index);
          admitted = true;
        }
        const admit = (): boolean => admitted || (admitted = this.hold.start());
        const answer = await (limiter as RequestLimiter).scheduleIf(admit, () => attemptOnce(false), waiting.signal, { ahead: heldBack });
        if (answer !== NOT_ADMITTED) return answer;
      }
    };
    /**
     * Set when the limiter holds the job for a Retry-After: the retry then queues at once, ahead, and the hold keeps it
     * until the wait is over. Sleeping the same wait on its own timer left its turn to a race with the hold's end,
     * which rows queued meanwhile won.
     */
    let heldByLimiter = false;
    /**
     * Whether the coming retry wait ends when the service answers again after it looked down: not after a 429 that asks
     * this job to slow down (3021, or no code): that wait is the rate the service asked for, kept as the docs promise
     * (docs/workers-ai.md; with a Retry-After the limiter holds the whole job instead, and nothing here cuts that).
     */
    let wakeable = false;
    try {
      const scores = await withRetries(
        (attempt) => (attempt === 1 ? firstAttempt() : (limiter as RequestLimiter).schedule(() => attemptOnce(true), waiting.signal, { ahead: true })),
        retry,
        {
          // A stop ends backoff and Retry-After waits at once: the next run scores those rows.
          signal: waiting.signal,
          sleep: (ms, signal) => (heldByLimiter ? Promise.resolve() : this.retryWakes.sleep(ms, signal, wakeable ? index : undefined)),
          onRetry: (error, _attempt, delayMs) => {
            heldByLimiter = false;
            wakeable = error.rowCode !== 'rate_limited';
            if (error.rowCode === 'rate_limited') {
              limiter?.slowDown();
              // The wait the service asked for (capped as the retry's is), for every request of the job. One of 0 (or an
              // HTTP date already past) asks for none: the row is backed off as without one (retry.ts), and so is the job.
              if (error.retryAfterMs !== undefined && error.retryAfterMs > 0 && limiter) {
                // Nothing goes out for up to a minute at a time: said once per hold, else a nightly log (--progress
                // off) stayed silent for minutes, a request a minute, against a Retry-After of up to 15 min.
                if (delayMs >= HOLD_SAID_FROM_MS && !limiter.held) {
                  const asked = formatSeconds(error.retryAfterMs / 1000);
                  const held = formatSeconds(delayMs / 1000);
                  this.options.log.warn(
                    { status: error.status, code: error.cfCode, retryAfterSeconds: Math.round(error.retryAfterMs / 1000), holdSeconds: Math.round(delayMs / 1000) },
                    `the service rate-limited this job (HTTP ${error.status ?? 429}${error.cfCode !== undefined ? `, code ${error.cfCode}` : ''}) and asks to wait ${asked} (Retry-After): ` +
                      `no request is sent for ${held}${delayMs < error.retryAfterMs ? ', the longest a run waits at once,' : ''} then the refused row is tried again`,
                  );
                }
                limiter.holdFor(delayMs);
                heldByLimiter = true;
              }
            } else this.sayShortenedWait(error, delayMs, retry.maxAttempts);
            this.options.onRetry?.(error);
            this.options.log.debug({ code: error.rowCode, status: error.status }, 'retrying');
          },
        },
      );
      this.options.onAnswered?.(tokens);
      journal?.record(text, index, { kind: 'scored', scores });
      this.options.cache?.put(this.modelId, text, scores);
      return scoredOutcome(scores, truncated, false);
    } catch (error) {
      const outcome = failureOutcome(error, this.options.stop);
      // A refusal for the text's content is an answer too; a transient failure is tried again next run.
      if (outcome.kind !== 'failed' || outcome.failure.transient) return outcome;
      try {
        journal?.record(text, index, { kind: 'failed', failure: outcome.failure });
      } catch (recordError) {
        // Refused by the machine (a full disk) as an answer's record above is: the same stop, not a rejection that
        // nothing handles (Node's stack trace, exit 1, no summary).
        return failureOutcome(recordError, this.options.stop);
      }
      return outcome;
    } finally {
      if (admitted) this.hold.finish();
      inFlight.release();
      waiting.release();
    }
  }

  /**
   * A Retry-After longer than a retry waits (60 s, the official client's bound: docs/workers-ai.md) and no longer than
   * the 15 min a run retries through (retry.ts), on an answer that holds no job (a 503, a 3040; a 3021's hold says its
   * own line): the row is tried again before the service asked. Said at warn, so that a log read the next morning
   * names the wait asked and why the rows did not keep it: a 600 s one from a proxy was retried each minute, for 10 min,
   * named nowhere (operator30). Once an outage: the rows refused with it say nothing more; a refusal after the service
   * answered a request sent since is another outage, said again (once a run left a second one, hours later, unsaid).
   */
  private sayShortenedWait(error: ScoringError, delayMs: number, maxAttempts: number): void {
    if (this.shortenedWaitSaidAfter !== undefined || error.retryAfterMs === undefined || !(error.retryAfterMs > delayMs)) return;
    this.shortenedWaitSaidAfter = this.attemptsSent;
    this.options.log.warn(
      { status: error.status, code: error.cfCode, retryAfterSeconds: Math.round(error.retryAfterMs / 1000), retrySeconds: Math.round(delayMs / 1000) },
      `Workers AI asks to wait ${formatSeconds(error.retryAfterMs / 1000)} before the next request (Retry-After): a retry waits at most ` +
        `${formatSeconds(delayMs / 1000)} (as Cloudflare's own client does), so the rows refused are tried again before then, each up to ` +
        `${maxAttempts} attempts in all; a row still refused fails, and the next run sends it again. It answered: ${error.message}`,
    );
  }

  /**
   * Tells the outage hold an attempt's outcome, and the operator when it starts or stops holding rows back: the
   * progress line shows only "0 rows" and a slow trickle of requests while it holds, which reads as a hang.
   */
  private attempted(error?: unknown): void {
    const wasDown = this.hold.down;
    // The rows in progress waited up to 60 s between attempts: sleeping on after the service answered again, they held
    // the output (written in input order) while the rows sent after them were answered. Woken before the hold lets the
    // rows it held back go, their retries queue for the limiter ahead of those, as any retry does.
    const woken = wasDown && isAnswer(error) ? this.retryWakes.wakeAll() : 0;
    this.hold.attempted(error);
    this.foreignInARow = error instanceof ScoringError && error.foreignAnswer ? this.foreignInARow + 1 : 0;
    if (this.hold.down) this.lastOutageError = error;
    if (wasDown === this.hold.down) return;
    if (this.hold.down) {
      // Out of capacity is said as such: "failed" beside a count of 429s reads as a bug in the count. Answers that are
      // not the model's too: "looks down" sent the operator to the network while whatever answers at the base URL
      // (a gateway, a proxy's page) answered every request, each a 200 that may be billed.
      const [failedInARow, looks] =
        this.hold.downFor === 'capacity'
          ? [CAPACITY_DOWN_AFTER, `the service looks out of capacity (${CAPACITY_DOWN_AFTER} attempts answered 429, code 3040, since the last answer)`]
          : this.foreignInARow >= DOWN_AFTER
            ? [
              DOWN_AFTER,
              `the last ${DOWN_AFTER} attempts got an answer that is not the model's: check what answers at the base URL, and any proxy (HTTPS_PROXY / HTTP_PROXY) or gateway on the way`,
            ]
            : [DOWN_AFTER, `the service looks down (the last ${DOWN_AFTER} attempts failed)`];
      this.options.log.warn(
        { failedInARow, rowsInProgress: ROWS_WHILE_DOWN, lastError: errorMessage(error) },
        `${looks}: no new row is sent until it answers again; at most ${ROWS_WHILE_DOWN} rows stay in progress, retrying`,
      );
    } else {
      this.options.log.info({ retriesWoken: woken }, 'the service answers again: sending new rows');
    }
  }

  /** What a budget used up now was spent on, when the service looks down (the hold's warning words), else undefined. */
  private outageSpentOn(): string | undefined {
    const why = this.hold.downFor;
    if (why === undefined) return undefined;
    const last = this.lastOutageError === undefined ? '' : ` (${errorMessage(this.lastOutageError)})`;
    return why === 'capacity'
      ? `a service out of capacity: ${CAPACITY_DOWN_AFTER} attempts were answered 429, code 3040, since the last answer${last}`
      : `a service that looks down: the last ${this.hold.failedInARow} attempts failed${last}`;
  }

  /** Counts a request about to be sent, or stops the run before a budget would be exceeded. */
  private async chargeBudget(tokens: number, retry: boolean): Promise<NeuronReservation> {
    const { totals } = this.options;
    const neurons = neuronsFor(tokens);
    const reservation = await this.budget.reserve(neurons);
    totals.requests += 1;
    // Retries are counted as they are sent, as requests are: a retry a stop cancelled during its backoff never was one.
    if (retry) totals.retries += 1;
    totals.tokens += tokens;
    totals.neurons = roundNeurons(totals.neurons + neurons);
    // The job's neurons are those that may be billed, counted as the budget counts them: an attempt
    // surely not billed gives its neurons back here too (the summary's cost bound would count it otherwise).
    return {
      keep: () => reservation.keep(),
      release: () => {
        // Never below 0 (a checkpoint with -2e-16 was refused), and never a residue above it.
        totals.neurons = Math.max(0, roundNeurons(totals.neurons - neurons));
        reservation.release();
      },
      // "requests sent" and "tokens sent with retries" count what left this machine.
      unsent: () => {
        totals.requests -= 1;
        if (retry) totals.retries -= 1;
        totals.tokens -= tokens;
        totals.neurons = Math.max(0, roundNeurons(totals.neurons - neurons));
        reservation.unsent();
      },
    };
  }
}
