/**
 * Hashed word n-gram features. A text becomes a sorted list of distinct
 * bucket ids in [0, 2^hashBits); its feature vector is 1/sqrt(count) on each
 * of them (L2-normalised binary), so a long review is not more confident than
 * a short one just for having more words.
 */
import { FeatureIdBuffer } from './feature-id-buffer.js';
import type { Valences } from './lexicon.js';
import { isIntensifyingNegation, NEGATORS, SCOPE_ENDERS } from './negation.js';

/** How a model turns tokens into feature ids; stored in the model file. */
export interface FeatureConfig {
  /** log2 of the number of hash buckets (the weight vector's length). */
  hashBits: number;
  /** Longest word n-gram used (1 = words only, 2 = adds word pairs, 3 = adds triples). */
  maxNgram: number;
  /** Words after a negation ("not", "n't", "never", ...) until the next clause break get their own features. */
  negation: boolean;
  /** Character n-grams of words (e.g. 3..5 of "<unfunny>"), 0 for none: they carry unseen words by their parts. */
  charNgramMax?: number;
  charNgramMin?: number;
  /**
   * Lexicon words also fire a shared feature for their polarity and strength
   * (flipped inside a negation's scope): what the model learns for "a strong
   * positive word" carries over to lexicon words SST-2 never showed it.
   */
  lexiconClasses?: boolean;
}

/** Seeds that keep the n-gram orders (and sentence edges) apart in the hash space. */
const ORDER_SEED = [0, 0x2545f491, 0x9e3779b9, 0x85ebca6b] as const;
const NEGATED_TAG = 0x68e31da4;
const EDGE_START = 0x1b873593;
const EDGE_END = 0xcc9e2d51;
const CHAR_SEED = 0x3c6ef372;
const LEXICON_SEED = 0x27d4eb2f;
const INTENSIFIER = 0x165667b1;

/** FNV-1a over UTF-16 code units: cheap, and defined for any string (lone surrogates included). */
function hashToken(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's finaliser: spreads the bits of a combined hash before masking. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function combine(a: number, b: number): number {
  return (Math.imul(a, 0x9e3779b1) + b) >>> 0;
}

/**
 * What every member's collection and the lexicon's sums read of each token, into `out`, once per sentence: its hash
 * (`out.plain`), its valence (`out.valence`, NaN for a word `valences` lacks), and the hash with negated words moved
 * to a separate feature space (`out.hashes`), `out.negated[i]` = 1 inside a negation's scope. An intensifying negation
 * ("could n't be happier") becomes one token of its own, INTENSIFIER, with `out.negated[i]` = 2: what SST-2 taught
 * "n't" and "could n't" is what negation means, not what "as much as possible" means.
 */
export function prepareTokens(tokens: readonly string[], valences: Valences | undefined, out: FeatureIdBuffer): void {
  out.reserve(tokens.length);
  out.lexicon = valences !== undefined;
  const { plain, hashes, negated: negatedOut, valence } = out;
  let negated = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const h = hashToken(token);
    plain[i] = h;
    valence[i] = valences?.get(token) ?? NaN;
    if (SCOPE_ENDERS.has(token)) negated = false;
    hashes[i] = negated ? (h ^ NEGATED_TAG) >>> 0 : h;
    negatedOut[i] = negated ? 1 : 0;
    if (!NEGATORS.has(token)) continue;
    if (isIntensifyingNegation(tokens, i, valences)) {
      hashes[i] = INTENSIFIER;
      negatedOut[i] = 2;
    } else {
      negated = true;
    }
  }
}

/** For featureIds' callers that keep no buffer of their own (training, tests): synchronous, so one is enough. */
const shared = new FeatureIdBuffer();

/**
 * Distinct bucket ids of the text's n-grams, sorted ascending, in a new array. Linear in the
 * number of tokens apart from the final sort.
 */
export function featureIds(tokens: readonly string[], config: FeatureConfig, valences?: Valences): Int32Array {
  collectFeatureIds(tokens, config, valences, shared);
  return shared.ids.slice(0, shared.length);
}

/** The ids featureIds returns, left in `out.ids[0 .. out.length)` (the scoring path: no array per sentence). */
export function collectFeatureIds(tokens: readonly string[], config: FeatureConfig, valences: Valences | undefined, out: FeatureIdBuffer, only?: Uint8Array): void {
  prepareTokens(tokens, valences, out);
  collectPreparedIds(tokens, config, out, only);
}

/**
 * collectFeatureIds of tokens `prepareTokens` has put in `out` (with the lexicon the ids are for): what each member of
 * a model collects from the one preparation of a sentence.
 */
export function collectPreparedIds(tokens: readonly string[], config: FeatureConfig, out: FeatureIdBuffer, only?: Uint8Array): void {
  collectUnsortedIds(tokens, config, out, only);
  sortDistinct(out);
}

/**
 * The ids collectPreparedIds leaves, as collected: unsorted, a repeated n-gram's id as often as it occurs. What the
 * scoring path reads (member-sum.ts): sorting them was about half of the character n-gram member's time.
 */
export function collectUnsortedIds(tokens: readonly string[], config: FeatureConfig, out: FeatureIdBuffer, only?: Uint8Array): void {
  const mask = (1 << config.hashBits) - 1;
  const n = tokens.length;
  out.length = 0;
  // Without negation marking every token is its own hash and none is negated.
  const hashes = config.negation ? out.hashes : out.plain;
  const negated = config.negation ? out.negated : out.unmarked;
  const maxNgram = Math.max(1, Math.min(3, config.maxNgram));
  // `only` (training studies alone; absent when scoring): keep just the n-grams with a marked token among their words.
  for (let i = 0; i < n; i++) {
    const h1 = hashes[i] as number;
    if (!only || touches(only, i, 1)) out.push(mix(h1 ^ ORDER_SEED[1]) & mask);
    if (maxNgram >= 2 && (!only || touches(only, i, 2))) {
      const prev = i > 0 ? (hashes[i - 1] as number) : EDGE_START;
      out.push(mix(combine(prev, h1) ^ ORDER_SEED[2]) & mask);
    }
    if (maxNgram >= 3 && i > 0 && (!only || touches(only, i, 3))) {
      const prev2 = i > 1 ? (hashes[i - 2] as number) : EDGE_START;
      const h = combine(combine(prev2, hashes[i - 1] as number), h1);
      out.push(mix(h ^ ORDER_SEED[3]) & mask);
    }
  }
  if (maxNgram >= 2 && n > 0 && (!only || touches(only, n - 1, 1))) out.push(mix(combine(hashes[n - 1] as number, EDGE_END) ^ ORDER_SEED[2]) & mask);
  // A character n-gram is part of a word, never a whole word: none is kept under `only`.
  if (config.charNgramMax && !only) addCharNgrams(tokens, negated, config.charNgramMin ?? 3, config.charNgramMax, mask, out);
  if (config.lexiconClasses && out.lexicon) addLexiconClasses(n, negated, out.valence, mask, out);
}

/** `out.ids[0 .. out.length)` sorted in place, then deduplicated in place: features are binary. */
export function sortDistinct(out: FeatureIdBuffer): void {
  const sorted = out.ids.subarray(0, out.length).sort();
  let unique = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[unique++] = sorted[i] as number;
  }
  out.length = unique;
}

/** Whether one of the `order` tokens ending at `i` is marked in `only`. */
function touches(only: Uint8Array, i: number, order: number): boolean {
  for (let k = Math.max(0, i - order + 1); k <= i; k++) if (only[k] === 1) return true;
  return false;
}

/**
 * The ids of the features that contain a lexicon word: word n-grams with a lexicon word among their words (inside a
 * negation's scope too) and the lexicon class features; character n-grams never. For the study of an NB part limited
 * to the lexicon (nb-interpolation.ts); collisions aside, a subset of featureIds.
 */
export function lexiconFeatureIds(tokens: readonly string[], config: FeatureConfig, valences: Valences): Int32Array {
  const only = Uint8Array.from(tokens, (t) => (valences.has(t) ? 1 : 0));
  collectFeatureIds(tokens, config, valences, shared, only);
  return shared.ids.slice(0, shared.length);
}

/** '<' and '>', the padding of a word's character n-grams ("<word>"). */
const WORD_START = 0x3c;
const WORD_END = 0x3e;

/** The code units of the padded word being cut into character n-grams (grown for a longer word; synchronous use). */
let padded = new Uint16Array(256);

/**
 * Character n-grams of each word of 3+ characters, padded as "<word>" (`negated`: see prepareTokens). The padded
 * word's code units are copied once into `padded`, not built as a string per word, and not read from the word (with
 * a test for each end) once per n-gram each character is in: up to twelve times for sizes 3 to 5.
 */
function addCharNgrams(tokens: readonly string[], negated: Uint8Array, lo: number, hi: number, mask: number, out: FeatureIdBuffer): void {
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t] as string;
    // An intensifying negation has no parts: its one token says it all.
    if (token.length < 3 || negated[t] === 2) continue;
    const paddedLength = token.length + 2;
    if (padded.length < paddedLength) padded = new Uint16Array(2 * paddedLength);
    const codes = padded;
    codes[0] = WORD_START;
    for (let k = 0; k < token.length; k++) codes[k + 1] = token.charCodeAt(k);
    codes[paddedLength - 1] = WORD_END;
    for (let size = lo; size <= hi && size < paddedLength; size++) {
      for (let start = 0; start + size <= paddedLength; start++) {
        let h = (0x811c9dc5 ^ size) >>> 0;
        for (let k = start; k < start + size; k++) h = Math.imul(h ^ (codes[k] as number), 0x01000193);
        out.push(mix(h ^ CHAR_SEED) & mask);
      }
    }
  }
}

/** One shared feature per lexicon word: its polarity (flipped when negated) and strength (weak, clear, strong). */
function addLexiconClasses(n: number, negated: Uint8Array, valences: Float64Array, mask: number, out: FeatureIdBuffer): void {
  for (let i = 0; i < n; i++) {
    const valence = valences[i] as number;
    if (Number.isNaN(valence)) continue;
    const positive = valence > 0 !== (negated[i] === 1);
    const magnitude = Math.abs(valence);
    const strength = magnitude < 1.5 ? 0 : magnitude < 2.5 ? 1 : 2;
    out.push(mix((LEXICON_SEED + (positive ? 3 : 0) + strength) >>> 0) & mask);
  }
}
