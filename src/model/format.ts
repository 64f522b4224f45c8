/**
 * The embedded model's file format (version 3): the container of
 * file-container.ts (signature, version, JSON header, CRC-32 over the rest)
 * holding these sections, in this order, sized by the header's `layout`:
 *
 *   lexicon valences   float64 LE, one per word
 *   member values      per member, its non-zero weights as int16 LE (weight = int16 * weightScale)
 *   lexicon words      UTF-8, joined by "\n"
 *   member bucket ids  per member, varint gaps (see sparse-weights.ts)
 *
 * The fixed-width sections come first so that they stay 8-aligned and load as
 * typed-array views without a copy. Version 2 stored all 2^20 weights per
 * member densely in gzip and the lexicon as a JSON object; version 3 decodes
 * to the same Float32 weights and lexicon, bit for bit, several times faster.
 * Decoding errors are plain `Error`s; the loader wraps them into a
 * `model_file` error naming the path.
 */
import type { FeatureConfig } from './features.js';
import { openModelFile, sealModelFile } from './file-container.js';
import { checkHeader, type SectionLayout, type StoredHeader } from './header-check.js';
import { decodeLexicon, encodeLexicon } from './lexicon-table.js';
import { MODEL_FORMAT_VERSION, type DecodedModel, type MemberHeader, type ModelDraft } from './model-header.js';
import { SectionReader } from './section-reader.js';
import { checkSparseWeights, decodeSparseWeights, encodeSparseWeights } from './sparse-weights.js';
import type { WeightTable } from './weight-table.js';

export { MODEL_FORMAT_VERSION } from './model-header.js';
export type { DecodedModel, ModelDraft, ModelLexicon } from './model-header.js';

/** Quantises each member's weights to int16 and writes the whole file. */
export function encodeModel(draft: ModelDraft, members: { features: FeatureConfig; bias: number; weights: WeightTable }[]): Buffer {
  const sparse = members.map((m) => encodeSparseWeights(m.weights));
  const lexicon = encodeLexicon(draft.lexicon.valences);
  const memberHeaders: MemberHeader[] = members.map((m, k) => ({ features: m.features, weightScale: (sparse[k] as { weightScale: number }).weightScale, bias: m.bias }));
  const layout: SectionLayout = {
    lexiconWords: lexicon.count,
    lexiconWordBytes: lexicon.words.length,
    members: sparse.map((s) => ({ weights: s.values.length, idBytes: s.gaps.length })),
  };
  const stored: StoredHeader = {
    ...draft,
    lexicon: { source: draft.lexicon.source, licence: draft.lexicon.licence },
    members: memberHeaders,
    layout,
  };
  const sections = [
    lexicon.valences,
    ...sparse.map((s) => Buffer.from(s.values.buffer, s.values.byteOffset, s.values.byteLength)),
    lexicon.words,
    ...sparse.map((s) => s.gaps),
  ];
  return sealModelFile(MODEL_FORMAT_VERSION, JSON.stringify(stored), sections);
}

/** Parses and validates a model file; throws an `Error` saying what is wrong. */
export function decodeModel(file: Uint8Array): DecodedModel {
  return checkModel(file).decode();
}

/** A model file checked whole, its weights not yet decoded. */
export interface CheckedModel {
  readonly header: DecodedModel['header'];
  /** The model with its weights decoded (~20-40 ms of CPU), once: later calls give the same object. */
  decode(): DecodedModel;
}

/**
 * Checks a model file as decodeModel does, throwing the same errors, and leaves its weights to decode() (sparse-weights.ts
 * checkSparseWeights walks their bucket ids without building the tables): the embedded scorer refuses a damaged file
 * when it is made, before any row is written, and spends the decoding only on a run that scores a text.
 */
export function checkModel(file: Uint8Array): CheckedModel {
  const { header, values, words, gaps, valenceList, lexiconWords } = readSections(file);
  header.members.forEach((member, k) => checkSparseWeights(2 ** member.features.hashBits, values[k] as Int16Array, gaps[k] as Uint8Array));
  const valences = decodeLexicon(lexiconWords, words, valenceList);
  let model: DecodedModel | undefined;
  // The file's weight sections until decoded, then let go (the file, ~1 MB, is held by nothing else).
  let sections: { values: Int16Array[]; gaps: Uint8Array[] } | undefined = { values, gaps };
  return {
    header,
    decode: () => {
      if (model !== undefined || sections === undefined) return model as DecodedModel;
      const kept = sections;
      model = {
        header,
        weights: header.members.map((member, k) =>
          decodeSparseWeights(2 ** member.features.hashBits, member.weightScale, kept.values[k] as Int16Array, kept.gaps[k] as Uint8Array),
        ),
        valences,
      };
      sections = undefined;
      return model;
    },
  };
}

/**
 * A model file's header, the file checked as decodeModel checks it but for the contents of its sections (the bucket
 * ids and the lexicon's words, which only decoding reads): its checksum, header and section sizes. What names the
 * model without the ~30 ms of CPU its weights take to decode.
 */
export function decodeModelHeader(file: Uint8Array): DecodedModel['header'] {
  return readSections(file).header;
}

/** The checked header and the sections' bytes (views, not copies), sized by the header's layout. */
function readSections(file: Uint8Array) {
  const opened = openModelFile(file, MODEL_FORMAT_VERSION);
  let parsed: unknown;
  try {
    parsed = JSON.parse(opened.headerJson);
  } catch {
    throw new Error('its header is not valid JSON');
  }
  const { layout, ...header } = checkHeader(parsed);
  const reader = new SectionReader(opened.bytes, opened.sectionsStart);
  const valenceList = reader.float64(layout.lexiconWords, 'lexicon valences');
  const values = layout.members.map((m, k) => reader.int16(m.weights, `member ${k}'s weights`));
  const words = reader.raw(layout.lexiconWordBytes, 'lexicon words');
  const gaps = layout.members.map((m, k) => reader.raw(m.idBytes, `member ${k}'s bucket ids`));
  reader.finish();
  return { header, values, words, gaps, valenceList, lexiconWords: layout.lexiconWords };
}
