/**
 * What the embedded model file's header says about the model (format
 * version 3), and the decoded model handed to scoring.
 */
import type { FeatureConfig } from './features.js';
import type { Valences } from './lexicon.js';
import type { WeightTable } from './weight-table.js';

/**
 * Version 3 stores the weights sparsely and the lexicon as binary sections
 * (see file-container.ts and format.ts); version 2 (dense gzip, lexicon in the
 * JSON header) is refused with a `model_file` error.
 */
export const MODEL_FORMAT_VERSION = 3;

/** The lexicon adds two inputs to the combiner: log(1 + positive sum), log(1 + negative sum). */
export const LEXICON_INPUTS = 2;

/** One linear model over one feature set; the ensemble adds their margins. */
export interface MemberHeader {
  features: FeatureConfig;
  /** Multiplier turning the stored int16 weights back into floats. */
  weightScale: number;
  bias: number;
}

/** Where the lexicon came from; its words and valences are binary sections of the file. */
export interface LexiconSource {
  source: string;
  licence: string;
}

/** A lexicon to store: its provenance and word -> valence. */
export interface ModelLexicon extends LexiconSource {
  valences: Record<string, number>;
}

export interface ModelHeader {
  format: 'sentiment-batch-embedded';
  formatVersion: number;
  /** Short model name, e.g. "nblr-lex"; the scorer's id is `embedded:sst2-<name>-v<modelVersion>`. */
  name: string;
  modelVersion: number;
  /** Texts longer than this many UTF-16 code units are scored on their first and last halves. */
  maxChars: number;
  members: MemberHeader[];
  /**
   * Calibrated log-odds of a sentence being POSITIVE = bias + sum(weights[k] * input k), where the
   * inputs are each member's margin, then the lexicon's two inputs (see lexicon.ts `lexiconInputs`).
   */
  combiner: { weights: number[]; bias: number };
  lexicon: LexiconSource;
  /**
   * How sentences add up to a review: the mean log-odds over the sentences with sentiment
   * evidence (at least one lexicon word; all sentences when none has any), times
   * 1 + lengthBoost * ln(number of those sentences).
   */
  aggregation: { lengthBoost: number };
  /** Provenance and measured figures; informative only. */
  training: Record<string, unknown>;
}

/** What `encodeModel` takes: the header without the members' scales, with the whole lexicon. */
export type ModelDraft = Omit<ModelHeader, 'members' | 'lexicon'> & { lexicon: ModelLexicon };

export interface DecodedModel {
  header: ModelHeader;
  /** The lexicon as a map, for scoring. */
  valences: Valences;
  /** One weight table per member, by hash bucket. */
  weights: WeightTable[];
}
