/**
 * The embedded model's file format (version 1), a small binary file:
 *
 *   bytes 0..7    magic "SBEMBED\n"
 *   bytes 8..11   format version, uint32 little-endian (1)
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

export const MODEL_MAGIC = 'SBEMBED\n';
export const MODEL_FORMAT_VERSION = 1;

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
  /** Short model name, e.g. "ngram-lr"; the scorer's id is `embedded:sst2-<name>-v<modelVersion>`. */
  name: string;
  modelVersion: number;
  /** Texts longer than this many UTF-16 code units are scored on their first and last halves. */
  maxChars: number;
  members: MemberHeader[];
  /** Calibrated log-odds of POSITIVE = bias + sum(weights[m] * margin of member m). */
  combiner: { weights: number[]; bias: number };
  /** Provenance and measured figures; informative only. */
  training: Record<string, unknown>;
}

export interface DecodedModel {
  header: ModelHeader;
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
    (f.charNgramMin === undefined || (Number.isInteger(f.charNgramMin) && f.charNgramMin >= 1 && f.charNgramMin <= 8))
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
    c.weights.length !== h.members.length ||
    !c.weights.every((w) => Number.isFinite(w)) ||
    !Number.isFinite(c.bias)
  ) {
    throw new Error('the header has no valid combiner (one weight per member and a bias)');
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
  return { header, weights };
}
