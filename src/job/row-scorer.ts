import type { ScoringError } from '../errors.js';
import type { Outcome } from '../io/record.js';
import type { Logger } from '../log.js';
import type { RequestLimiter } from '../scoring/limiter.js';
import type { RetryPolicy } from '../scoring/retry.js';
import { answerKeyOf, type Scorer, type Scores } from '../scoring/scorer.js';
import type { Totals } from '../state/totals.js';
import type { AnswerJournal } from '../journal/answer-journal.js';
import type { RunBudgetLimits } from './run-budget.js';
import { Dedupe, dedupeKey, type RowResult } from './dedupe.js';
import { RemoteSender } from './remote-send.js';
import { failureOutcome, scoredOutcome } from './row-outcome.js';
import { EMPTY_TEXT_OUTCOME, isEmptyText, planRow, type LongTextPolicy, type TextWindow } from './row-plan.js';
import type { StopController } from './stop.js';


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
   * refused token then may have been revoked during the run (run-budget.ts cutOffBy, REFUSED_TOKEN). By default this scorer's own.
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
  /** Sends what no answer at hand answers (remote-send.ts). */
  private readonly sender: RemoteSender;

  constructor(private readonly options: RowScorerOptions) {
    // Answers are filed under the model and, when not the real service, the address that gave them.
    this.modelId = answerKeyOf(options.scorer);
    this.dedupe = options.dedupe ?? new Dedupe();
    this.sender = new RemoteSender(options, this.modelId);
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
    const result = scorer.remote ? this.sender.send(fitted.text, fitted.truncated, fitted.tokens, index) : this.scoreWindowed(fitted.text, fitted.truncated);
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
        return failureOutcome(error, this.options.stop);
      }
    }
    const result = scorer.score(text);
    return result.then(
      (scores) => scoredOutcome(scores, false, false),
      (error: unknown) => failureOutcome(error, this.options.stop),
    );
  }

  /** A local model with the token window: no limiter, retries or budgets; answers are cached like remote ones. */
  private async scoreWindowed(text: string, truncated: boolean): Promise<RowResult> {
    try {
      const scores = await this.options.scorer.score(text);
      this.options.cache?.put(this.modelId, text, scores);
      return scoredOutcome(scores, truncated, false);
    } catch (error) {
      return failureOutcome(error, this.options.stop);
    }
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
