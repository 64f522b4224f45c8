// A long text held once (io/shared-text.ts), and a huge output line written a slice at a time (io/output-file.ts):
// the same characters and the same bytes as before, whatever the text holds.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatJsonlRecord, jsonlRecordFormatter } from '../src/io/jsonl-format.js';
import type { InputRecord } from '../src/io/record.js';
import { OutputFile } from '../src/io/output-file.js';
import { sharedWithRaw } from '../src/io/shared-text.js';
import { tempDir } from './support/cli.js';

describe('a long text shares its record\'s line', () => {
  const text = 'great value, would buy again. '.repeat(4000);

  it('gives the very same characters when the line holds them verbatim, the text itself otherwise', () => {
    const raw = `${JSON.stringify({ id: 1, text })}\n`;
    expect(sharedWithRaw(text, raw)).toBe(text);
    // Written with escapes: not in the line as such, kept as parsed.
    const escaped = `${text}\n"é"`;
    const line = JSON.stringify({ text: escaped }).replace('é', '\\u00e9');
    expect(sharedWithRaw(escaped, line)).toBe(escaped);
    // A short text is left alone (a copy is cheaper than the search), and so is one longer than the line.
    expect(sharedWithRaw('good', '{"text":"good"}')).toBe('good');
    expect(sharedWithRaw(text, text.slice(1))).toBe(text);
  });
});

describe('a huge output line', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('is written a slice at a time to the same bytes, a surrogate pair at every slice boundary kept whole', async () => {
    // 😀 is two UTF-16 units; at odd offsets one straddles each 87,381-unit slice boundary (256 KiB / 3).
    const line = `{"text":"a${'😀'.repeat(200_000)}"}\n`;
    const file = path.join(dir, 'out.jsonl.partial');
    const out = await OutputFile.create(file);
    await out.write('{"id":0}\n');
    await out.write(line);
    await out.write('{"id":2}\n');
    const synced = await out.sync();
    await out.close();
    const expected = Buffer.from(`{"id":0}\n${line}{"id":2}\n`, 'utf8');
    const written = readFileSync(file);
    expect(written.equals(expected)).toBe(true);
    expect(synced).toBe(expected.length);
    expect(out.crc32At(synced)).toBe(crc32(expected));
  });
});

describe('a huge JSONL line is handed on in parts', () => {
  it('its head and the rest, whose join is the line as formatted whole; an ordinary line stays one string', () => {
    const outcome = { kind: 'scored', label: 'POSITIVE', positive: 0.9, negative: 0.1, truncated: true } as const;
    const format = jsonlRecordFormatter({ field: 'sentiment' });
    const huge = `{"id":1,"text":"${'ok '.repeat(400_000)}"}\r\n`;
    const record = (raw: string): InputRecord => ({ index: 0, byteEnd: raw.length, text: { ok: true, value: 'ok' }, raw });
    const parts = format(record(huge), outcome);
    expect(Array.isArray(parts)).toBe(true);
    expect((parts as readonly string[]).join('')).toBe(formatJsonlRecord(record(huge), outcome));
    expect((parts as readonly string[])[0]).toBe(huge.slice(0, huge.lastIndexOf('}')));
    expect(format(record('{"id":2,"text":"ok"}\n'), outcome)).toBe('{"id":2,"text":"ok","sentiment":{"label":"POSITIVE","positive":0.9,"negative":0.1,"truncated":true}}\n');
  });
});
