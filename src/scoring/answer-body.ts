/**
 * The text of an HTTP answer's body from the bytes read: decompressed as its `Content-Encoding` says, decoded as its
 * `Content-Type` charset says. The request asks for no encoding, but a gateway or proxy on the way may compress
 * anyway, or re-label the charset: until 2026-12-07 such an answer, the model's and paid for, was read as raw bytes
 * and refused as "not JSON" (a 200 gzipped: every row failed `bad_answer`, exit 5), and a UTF-8 byte order mark,
 * which RFC 8259 lets a reader ignore, made an answer that reads as perfect JSON "not JSON" too.
 */
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import type { Transform } from 'node:stream';
import { TextDecoder } from 'node:util';

type Headers = Record<string, string | string[] | undefined>;

export type BodyText =
  /** `over`: the decompressed body ran past the limit; `text` is its start. */
  | { text: string; over?: { encoding: string } }
  /**
   * Bytes this client cannot decompress: `refused` says so, for the line that refuses the answer; `asSent` is the body
   * read as it came, for an answer whose compression was undone on the way and its header kept (a proxy that
   * decompresses and passes `Content-Encoding` on): before 2026-12-07 every such answer was read so, and scored.
   */
  | { refused: string; asSent: string };

// A Map: a coding named `constructor` or `__proto__` is no decoder.
const DECODERS = new Map<string, Array<() => Transform>>([
  ['gzip', [createGunzip]],
  ['x-gzip', [createGunzip]],
  ['br', [createBrotliDecompress]],
  // HTTP's "deflate" is zlib-wrapped; some servers send it raw.
  ['deflate', [createInflate, createInflateRaw]],
]);

/** Decodes `bytes` (read up to `limit`), the decompressed body bounded by `limit` as well. */
export async function bodyText(bytes: Buffer, headers: Headers, limit: number): Promise<BodyText> {
  const encodings = headerValue(headers['content-encoding'])
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  let body = bytes;
  // Codings are listed in the order they were applied: undo the last first.
  for (const coding of encodings.reverse()) {
    const decoders = DECODERS.get(coding);
    if (!decoders) return { refused: `the body is compressed as ${JSON.stringify(coding)} (Content-Encoding), which this client cannot read`, asSent: decode(bytes, headers) };
    let inflated: { bytes: Buffer; over: boolean } | undefined;
    let failure: unknown;
    for (const decoder of decoders) {
      try {
        inflated = await inflate(body, decoder(), limit);
        break;
      } catch (error) {
        failure ??= error;
      }
    }
    if (!inflated) {
      return { refused: `the body could not be decompressed (Content-Encoding: ${coding}): ${failure instanceof Error ? failure.message : String(failure)}`, asSent: decode(bytes, headers) };
    }
    if (inflated.over) return { text: decode(inflated.bytes, headers), over: { encoding: coding } };
    body = inflated.bytes;
  }
  return { text: decode(body, headers) };
}

/** Inflates `bytes`, stopping once past `limit` (a small body may inflate to gigabytes). */
async function inflate(bytes: Buffer, stream: Transform, limit: number): Promise<{ bytes: Buffer; over: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  stream.end(bytes);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    length += chunk.length;
    if (length > limit) {
      stream.destroy();
      return { bytes: Buffer.concat(chunks).subarray(0, limit), over: true };
    }
  }
  return { bytes: Buffer.concat(chunks), over: false };
}

/**
 * UTF-8 unless the charset names another this runtime knows; a byte order mark is dropped. A byte order mark outranks
 * the label, as WHATWG Encoding's decode says: TextDecoder('utf-16') reads little-endian whatever its mark, and a
 * big-endian body labelled `charset=utf-16` with its mark FE FF (RFC 2781 4.3) read as noise, "not JSON".
 */
function decode(bytes: Buffer, headers: Headers): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(headerValue(headers['content-type']))?.[1];
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(byteOrderMark(bytes) ?? charset ?? 'utf-8');
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(bytes);
}

function byteOrderMark(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

function headerValue(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}
