/** What finishes a snapshot a pull left incomplete, said by `model list` and by --backend local finding no model. */
import { DEFAULT_REPO, DEFAULT_REVISION } from './hub-env.js';
import type { CachedSnapshot } from './list.js';

/**
 * How an incomplete snapshot is finished: the pull that fetched it, run again, resumes it (its files' bytes are kept in
 * `<file>.incomplete`). `model list` said only `incomplete: missing …`, and a user took the folder for broken. A ref
 * (written once a pull completes, or by an earlier one) names the revision; without one the pull's own is not known.
 */
export function resumeAdvice(m: Pick<CachedSnapshot, 'repo' | 'refs'>, does = 'resumes it', aside = ''): string {
  const repo = m.repo === DEFAULT_REPO ? '' : ` --repo ${m.repo}`;
  const ref = m.refs.includes(DEFAULT_REVISION) ? DEFAULT_REVISION : m.refs[0];
  if (ref === undefined) return `the model pull that fetched it ${does} ('sentiment-batch model pull${repo}', and its --revision if it had one${aside})`;
  return `'sentiment-batch model pull${repo}${ref === DEFAULT_REVISION ? '' : ` --revision ${ref}`}' ${does}${aside ? ` (${aside.replace(/^; /, '')})` : ''}`;
}

/**
 * A snapshot of `repo` a pull began and left unfinished (files missing, none damaged): with no ref to it, --backend
 * local found no model there and said 'run model pull once', as if none had been made.
 */
export function unfinishedPull(models: readonly CachedSnapshot[], repo: string): CachedSnapshot | undefined {
  return models.find((model) => model.repo === repo && model.missing.length > 0);
}
