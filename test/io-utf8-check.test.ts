import { gzipSync } from 'node:zlib';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { Utf8Check, assertUtf8, firstInvalidUtf8 } from '../src/io/utf8-check.js';

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mostly valid text with the odd stray, cut or surrogate byte sequence. */
function sample(next: () => number): Buffer {
  const pieces = ['a', '\n', 'é', '€', '😀', '"', ','];
  const odd = [[0xe9], [0xc0, 0xaf], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x9f], [0x80], [0xff]];
  const parts: Buffer[] = [];
  const length = 1 + Math.floor(next() * 12);
  for (let i = 0; i < length; i++) {
    parts.push(next() < 0.1 ? Buffer.from(odd[Math.floor(next() * odd.length)]!) : Buffer.from(pieces[Math.floor(next() * pieces.length)]!));
  }
  return Buffer.concat(parts);
}

/** Reference: the longest prefix the platform's fatal decoder accepts. */
function validPrefixLength(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let end = bytes.length; end >= 0; end--) {
    try {
      decoder.decode(bytes.subarray(0, end));
      return end;
    } catch {
      // shorter
    }
  }
  return 0;
}

async function check(chunks: Buffer[], startOffset: number): Promise<{ passed: Buffer; error?: unknown }> {
  const passed: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      passed.push(chunk);
      callback();
    },
  });
  try {
    await pipeline(Readable.from(chunks, { objectMode: false }), new Utf8Check({ startOffset }), sink);
    return { passed: Buffer.concat(passed) };
  } catch (error) {
    return { passed: Buffer.concat(passed), error };
  }
}

describe('firstInvalidUtf8', () => {
  it('agrees with the platform decoder on where valid text stops', () => {
    const next = random(7);
    for (let n = 0; n < 3000; n++) {
      const bytes = sample(next);
      const valid = validPrefixLength(bytes);
      expect(firstInvalidUtf8(bytes), bytes.toString('hex')).toBe(valid === bytes.length ? -1 : valid);
    }
  });
});

describe('Utf8Check', () => {
  it('passes valid input through unchanged, whatever the chunking', async () => {
    const text = Buffer.from('id,text\nCafé 😀 €\n'.repeat(3));
    for (const size of [1, 2, 3, 5, 64]) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < text.length; at += size) chunks.push(text.subarray(at, at + size));
      const result = await check(chunks, 0);
      expect(result.error).toBeUndefined();
      expect(result.passed.equals(text)).toBe(true);
    }
  });

  it('reports the absolute offset of the first bad byte for random inputs and chunkings', async () => {
    const next = random(11);
    for (let n = 0; n < 400; n++) {
      const bytes = sample(next);
      const valid = validPrefixLength(bytes);
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; ) {
        const size = 1 + Math.floor(next() * 4);
        chunks.push(bytes.subarray(at, at + size));
        at += size;
      }
      const startOffset = Math.floor(next() * 1000);
      const { error } = await check(chunks, startOffset);
      if (valid === bytes.length) {
        expect(error, bytes.toString('hex')).toBeUndefined();
      } else {
        expect(error, bytes.toString('hex')).toBeInstanceOf(InputError);
        expect((error as Error).message, bytes.toString('hex')).toMatch(new RegExp(`^input is not valid UTF-8 at byte ${startOffset + valid} \\(`));
      }
    }
  });

  it('names the bad byte and the text before it, and the UTF-16 case', async () => {
    const { error } = await check([Buffer.from('a\nna'), Buffer.from([0xef, 0x76, 0x65])], 100);
    expect((error as Error).message).toBe(
      'input is not valid UTF-8 at byte 104 (byte 0xef after "na"; the file is probably in another encoding such as Windows-1252 or Latin-1, or else in WINDOWS-1250 (its bytes read as words in each: if the copy\'s accented letters look wrong, convert from that instead): convert it to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8 in.csv > in-utf8.csv)',
    );
    const utf16 = await check([Buffer.from([0xff, 0xfe, 0x61, 0x00])], 0);
    expect((utf16.error as Error).message).toBe('input is not valid UTF-8 at byte 0 (it starts with a UTF-16 byte-order mark; save the file as UTF-8, e.g. iconv -f UTF-16 -t UTF-8 in.csv > in-utf8.csv)');
  });

  // Tableau's crosstab export is UTF-16 with tab-separated columns, named .csv: the
  // converted copy, named .csv too, was then refused 'the header has only one column … add --delimiter tab'.
  it('names the converted copy .tsv when the UTF-16 text is tab-separated', async () => {
    const tableau = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ID\tReview\tRating\r\n1\tgreat\t5\r\n', 'utf16le')]);
    const { error } = await check([tableau], 0);
    expect((error as Error).message).toBe(
      'input is not valid UTF-8 at byte 0 (it starts with a UTF-16 byte-order mark; save the file as UTF-8, e.g. iconv -f UTF-16 -t UTF-8 in.csv > in-utf8.tsv: its columns are tab-separated, which a .tsv name reads)',
    );
  });

  it('says that gzip bytes read as text are gzip, not Windows-1252', async () => {
    const { error } = await check([gzipSync(Buffer.from('id,text\n1,good\n'))], 0);
    expect((error as Error).message).toMatch(/^input is not valid UTF-8 at byte 1 \(it is gzip-compressed: give the file itself with a name ending in \.gz, or decompress it first/);
  });

  // `score e.csv.bz2 --format csv` (as the extension's refusal used to advise) said "probably in another encoding such
  // as Windows-1252 … iconv": the compressed bytes are named instead.
  it('says that bzip2, xz or zstd bytes read as text are compressed, not Windows-1252', async () => {
    const cases: Array<[number[], string]> = [
      [[0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 0x02, 0x66, 0x9c], 'bzip2'],
      [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00], 'xz'],
      [[0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x00], 'zstd'],
    ];
    for (const [bytes, kind] of cases) {
      const { error } = await check([Buffer.from(bytes)], 0);
      expect((error as Error).message).toMatch(
        new RegExp(`^input is not valid UTF-8 at byte \\d+ \\(it is ${kind}-compressed, and of compressions only gzip \\(\\.gz\\) is read: decompress it first, and score the file it gives\\)$`),
      );
    }
  });

  it('says that a workbook named .csv is a workbook, not Windows-1252 text to convert with iconv', async () => {
    // An .xlsx is a ZIP archive (PK\x03\x04 ...); an old .xls an OLE2 compound file (D0 CF 11 E0 ...).
    const xlsx = Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00', 'latin1'), Buffer.from([0x83, 0x9a, 0xff])]);
    const zip = await check([xlsx], 0);
    expect((zip.error as Error).message).toMatch(
      /^input is not valid UTF-8 at byte 10 \(it is a ZIP archive \(an Excel \.xlsx workbook, or a zipped export\), not text: save the sheet as CSV UTF-8 \(Excel: File > Save As > CSV UTF-8 \(Comma delimited\)\), or unzip the export, and score that file\)$/,
    );
    const xls = await check([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])], 0);
    expect((xls.error as Error).message).toBe(
      'input is not valid UTF-8 at byte 0 (it is an Excel .xls workbook (or another Office file), not text: save the sheet as CSV UTF-8 (Excel: File > Save As > CSV UTF-8 (Comma delimited)) and score that file)',
    );
  });
});

describe('assertUtf8', () => {
  it('accepts a cut-off character unless the bytes are final', () => {
    const cut = Buffer.from([0x61, 0xe2, 0x82]);
    expect(() => assertUtf8(cut, 0, false)).not.toThrow();
    expect(() => assertUtf8(cut, 10, true)).toThrow('input is not valid UTF-8 at byte 11 (the input ends in the middle of a multi-byte character');
    expect(() => assertUtf8(Buffer.from([0x61, 0xe9, 0x61]), 0, false)).toThrow(/at byte 1 \(byte 0xe9 after "a"/);
  });
});
