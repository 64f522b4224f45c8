/**
 * The embedded model's file format (version 2), a small binary file:
 *
 *   bytes 0..7    magic "SBEMBED\n"
 *   bytes 8..11   format version, uint32 little-endian (2)
 *   bytes 12..15  header length H, uint32 little-endian
 *   bytes 16..16+H  header, UTF-8 JSON (`ModelHeader`)
 *   rest          gzip of every member's weights, int16 little-endian, one
 *                 member after the other (2^hashBits each); weight =
 *                 int16 * member.weightScale
 *
 * gzip's CRC-32 catches a damaged or truncated payload; the header is
 * checked field by field. Decoding errors are thrown as plain `Error`s with
 * the reason; the loader wraps them into a `model_file` error naming the path.
 */
import { endianness } from 'node:os';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FeatureConfig } from './features.js';
import type { Valences } from './lexicon.js';

export const MODEL_MAGIC = 'SBEMBED\n';
export const MODEL_FORMAT_VERSION = 2;

/** One linear model over one feature set; the ensemble adds their margins. */
export interface MemberHeader {
  features: FeatureConfig;
  /** Multiplier turning the stored int16 weights back into floats. */
  weightScale: number;
  bias: number;
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
  /** The word lexicon (word -> valence) and where it came from. */
  lexicon: { source: string; licence: string; valences: Record<string, number> };
  /**
   * How sentences add up to a review: the mean log-odds over the sentences with sentiment
   * evidence (at least one lexicon word; all sentences when none has any), times
   * 1 + lengthBoost * ln(number of those sentences).
   */
  aggregation: { lengthBoost: number };
  /** Provenance and measured figures; informative only. */
  training: Record<string, unknown>;
}

/** The lexicon adds two inputs to the combiner: log(1 + positive sum), log(1 + negative sum). */
export const LEXICON_INPUTS = 2;

export interface DecodedModel {
  header: ModelHeader;
  /** The header's lexicon as a map, for scoring. */
  valences: Valences;
  /** One weight vector per member, of length 2^hashBits. */
  weights: Float32Array[];
}

const INT16_MAX = 32767;
const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** Quantises each member's weights to int16 and writes the whole file. */
export function encodeModel(header: Omit<ModelHeader, 'members'>, members: { features: FeatureConfig; bias: number; weights: Float32Array }[]): Buffer {
  const memberHeaders: MemberHeader[] = [];
  const chunks: Buffer[] = [];
  for (const member of members) {
    let maxAbs = 0;
    for (const w of member.weights) maxAbs = Math.max(maxAbs, Math.abs(w));
    const weightScale = maxAbs > 0 ? maxAbs / INT16_MAX : 1;
    const quantised = Buffer.alloc(member.weights.length * 2);
    for (let i = 0; i < member.weights.length; i++) {
      quantised.writeInt16LE(Math.round((member.weights[i] as number) / weightScale), i * 2);
    }
    chunks.push(quantised);
    memberHeaders.push({ features: member.features, weightScale, bias: member.bias });
  }
  const fullHeader: ModelHeader = { ...header, members: memberHeaders };
  const headerBytes = Buffer.from(JSON.stringify(fullHeader), 'utf8');
  const prefix = Buffer.alloc(16);
  prefix.write(MODEL_MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(MODEL_FORMAT_VERSION, 8);
  prefix.writeUInt32LE(headerBytes.length, 12);
  return Buffer.concat([prefix, headerBytes, gzipSync(Buffer.concat(chunks), { level: 9 })]);
}

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

function checkHeader(value: unknown): ModelHeader {
  const h = value as ModelHeader;
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
    if (!isFeatureConfig(m.features) || !Number.isFinite(m.weightScale) || !Number.isFinite(m.bias)) {
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
  if (
    typeof lexicon !== 'object' ||
    lexicon === null ||
    typeof lexicon.valences !== 'object' ||
    lexicon.valences === null ||
    !Object.values(lexicon.valences).every((v) => Number.isFinite(v))
  ) {
    throw new Error('the header has no valid lexicon (word -> valence)');
  }
  if (typeof h.aggregation !== 'object' || h.aggregation === null || !(h.aggregation.lengthBoost >= 0)) {
    throw new Error('the header has no valid aggregation settings');
  }
  return h;
}

/** Parses and validates a model file; throws an `Error` saying what is wrong. */
export function decodeModel(bytes: Buffer): DecodedModel {
  if (bytes.length < 16 || bytes.toString('latin1', 0, 8) !== MODEL_MAGIC) {
    throw new Error('it does not start with the sentiment-batch model signature "SBEMBED"');
  }
  const version = bytes.readUInt32LE(8);
  if (version !== MODEL_FORMAT_VERSION) {
    throw new Error(`its format version is ${version}, this sentiment-batch reads version ${MODEL_FORMAT_VERSION}`);
  }
  const headerLength = bytes.readUInt32LE(12);
  if (16 + headerLength > bytes.length) throw new Error('it is truncated inside its header');
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8', 16, 16 + headerLength));
  } catch {
    throw new Error('its header is not valid JSON');
  }
  const header = checkHeader(parsed);
  let payload: Buffer;
  try {
    payload = gunzipSync(bytes.subarray(16 + headerLength));
  } catch (error) {
    throw new Error(`its weights are damaged or truncated (${(error as Error).message})`);
  }
  const expected = header.members.reduce((sum, m) => sum + 2 * 2 ** m.features.hashBits, 0);
  if (payload.length !== expected) {
    throw new Error(`it holds ${payload.length} bytes of weights where its header announces ${expected}`);
  }
  const weights: Float32Array[] = [];
  let offset = 0;
  for (const member of header.members) {
    const size = 2 ** member.features.hashBits;
    const floats = new Float32Array(size);
    const bytesOfMember = payload.subarray(offset, offset + size * 2);
    if (LITTLE_ENDIAN_HOST) {
      // Copy into an aligned buffer (the payload's offset need not be even), then view it as int16.
      const ints = new Int16Array(size);
      Buffer.from(ints.buffer).set(bytesOfMember);
      for (let i = 0; i < size; i++) floats[i] = (ints[i] as number) * member.weightScale;
    } else {
      for (let i = 0; i < size; i++) floats[i] = bytesOfMember.readInt16LE(i * 2) * member.weightScale;
    }
    weights.push(floats);
    offset += size * 2;
  }
  return { header, weights, valences: new Map(Object.entries(header.lexicon.valences)) };
}
