/**
 * The outer layer of the embedded model file (format version 3): a fixed
 * prefix, a JSON header and binary sections, with one CRC-32 over everything
 * after the prefix, so that any damaged or truncated byte is refused before
 * anything in the file is trusted.
 *
 *   bytes 0..7     magic "SBEMBED\n"
 *   bytes 8..11    format version, uint32 little-endian
 *   bytes 12..15   header length H, uint32 little-endian
 *   bytes 16..19   CRC-32 of bytes 20..end, uint32 little-endian
 *   bytes 20..20+H header, UTF-8 JSON, padded with spaces so that the
 *                  sections start at a multiple of 8 (typed-array views need
 *                  aligned offsets; JSON allows trailing white space)
 *   rest           the sections, in the order the header's layout gives
 *
 * Errors are plain `Error`s with the reason; the loader wraps them into a
 * `model_file` error naming the path.
 */
import { crc32 } from 'node:zlib';

const MODEL_MAGIC = 'SBEMBED\n';
const PREFIX_BYTES = 20;
const SECTION_ALIGNMENT = 8;

/** Writes prefix, padded header and sections, and seals them with the checksum. */
export function sealModelFile(version: number, headerJson: string, sections: readonly Uint8Array[]): Buffer {
  const headerBytes = Buffer.byteLength(headerJson, 'utf8');
  const padding = (SECTION_ALIGNMENT - ((PREFIX_BYTES + headerBytes) % SECTION_ALIGNMENT)) % SECTION_ALIGNMENT;
  const header = Buffer.from(headerJson + ' '.repeat(padding), 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  prefix.write(MODEL_MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(version, 8);
  prefix.writeUInt32LE(header.length, 12);
  const file = Buffer.concat([prefix, header, ...sections]);
  file.writeUInt32LE(crc32(file.subarray(PREFIX_BYTES)), 16);
  return file;
}

/** An opened file: its header text, and its sections' bytes starting at an aligned offset. */
export interface OpenedModelFile {
  headerJson: string;
  /** The file's bytes, at an 8-aligned byteOffset in their ArrayBuffer. */
  bytes: Uint8Array;
  /** Where the sections start in `bytes`. */
  sectionsStart: number;
}

/** Checks signature, version, header bounds and checksum; throws an `Error` saying what is wrong. */
export function openModelFile(file: Uint8Array, version: number): OpenedModelFile {
  const buffer = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buffer.length < 16 || buffer.toString('latin1', 0, 8) !== MODEL_MAGIC) {
    throw new Error('it does not start with the sentiment-batch model signature "SBEMBED"');
  }
  const found = buffer.readUInt32LE(8);
  if (found !== version) throw new Error(`its format version is ${found}, this sentiment-batch reads version ${version}`);
  const headerLength = buffer.length >= PREFIX_BYTES ? buffer.readUInt32LE(12) : Infinity;
  if (PREFIX_BYTES + headerLength > buffer.length) throw new Error('it is truncated inside its header');
  const stored = buffer.readUInt32LE(16);
  const actual = crc32(buffer.subarray(PREFIX_BYTES));
  if (stored !== actual) {
    throw new Error(`it is damaged or truncated (its CRC-32 is ${hex(actual)}, the file records ${hex(stored)})`);
  }
  const sectionsStart = PREFIX_BYTES + headerLength;
  if (sectionsStart % SECTION_ALIGNMENT !== 0) throw new Error('its sections do not start at an aligned offset');
  // readFileSync gives an aligned buffer; a caller's slice may not be, and views need alignment.
  const bytes = file.byteOffset % SECTION_ALIGNMENT === 0 ? file : new Uint8Array(file);
  return { headerJson: buffer.toString('utf8', PREFIX_BYTES, sectionsStart), bytes, sectionsStart };
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
