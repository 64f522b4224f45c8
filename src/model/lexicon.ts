/**
 * Sentiment evidence from a word lexicon (VADER's, stored inside the model
 * file): valence sums per sentence with negation and contrast handling.
 *
 * The lexicon carries the domain words SST-2's film critics rarely use
 * ("delicious", "rude", "refund"), and its rules carry what a bag of n-grams
 * learnt from films gets wrong on reviews: "no complaints", "not bad",
 * "slow at first, but the staff were lovely". The n-gram model stays the main
 * signal; these sums are a few more inputs of its calibrated combiner.
 */
import { isIntensifyingNegation, NEGATORS, SCOPE_ENDERS } from './negation.js';

/** word -> valence (about -4 .. +4), single lowercase tokens only. */
export type Valences = ReadonlyMap<string, number>;

/** What the lexicon finds in one sentence. */
export interface LexiconEvidence {
  /** Sum of the positive contributions (after negation and contrast weighting). */
  positive: number;
  /** Sum of the magnitudes of the negative contributions. */
  negative: number;
  /** How many lexicon words the sentence has. */
  hits: number;
}

/** After the last of these the sentence's verdict usually lies: "slow at first, but worth it". */
const CONTRAST = new Set(['but', 'however']);

/** How many tokens back a negator still flips a lexicon word (VADER looks three back). */
const NEGATION_REACH = 3;
/** VADER's damping of a negated valence: "not good" is less bad than "bad" is. */
const NEGATION_FACTOR = -0.74;
/** VADER's weights of the clauses before and after "but". */
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;

/** True when a negator precedes token `i` within reach and inside its clause. */
function isNegated(tokens: readonly string[], i: number, valences: Valences): boolean {
  for (let k = i - 1; k >= 0 && k >= i - NEGATION_REACH; k--) {
    const token = tokens[k] as string;
    if (SCOPE_ENDERS.has(token)) return false;
    if (NEGATORS.has(token)) return !isIntensifyingNegation(tokens, k, valences);
  }
  return false;
}

/** Valence sums of one sentence's tokens (from `tokenize`). */
export function lexiconEvidence(tokens: readonly string[], valences: Valences): LexiconEvidence {
  return lexiconEvidenceOf(tokens, Float64Array.from(tokens, (token) => valences.get(token) ?? NaN), valences);
}

/**
 * lexiconEvidence with each token's valence already looked up (`valence[i]`, NaN for none: features.ts
 * prepareTokens, which the scoring path has run for its members anyway).
 */
export function lexiconEvidenceOf(tokens: readonly string[], valence: Float64Array, valences: Valences): LexiconEvidence {
  let contrastAt = -1;
  for (let i = 0; i < tokens.length; i++) if (CONTRAST.has(tokens[i] as string)) contrastAt = i;
  let positive = 0;
  let negative = 0;
  let hits = 0;
  for (let i = 0; i < tokens.length; i++) {
    const base = valence[i] as number;
    if (Number.isNaN(base)) continue;
    hits++;
    let v = isNegated(tokens, i, valences) ? base * NEGATION_FACTOR : base;
    if (contrastAt >= 0) v *= i < contrastAt ? BEFORE_CONTRAST : AFTER_CONTRAST;
    if (v > 0) positive += v;
    else negative -= v;
  }
  return { positive, negative, hits };
}

/**
 * The lexicon's inputs to the combiner: log(1 + positive sum) and
 * log(1 + negative sum), so that the tenth "great" adds less than the first.
 */
export function lexiconInputs(evidence: LexiconEvidence): [number, number] {
  return [Math.log1p(evidence.positive), Math.log1p(evidence.negative)];
}

/** Parses VADER's `vader_lexicon.txt` (word<TAB>mean<TAB>sd<TAB>ratings): single-word entries only. */
export function parseVaderLexicon(content: string): Map<string, number> {
  const valences = new Map<string, number>();
  for (const line of content.split(/\r?\n/)) {
    const [word, mean] = line.split('\t');
    if (word === undefined || mean === undefined) continue;
    // Emoticons (":)", "</3") cannot survive the tokenizer's punctuation split; words with inner
    // apostrophes or spaces never come out of it as one token either.
    if (!/^[a-z][a-z-]*$/.test(word)) continue;
    // Negators ("no" is -1.2 in VADER) are rules here, not valences: "no complaints" is not two negatives.
    if (NEGATORS.has(word)) continue;
    const value = Number(mean);
    if (Number.isFinite(value) && value !== 0) valences.set(word, value);
  }
  return valences;
}
