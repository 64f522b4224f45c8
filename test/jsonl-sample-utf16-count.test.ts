import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refuseNotJsonLines, sampleJsonl } from '../src/preflight/jsonl-sample.js';
import { checkScoredJsonl } from '../src/report/jsonl-check.js';
import { tempDir } from './support/cli.js';

/**
 * A UTF-16 little-endian file without a byte-order mark, read as UTF-8 JSON Lines, splits at each LF byte: the NUL
 * after the last one (the second byte of the last line ending) was a "line" of its own, so a file of 2 lines was
 * refused as "none of the first 3 non-blank lines is a JSON object". The count is of the file's own lines now.
 */
describe('JSON Lines in UTF-16 without a mark: the refusal counts the lines the file has', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  async function refusal(name: string, bytes: Buffer): Promise<string> {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    const sample = await sampleJsonl(file, false, ['text']);
    try {
      refuseNotJsonLines(sample);
    } catch (error) {
      return (error as Error).message;
    }
    return 'not refused';
  }

  const lines = (n: number, ending = '\n') => Array.from({ length: n }, (_, i) => `{"text":"review ${i}"}${ending}`).join('');
  const bigEndian = (text: string) => Buffer.from(text, 'utf16le').swap16();

  it.each([
    ['2 lines, little-endian', Buffer.from(lines(2), 'utf16le'), 'none of the first 2 non-blank lines is a JSON object'],
    ['2 lines ended CRLF, little-endian', Buffer.from(lines(2, '\r\n'), 'utf16le'), 'none of the first 2 non-blank lines is a JSON object'],
    ['2 lines, big-endian', bigEndian(lines(2)), 'none of the first 2 non-blank lines is a JSON object'],
    ['1 line, little-endian', Buffer.from(lines(1), 'utf16le'), 'the first non-blank line is not a JSON object'],
    ['150 lines, little-endian: the sample', Buffer.from(lines(150), 'utf16le'), 'none of the first 100 non-blank lines is a JSON object'],
    // Nothing but NUL bytes (a file zeroed by a crash): one line, said as before.
    ['NUL bytes alone', Buffer.alloc(64), 'the first non-blank line is not a JSON object'],
  ])('%s', async (name, bytes, expected) => {
    const message = await refusal(`${name.replace(/\W+/g, '-')}.jsonl`, bytes);
    expect(message.startsWith(`${expected}, so this is not JSON Lines: its lines hold NUL bytes`), message).toBe(true);
  });

  it('report says the same count of a UTF-16 file given as a scored file', async () => {
    const file = path.join(dir, 'scored-utf16.jsonl');
    writeFileSync(file, Buffer.from(lines(2), 'utf16le'));
    const check = { gzip: false, text: ['text'], textNamed: false as const, adviseExamples: false, prefix: 'sentiment', fields: [] };
    await expect(checkScoredJsonl(file, check)).rejects.toThrow(/^this is not a scored file: none of the first 2 lines is a JSON object: its lines hold NUL bytes: the file looks like UTF-16/);
  });
});
