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
