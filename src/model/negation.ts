import type { Valences } from './lexicon.js';

/**
 * Negation words and the tokens that end their scope, shared by the n-gram
 * features (negated words get features of their own) and the lexicon rules
 * (negated valences flip).
 */

/** Words that negate what follows them in their clause. */
export const NEGATORS: ReadonlySet<string> = new Set([
  'not',
  "n't",
  'no',
  'never',
  'nothing',
  'nobody',
  'none',
  'neither',
  'nor',
  'cannot',
  'hardly',
  'without',
  'nowhere',
  'barely',
  'lack',
  'lacks',
  'lacking',
]);

/** Tokens that end a negation's scope. */
export const SCOPE_ENDERS: ReadonlySet<string> = new Set(['.', ',', ';', ':', '!', '?', '--', '...', 'but', 'yet', 'though', 'although', 'however']);

/** Modals that turn "n't be happier" into praise: "could n't be happier", "ca n't get any better". */
const INTENSIFYING_MODALS: ReadonlySet<string> = new Set(['could', 'can', 'ca']);
/** Words that may stand between such a negation and its comparative ("could n't have asked for a better ..."). */
const COMPARATIVE_LINKS: ReadonlySet<string> = new Set(['possibly', 'really', 'have', 'be', 'been', 'ask', 'asked', 'for', 'get', 'gotten', 'a', 'an', 'any', 'much', 'feel']);
const COMPARATIVES: ReadonlySet<string> = new Set(['more', 'less', 'better', 'worse']);
const MAX_LINKS = 4;

/**
 * True when the negator at `k` does not negate but intensifies: a modal's
 * negation of a comparative ("could n't be happier", "can not ask for more",
 * "could n't be worse") says "as much as possible", so its words keep their
 * own polarity. `valences` (the lexicon) recognises comparatives beyond the closed list
 * (the lexicon's "-er" words: "happier", "easier").
 */
export function isIntensifyingNegation(tokens: readonly string[], k: number, valences: Valences | undefined): boolean {
  const negator = tokens[k];
  if (negator === 'cannot') {
    // "cannot" carries its own modal.
  } else if (negator === "n't" || negator === 'not') {
    if (!INTENSIFYING_MODALS.has(tokens[k - 1] ?? '')) return false;
  } else {
    return false;
  }
  for (let j = k + 1; j < tokens.length && j <= k + 1 + MAX_LINKS; j++) {
    const word = tokens[j] as string;
    if (COMPARATIVES.has(word) || (word.endsWith('er') && valences?.has(word) === true)) return j > k + 1;
    if (!COMPARATIVE_LINKS.has(word)) return false;
  }
  return false;
}
