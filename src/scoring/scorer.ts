/** What every backend (Workers AI, embedded model, any compatible URL) answers. */
export interface Scores {
  label: 'POSITIVE' | 'NEGATIVE';
  /** Probability of POSITIVE, full precision. */
  positive: number;
  /** Probability of NEGATIVE, full precision; positive + negative = 1 (within float error). */
  negative: number;
}

export interface ScoreOptions {
  /** Aborts the attempt (per-attempt timeout or shutdown). */
  signal?: AbortSignal;
}

/**
 * One scoring backend. `score` either resolves with scores or throws a
 * `ScoringError` whose `kind` says what to do next (retry, row, pause, fatal).
 * Retrying and rate limiting are NOT the scorer's job: the pipeline wraps it.
 */
export interface Scorer {
  /**
   * Identity of the model that scores, recorded in the checkpoint and the
   * summary so outputs of two different models are never mixed,
   * e.g. `workers-ai:@cf/huggingface/distilbert-sst-2-int8` or `embedded:sst2-nblr-lex-v5`.
   */
  readonly modelId: string;
  /**
   * Where a remote model is served when that is not the real service (a local imitation, a test server):
   * its answers are cached and checkpointed apart from the service's (answerKeyOf). Undefined otherwise.
   */
  readonly endpoint?: string;
  /** True when each call costs a network request (rate limiting and retries apply). */
  readonly remote: boolean;
  /**
   * A local model with DistilBERT's 512-token window (--backend local): rows are
   * fitted to the window (--long-text), deduplicated and cached as for Workers AI,
   * without the limiter, retries or budgets.
   */
  readonly usesTokenWindow?: boolean;
  score(text: string, options?: ScoreOptions): Promise<Scores>;
  /** Local models may also answer synchronously, which keeps the pipeline's hot path free of promises. */
  scoreSync?(text: string): Scores;
  close(): Promise<void>;
}

/** Builds Scores from two probabilities, normalising so they sum to 1. */
export function toScores(positive: number, negative: number): Scores {
  const total = positive + negative;
  const p = total > 0 ? positive / total : 0.5;
  const n = total > 0 ? negative / total : 0.5;
  return { label: p >= n ? 'POSITIVE' : 'NEGATIVE', positive: p, negative: n };
}

/** What answers are filed under in the result cache: the model, and the address serving it when not the real service. */
export function answerKeyOf(scorer: Pick<Scorer, 'modelId' | 'endpoint'>): string {
  return scorer.endpoint === undefined ? scorer.modelId : `${scorer.modelId} at ${scorer.endpoint}`;
}
