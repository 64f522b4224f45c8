/**
 * Field-by-field validation of the model file's JSON header (format version
 * 3): the model's settings and the layout of its binary sections. Throws a
 * plain `Error` saying what is wrong.
 */
import type { FeatureConfig } from './features.js';
import { LEXICON_INPUTS, MODEL_FORMAT_VERSION, type ModelHeader } from './model-header.js';

/** Where the binary sections' sizes come from: counts, stored beside the model's settings. */
export interface SectionLayout {
  lexiconWords: number;
  lexiconWordBytes: number;
  /** Per member: how many non-zero weights, and the bytes of their bucket ids. */
  members: { weights: number; idBytes: number }[];
}

/** The header as stored: the model's settings plus the section layout. */
export type StoredHeader = ModelHeader & { layout: SectionLayout };

function isFeatureConfig(value: unknown): value is FeatureConfig {
  const f = value as FeatureConfig;
  return (
    typeof f === 'object' &&
    f !== null &&
    Number.isInteger(f.hashBits) &&
    f.hashBits >= 8 &&
    f.hashBits <= 24 &&
    Number.isInteger(f.maxNgram) &&
    f.maxNgram >= 1 &&
    f.maxNgram <= 3 &&
    typeof f.negation === 'boolean' &&
    (f.charNgramMax === undefined || (Number.isInteger(f.charNgramMax) && f.charNgramMax >= 1 && f.charNgramMax <= 8)) &&
    (f.charNgramMin === undefined || (Number.isInteger(f.charNgramMin) && f.charNgramMin >= 1 && f.charNgramMin <= 8)) &&
    (f.lexiconClasses === undefined || typeof f.lexiconClasses === 'boolean')
  );
}

function isCount(value: unknown, max: number): boolean {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max;
}

function checkLayout(h: StoredHeader): void {
  const layout = h.layout;
  if (
    typeof layout !== 'object' ||
    layout === null ||
    !isCount(layout.lexiconWords, 2 ** 24) ||
    !isCount(layout.lexiconWordBytes, 2 ** 28) ||
    !Array.isArray(layout.members) ||
    layout.members.length !== h.members.length
  ) {
    throw new Error('the header has no valid section layout (lexicon counts and one entry per member)');
  }
  layout.members.forEach((m, k) => {
    const buckets = 2 ** (h.members[k] as ModelHeader['members'][number]).features.hashBits;
    // Every bucket id takes one to four bytes.
    if (typeof m !== 'object' || m === null || !isCount(m.weights, buckets) || !isCount(m.idBytes, 4 * m.weights) || m.idBytes < m.weights) {
      throw new Error(`the header's layout of member ${k} is invalid (at most ${buckets} weights, one to four bytes of bucket id each)`);
    }
  });
}

export function checkHeader(value: unknown): StoredHeader {
  const h = value as StoredHeader;
  if (typeof h !== 'object' || h === null || h.format !== 'sentiment-batch-embedded') {
    throw new Error('the header is not a sentiment-batch embedded model header');
  }
  if (h.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new Error(`header format version ${String(h.formatVersion)} is not the supported ${MODEL_FORMAT_VERSION}`);
  }
  if (typeof h.name !== 'string' || !/^[a-z0-9-]+$/.test(h.name) || !Number.isInteger(h.modelVersion)) {
    throw new Error('the header lacks a valid model name and version');
  }
  if (!Number.isInteger(h.maxChars) || h.maxChars < 100) throw new Error('the header lacks a valid maxChars');
  if (!Array.isArray(h.members) || h.members.length === 0) throw new Error('the header lists no model members');
  for (const m of h.members) {
    if (!isFeatureConfig(m.features) || !(Number.isFinite(m.weightScale) && m.weightScale > 0) || !Number.isFinite(m.bias)) {
      throw new Error('a member of the header has invalid features, weight scale or bias');
    }
  }
  const c = h.combiner;
  if (
    typeof c !== 'object' ||
    c === null ||
    !Array.isArray(c.weights) ||
    c.weights.length !== h.members.length + LEXICON_INPUTS ||
    !c.weights.every((w) => Number.isFinite(w)) ||
    !Number.isFinite(c.bias)
  ) {
    throw new Error('the header has no valid combiner (one weight per member and per lexicon input, and a bias)');
  }
  const lexicon = h.lexicon;
  if (typeof lexicon !== 'object' || lexicon === null || typeof lexicon.source !== 'string' || typeof lexicon.licence !== 'string') {
    throw new Error('the header has no valid lexicon (source and licence)');
  }
  if (typeof h.aggregation !== 'object' || h.aggregation === null || !(h.aggregation.lengthBoost >= 0)) {
    throw new Error('the header has no valid aggregation settings');
  }
  checkLayout(h);
  return h;
}
