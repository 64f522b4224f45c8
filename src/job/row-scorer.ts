import { ExitCode, ScoringError, SentimentBatchError, errorMessage } from '../errors.js';
import type { Outcome } from '../io/record.js';
import type { Logger } from '../log.js';
import { machineFaultOf } from '../machine-fault.js';
import { describeFailure } from '../scoring/classify.js';
import type { RequestLimiter } from '../scoring/limiter.js';
import { withRetries, type RetryPolicy } from '../scoring/retry.js';
import { NOT_ADMITTED } from '../scoring/not-admitted.js';
import { neuronsFor, roundNeurons } from '../scoring/pricing.js';
import { answerKeyOf, type Scorer, type Scores } from '../scoring/scorer.js';
import type { Totals } from '../state/totals.js';
import type { AnswerJournal } from '../journal/answer-journal.js';
import { AbortFanout } from './abort-fanout.js';
import { cutOffByRefusedToken, neverSent, RunBudget, surelyNotBilled, type NeuronReservation, type RunBudgetLimits } from './run-budget.js';
import { Dedupe, dedupeKey, type RowResult } from './dedupe.js';
import { CAPACITY_DOWN_AFTER, DOWN_AFTER, OutageHold, ROWS_WHILE_DOWN } from './outage-hold.js';
import { EMPTY_TEXT_OUTCOME, isEmptyText, planRow, type LongTextPolicy, type TextWindow } from './row-plan.js';
import type { StopController } from './stop.js';
import { stopForUnexpected } from './unexpected-stop.js';


/** Answers remembered across runs. */
export interface ScoreCache {
  get(modelId: string, text: string): Scores | undefined;
  put(modelId: string, text: string, scores: Scores): void;
}

export interface RowScorerOptions {
  scorer: Scorer;
  /** Required for remote scorers: every attempt goes through it. */
  limiter?: RequestLimiter;
  retry: RetryPolicy;
  stop: StopController;
  /** Live cost counters (requests, retries, 429s, tokens, neurons). */
  totals: Totals;
  log: Logger;
  window?: TextWindow;
  longText: LongTextPolicy;
  cache?: ScoreCache;
  /**
   * Answers an unfinished job at this output paid for before this job started over (kept-answers.ts): read after the
   * cache, before sending. Such a row is answered by an earlier run's request (`earlier`), not a cache hit.
   */
  inherited?: Pick<ScoreCache, 'get'>;
  /** Answers kept until their rows are written, so no answer is paid for twice. */
  journal?: AnswerJournal;
  /** Told of each answered request, for the summary's billable tokens. */
  onAnswered?(tokens: number): void;
  /** Told of each retry as it happens (the progress line shows them). */
  onRetry?(error: ScoringError): void;
  /** This scorer's texts in flight and answered; by default its own. */
  dedupe?: Dedupe;
  /**
   * The answers of an earlier pass of this run (a resumed run's fresh pass, for its mend): a text answered there
   * is not sent again (3,000 requests for 2,999 distinct texts when one copy was mended and the other scored fresh).
   */
  earlier?: Dedupe;
  /** Budgets of this run (a resumed run gets a fresh one; totals carry over, budgets do not). */
  maxRequests?: number;
  maxNeurons?: number;
  /** How the pause names the budgets (run-budget.ts): a job file's keys when it gave them. */
  budgetNames?: RunBudgetLimits['names'];
  /** Already spent of those budgets by this run (requests, neurons sent), through an earlier scorer. */
  budgetSpent?: { requests: number; neurons: number };
  /**
   * Whether the service answered a request of this run, shared by its scorers (a resumed pass's and its mend's): a
   * refused token then may have been revoked during the run (cutOffByRefusedToken). By default this scorer's own.
   */
  runAnswered?: { any: boolean };
}

/**
 * Turns one text into one outcome: empty → skipped; over the window → per
 * policy; cached or duplicate → reused; otherwise sent (limiter + retries).
 * Returns synchronously when no request is needed, so local scoring stays fast.
 * A row whose work was cut short by a stop is `abandoned`: not written, and
 * scored again by the next run.
 */
export class RowScorer {
  private readonly dedupe: Dedupe;
  private readonly modelId: string;
  /** What this run has spent, against its budgets. */
  private readonly budget: RunBudget;
  /** Rows watch their own children of the stop signals (in flight, waiting), not the stop signals themselves. */
  private readonly aborts: AbortFanout;
  private readonly waitAborts: AbortFanout;
  /** New rows wait while the service looks down (outage-hold.ts). */
  private readonly hold = new OutageHold();
  /** The last attempt's failure while the service looks down: a budget spent on it says so (run-budget.ts spentOn). */
  private lastOutageError: unknown;
  /**
   * Whether the service answered a request of this run: a refused token then may have been revoked during it
   * (cutOffByRefusedToken). The run's, not this scorer's: a mend's own said none of a run whose pass had 2 answers, and
   * released as surely refused the request it had in flight, which the pass keeps as maybe billed.
   */
  private readonly answered: { any: boolean };

  constructor(private readonly options: RowScorerOptions) {
    // Answers are filed under the model and, when not the real service, the address that gave them.
    this.modelId = answerKeyOf(options.scorer);
    this.dedupe = options.dedupe ?? new Dedupe();
    this.answered = options.runAnswered ?? { any: false };
    const limits = { maxRequests: options.maxRequests, maxNeurons: options.maxNeurons, names: options.budgetNames };
    this.budget = new RunBudget(limits, options.stop, options.budgetSpent, () => this.outageSpentOn());
    this.aborts = new AbortFanout(options.stop.signal);
    this.waitAborts = new AbortFanout(options.stop.waitingSignal);
  }

  /** `index`: the row asking (the journal keeps its answer until that row is written). */
  score(text: string, index = 0): RowResult | Promise<RowResult> {
    const { scorer, window, longText } = this.options;
    if (!scorer.remote && !scorer.usesTokenWindow) return this.planLocally(text);
    const fitted = planRow(text, window, longText);
    if (fitted.kind !== 'send') return fitted.outcome;
    // Hashed once for the row when long (dedupe.ts): the look-ups here and the track or remember after it take the key.
    const key = dedupeKey(fitted.text);
    const known = this.dedupe.lookup(key) ?? this.options.earlier?.settled(key);
    if (known) return asThisRowCut(known, fitted.truncated);
    // The journal before the cache for this row's own answer: the earlier run that received it also put it in the
    // cache, and it was paid for by that run's request (no cache hit: the cache did not have it when it was sent).
    const kept = this.options.journal?.keptFor(fitted.text);
    const cached = kept?.index === index ? undefined : this.options.cache?.get(this.modelId, fitted.text);
    if (cached) {
      const outcome = scoredOutcome(cached, fitted.truncated, true);
      this.dedupe.remember(key, outcome);
      return outcome;
    }
    if (kept) {
      const { answer } = kept;
      // The cache's write of this answer may have died with the run that received it (the journal's did not).
      if (answer.kind === 'scored') this.options.cache?.put(this.modelId, fitted.text, answer.scores);
      const outcome: Outcome & { kind: 'scored' | 'failed' } = answer.kind === 'scored' ? scoredOutcome(answer.scores, fitted.truncated, false) : { kind: 'failed', failure: answer.failure };
      this.dedupe.remember(key, outcome);
      // An answer an earlier run received for another row (one it wrote, or the first of several rows ahead with this
      // text) answers this row as a duplicate: it sent no request of its own, so it is not among the rows sent to the
      // model (they outnumbered the requests: 180 rows "sent" after a --max-requests pause where 120 requests were).
      // The row that asked is answered by its own request, received before the stop: it is one of those rows.
      // It is counted as such when it is written (RunTally): a run may stop again before its turn.
      return kept.index === index ? { ...outcome, earlier: true } : { ...outcome, duplicate: true };
    }
    const inherited = this.options.inherited?.get(this.modelId, fitted.text);
    if (inherited) {
      this.options.cache?.put(this.modelId, fitted.text, inherited);
      const outcome = scoredOutcome(inherited, fitted.truncated, false);
      this.dedupe.remember(key, outcome);
      return { ...outcome, earlier: true };
    }
    const result = scorer.remote ? this.send(fitted.text, fitted.truncated, fitted.tokens, index) : this.scoreWindowed(fitted.text, fitted.truncated);
    this.dedupe.track(key, result);
    return result;
  }

  /**
   * A local model scores the whole text (it has no 512-token window), but under
   * --long-text skip|fail the rows over Workers AI's window are skipped or failed
   * just the same, so that switching the backend never changes which rows are scored.
   */
  private planLocally(text: string): RowResult | Promise<RowResult> {
    if (isEmptyText(text)) return EMPTY_TEXT_OUTCOME;
    const { window, longText } = this.options;
    if (window && longText !== 'truncate') {
      const plan = planRow(text, window, longText);
      if (plan.kind !== 'send') return plan.outcome;
    }
    return this.scoreLocally(text);
  }

  private scoreLocally(text: string): RowResult | Promise<RowResult> {
    const { scorer } = this.options;
    if (scorer.scoreSync) {
      // The embedded model is synchronous: keep promises off the hot path.
      try {
        return scoredOutcome(scorer.scoreSync(text), false, false);
      } catch (error) {
        return this.failureOutcome(error);
      }
    }
    const result = scorer.score(text);
    return result.then(
      (scores) => scoredOutcome(scores, false, false),
      (error: unknown) => this.failureOutcome(error),
    );
  }

  private async send(text: string, truncated: boolean, tokens: number, index: number): Promise<RowResult> {
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
      try {
        const answer = await scorer.score(text, { signal: inFlight.signal });
        reservation.keep();
        this.answered.any = true;
        this.attempted();
        return answer;
      } catch (error) {
        this.attempted(error);
        // Every 429 answer counts, not only those retried: the last attempt's and a pausing 4006 showed as "429s 0".
        if (error instanceof ScoringError && error.status === 429) totals.rateLimited += 1;
        // An attempt never sent (no connection) counts nowhere; one the service refused is not billed:
        // its neurons go back to the budget.
        if (neverSent(error)) reservation.unsent();
        else if (surelyNotBilled(error) || cutOffByRefusedToken(stop, this.answered.any)) reservation.release();
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
    try {
      const scores = await withRetries(
        (attempt) => (attempt === 1 ? firstAttempt() : (limiter as RequestLimiter).schedule(() => attemptOnce(true), waiting.signal, { ahead: true })),
        retry,
        {
          // A stop ends backoff and Retry-After waits at once: the next run scores those rows.
          signal: waiting.signal,
          onRetry: (error, _attempt, delayMs) => {
            if (error.rowCode === 'rate_limited') {
              limiter?.slowDown();
              // The wait the service asked for (capped as the retry's is), for every request of the job.
              if (error.retryAfterMs !== undefined) limiter?.holdFor(delayMs);
            }
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
      const outcome = this.failureOutcome(error);
      // A refusal for the text's content is an answer too; a transient failure is tried again next run.
      if (outcome.kind !== 'failed' || outcome.failure.transient) return outcome;
      try {
        journal?.record(text, index, { kind: 'failed', failure: outcome.failure });
      } catch (recordError) {
        // Refused by the machine (a full disk) as an answer's record above is: the same stop, not a rejection that
        // nothing handles (Node's stack trace, exit 1, no summary).
        return this.failureOutcome(recordError);
      }
      return outcome;
    } finally {
      if (admitted) this.hold.finish();
      inFlight.release();
      waiting.release();
    }
  }

  /**
   * Tells the outage hold an attempt's outcome, and the operator when it starts or stops holding rows back: the
   * progress line shows only "0 rows" and a slow trickle of requests while it holds, which reads as a hang.
   */
  private attempted(error?: unknown): void {
    const wasDown = this.hold.down;
    this.hold.attempted(error);
    if (this.hold.down) this.lastOutageError = error;
    if (wasDown === this.hold.down) return;
    if (this.hold.down) {
      // Out of capacity is said as such: "failed" beside a count of 429s reads as a bug in the count.
      const [failedInARow, looks] =
        this.hold.downFor === 'capacity'
          ? [CAPACITY_DOWN_AFTER, `out of capacity (${CAPACITY_DOWN_AFTER} attempts answered 429, code 3040, since the last answer)`]
          : [DOWN_AFTER, `down (the last ${DOWN_AFTER} attempts failed)`];
      this.options.log.warn(
        { failedInARow, rowsInProgress: ROWS_WHILE_DOWN, lastError: errorMessage(error) },
        `the service looks ${looks}: no new row is sent until it answers again; at most ${ROWS_WHILE_DOWN} rows stay in progress, retrying`,
      );
    } else {
      this.options.log.info('the service answers again: sending new rows');
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

  /** A local model with the token window: no limiter, retries or budgets; answers are cached like remote ones. */
  private async scoreWindowed(text: string, truncated: boolean): Promise<RowResult> {
    try {
      const scores = await this.options.scorer.score(text);
      this.options.cache?.put(this.modelId, text, scores);
      return scoredOutcome(scores, truncated, false);
    } catch (error) {
      return this.failureOutcome(error);
    }
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

  private failureOutcome(error: unknown): RowResult {
    const { stop } = this.options;
    if (error instanceof ScoringError) {
      if (error.kind === 'row' || error.kind === 'retry') return { kind: 'failed', failure: describeFailure(error) };
      stop.request({ kind: error.kind === 'pause' ? 'pause' : 'fatal', error });
      return { kind: 'abandoned' };
    }
    // A budget used up (run-budget.ts: 'budget', or 'too_many_errors' when it went on a service that looks down) asked for its stop.
    if (error instanceof SentimentBatchError && (error.code === 'interrupted' || error.code === 'budget' || error.code === 'too_many_errors')) return { kind: 'abandoned' };
    if (error instanceof SentimentBatchError) {
      // Not the service's answer (that is a ScoringError, above): the shared limit's Redis refusing a slot (out of
      // memory, a password it now asks for). The requests in flight had their slots and the service answers, and bills,
      // them: they get the grace period and their answers are journaled. A fatal stop aborted them at once, and the next
      // run paid for them again (3 of 4 in flight, test/e2e-redis-refusal-in-flight.test.ts).
      if (error.exitCode === ExitCode.Paused) stop.request({ kind: 'pause', error });
      else stop.fault(error);
      return { kind: 'abandoned' };
    }
    // The machine refused a write of this run's own (the answer journal on a full disk): exit 74 naming the file, as a
    // full disk writing the output is, not an unexpected error (exit 1). The stop keeps the run's figures. Not a fatal
    // stop: that aborts the requests in flight at once, and one aborted before it left was counted though the service
    // never saw it (a mend's full disk: 29 requests in its summary, 28 received).
    const fault = machineFaultOf(error);
    if (fault) {
      stop.fault(fault);
      return { kind: 'abandoned' };
    }
    return stopForUnexpected(stop, error);
  }
}

/**
 * A duplicate's answer with this row's own `truncated`: texts are matched once cut to the window, so a text of exactly
 * 512 tokens and a longer one cut to it share one answer, but only the longer one was cut (its sentiment_truncated).
 */
function asThisRowCut(known: RowResult | Promise<RowResult>, truncated: boolean): RowResult | Promise<RowResult> {
  const mark = (result: RowResult): RowResult => (result.kind === 'scored' && result.truncated !== truncated ? { ...result, truncated } : result);
  return known instanceof Promise ? known.then(mark) : mark(known);
}

function scoredOutcome(scores: Scores, truncated: boolean, cached: boolean): Outcome & { kind: 'scored' } {
  return { kind: 'scored', label: scores.label, positive: scores.positive, negative: scores.negative, truncated, cached };
}
