import type { JobSettings } from '../config/options.js';
import { settingWords } from '../config/setting-names.js';
import type { AnswerJournal } from '../journal/answer-journal.js';
import type { Logger } from '../log.js';
import type { RequestLimiter } from '../scoring/limiter.js';
import type { Scorer } from '../scoring/scorer.js';
import type { ResultCache } from '../state/cache.js';
import type { Totals } from '../state/totals.js';
import type { RunContext } from './run-context.js';
import type { TextWindow } from './row-plan.js';
import { RowScorer, type ScoreCache } from './row-scorer.js';
import type { RunTally } from './run-tally.js';
import type { StopController } from './stop.js';

/** What every row scorer of one run shares: the run's scorer, limits, window, cache and tally. */
export interface RunScoring {
  settings: JobSettings;
  scorer: Scorer;
  limiter: RequestLimiter | undefined;
  stop: StopController;
  log: Logger;
  window: TextWindow | undefined;
  cache: ResultCache | undefined;
  tally: RunTally;
  /** The answers an unfinished job at this output paid for (kept-answers.ts). */
  inherited?: Pick<ScoreCache, 'get'> | undefined;
}

/**
 * The row scorers of one run: the fresh pass's, and a mend's (after a resume, or of a completed job), each with its
 * own totals and journal; only the run's settings and services are shared.
 */
export function rowScorerFactory(run: RunScoring): RunContext['rowScorerFor'] {
  const { settings, scorer, limiter, stop, log, window, cache, tally, inherited } = run;
  const budgetNames = {
    maxRequests: settingWords(settings, 'maxRequests', '--max-requests', String(settings.maxRequests)).inline,
    maxNeurons: settingWords(settings, 'maxNeurons', '--max-neurons', String(settings.maxNeurons)).inline,
  };
  // One for the run: its mend's scorer knows whether the service answered the pass before it (row-scorer.ts).
  const runAnswered = { any: false };
  return (totals: Totals, journal: AnswerJournal | undefined, budgetSpent, answers) =>
    new RowScorer({
      ...answers,
      scorer,
      ...(limiter ? { limiter } : {}),
      retry: { maxAttempts: settings.maxAttempts },
      stop,
      totals,
      log,
      ...(window ? { window } : {}),
      longText: settings.longText,
      ...(cache ? { cache } : {}),
      ...(inherited ? { inherited } : {}),
      ...(journal ? { journal } : {}),
      onAnswered: (tokens) => tally.answered(tokens),
      ...(settings.maxRequests !== undefined ? { maxRequests: settings.maxRequests } : {}),
      ...(settings.maxNeurons !== undefined ? { maxNeurons: settings.maxNeurons } : {}),
      budgetNames,
      ...(budgetSpent ? { budgetSpent } : {}),
      runAnswered,
    });
}
