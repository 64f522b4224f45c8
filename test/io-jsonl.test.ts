import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, InputError } from '../src/errors.js';
import { lookupPath, parseDottedPath } from '../src/io/dotted-path.js';
import { formatJsonlRecord, jsonlRecordFormatter, outcomeJson } from '../src/io/jsonl-format.js';
import { readJsonlRecords } from '../src/io/jsonl-reader.js';
import { openInput } from '../src/io/open-input.js';
import type { InputRecord, Outcome } from '../src/io/record.js';
import { collect, fixture, sliceProblems, tempDir, trickle } from './io-helpers.js';

const temp = tempDir();
afterAll(() => temp.cleanup());

function read(file: string, options: { textField?: string; startOffset?: number; startIndex?: number; gzip?: boolean } = {}) {
  const startOffset = options.startOffset ?? 0;
  return collect(
    readJsonlRecords(openInput(file, { gzip: options.gzip ?? false, startOffset }), {
      textField: options.textField ?? 'review.body',
      startOffset,
      startIndex: options.startIndex ?? 0,
    }),
  );
}

describe('readJsonlRecords', () => {
  const file = fixture('reviews.jsonl');
  const bytes = readFileSync(file);

  it('reads every kind of line with the right outcome, index and bytes', async () => {
    const records = await read(file);
    expect(records.map((r) => [r.index, r.passThrough ?? false, r.text])).toEqual([
      [0, false, { ok: true, value: 'Loved it' }],
      [1, false, { ok: true, value: 'Broke after a day' }],
      [2, true, { ok: true, value: '' }],
      [2, false, { ok: false, failure: { code: 'text_not_string', message: "field 'review.body' is a number, expected a string" } }],
      [3, false, { ok: false, failure: { code: 'invalid_json', message: 'line is not valid JSON; expected one JSON object per line' } }],
      [4, false, { ok: false, failure: { code: 'not_an_object', message: 'line is an array, expected a JSON object' } }],
      [5, false, { ok: false, failure: { code: 'missing_text_field', message: "field 'review.body' is missing" } }],
      [6, false, { ok: false, failure: { code: 'missing_text_field', message: "field 'review.body' is missing" } }],
      [7, true, { ok: true, value: '' }],
      [7, false, { ok: true, value: 'Café é fine' }],
    ]);
    expect(records[1]!.raw).toBe('{"id":2,"review":{"body":"Broke after a day"}}\r\n');
    expect(records.at(-1)!.byteEnd).toBe(bytes.length);
    expect(Buffer.concat(records.map((r) => Buffer.from(r.raw))).equals(bytes)).toBe(true);
    expect(sliceProblems(bytes, 0, records)).toEqual([]);
  });

  // Python's json.dumps writes a float NaN (pandas' missing rating, read back with json) as NaN, and infinities as
  // Infinity: not JSON. Such rows failed 'line is not valid JSON; expected one JSON object per line', with no word
  // of what in the line was not JSON, and a line that is one object looks like one.
  it('names NaN and Infinity, which Python writes and JSON has not, in the row\'s error', async () => {
    const file = temp.file('nan.jsonl', [
      '{"id": 0, "rating": NaN, "review": {"body": "good"}}',
      '{"id": 1, "rating": [1, -Infinity], "review": {"body": "good"}}',
      '{"id": 2, "review": {"body": "NaN, Infinity: just text"}, "x": }',
      '',
    ].join('\n'));
    const records = await read(file);
    const advice = ', which Python\'s json.dumps writes for a float NaN or infinity and JSON has no value for: write null instead (json.dumps(..., allow_nan=False) finds them)';
    expect(records.map((r) => r.text)).toEqual([
      { ok: false, failure: { code: 'invalid_json', message: `line is not valid JSON: it holds NaN${advice}` } },
      { ok: false, failure: { code: 'invalid_json', message: `line is not valid JSON: it holds -Infinity${advice}` } },
      { ok: false, failure: { code: 'invalid_json', message: 'line is not valid JSON; expected one JSON object per line' } },
    ]);
  });

  // A script's lines of JSON that JSON Lines has not: each object followed by a comma (a JSON array's records with its
  // brackets removed), or several objects with no line break between them (json.dumps written without "\n"). Such rows
  // failed 'line is not valid JSON; expected one JSON object per line', with no word of what was around the objects.
  it('names a comma after the object, and objects with no line break between them, in the row\'s error', async () => {
    const file = temp.file('shapes.jsonl', [
      '{"id": 0, "review": {"body": "good, fine"}},',
      '{"id": 1, "review": {"body": "a } and a { in text"}}{"id": 2, "review": {"body": "bad"}}',
      '{"id": 3, "review": {"body": "x"}} {"id"',
      '{"id": 4, "review": {"body": "x"}},,',
      '',
    ].join('\n'));
    const records = await read(file);
    expect(records.map((r) => r.text)).toEqual([
      {
        ok: false,
        failure: {
          code: 'invalid_json',
          message: "line is not valid JSON: it is an object followed by a comma, as the records of a JSON array are with its brackets removed: remove the comma after each object (e.g. sed 's/,[[:space:]]*$//' in.jsonl > fixed.jsonl)",
        },
      },
      {
        ok: false,
        failure: {
          code: 'invalid_json',
          message: 'line is not valid JSON: it holds several JSON objects one after another, with no line break between them (a script that wrote json.dumps(record) without "\\n"?): write one per line (e.g. jq -c . in.jsonl > fixed.jsonl)',
        },
      },
      // An object followed by the start of another: the same words, as jq reads what there is of the stream.
      {
        ok: false,
        failure: {
          code: 'invalid_json',
          message: 'line is not valid JSON: it holds several JSON objects one after another, with no line break between them (a script that wrote json.dumps(record) without "\\n"?): write one per line (e.g. jq -c . in.jsonl > fixed.jsonl)',
        },
      },
      { ok: false, failure: { code: 'invalid_json', message: 'line is not valid JSON; expected one JSON object per line' } },
    ]);
  });

  it('gives the same records whatever the chunk boundaries', async () => {
    const whole = await read(file);
    for (const size of [1, 2, 3, 7, 50]) {
      const records = await collect(readJsonlRecords(trickle(bytes, size), { textField: 'review.body', startOffset: 0, startIndex: 0 }));
      expect(records).toEqual(whole);
    }
  });

  it('resumes from every line boundary', async () => {
    const whole = await read(file);
    for (let k = 0; k < whole.length; k++) {
      const from = whole[k]!;
      const nextIndex = from.passThrough === true ? from.index : from.index + 1;
      expect(await read(file, { startOffset: from.byteEnd, startIndex: nextIndex })).toEqual(whole.slice(k + 1));
    }
  });

  it('reads gzip input', async () => {
    const gz = temp.file('reviews.jsonl.gz', gzipSync(bytes));
    expect(await read(gz, { gzip: true })).toEqual(await read(file));
  });

  it('says which part of a dotted path is not an object', async () => {
    const f = temp.file('nested.jsonl', '{"review":"flat"}\n{"review.body":"literal key"}\n{"review":{"body":null}}\n{"constructor":{}}');
    const records = await read(f);
    expect(records.map((r) => r.text)).toEqual([
      { ok: false, failure: { code: 'missing_text_field', message: "field 'review' is a string, not an object, so 'review.body' is missing" } },
      { ok: true, value: 'literal key' },
      // null is "no text": an empty text (the row is then skipped as empty_text), not a failure.
      { ok: true, value: '' },
      { ok: false, failure: { code: 'missing_text_field', message: "field 'review.body' is missing" } },
    ]);
    const proto = await read(f, { textField: 'constructor' });
    expect(proto[0]!.text).toMatchObject({ ok: false, failure: { code: 'missing_text_field' } });
  });

  it('strips a UTF-8 BOM for parsing but keeps it in raw', async () => {
    const f = temp.file('bom.jsonl', '\uFEFF{"text":"hi"}\n');
    const [record] = await read(f, { textField: 'text' });
    expect(record!.text).toEqual({ ok: true, value: 'hi' });
    expect(record!.raw).toBe('\uFEFF{"text":"hi"}\n');
  });

  it('takes a BOM opening a later line as the start of a joined file (cat a.jsonl b.jsonl), not as invalid JSON; raw keeps it', async () => {
    // Each export saved by a Windows tool opens with a BOM: joined, the second file's first line failed (invalid_json).
    const f = temp.file('joined.jsonl', '\uFEFF{"text":"hi"}\r\n\uFEFF{"text":"good"}\r\n\uFEFF\r\n');
    const records = await read(f, { textField: 'text' });
    expect(records.map((record) => record.text)).toEqual([
      { ok: true, value: 'hi' },
      { ok: true, value: 'good' },
      { ok: true, value: '' },
    ]);
    expect(records[1]!.raw).toBe('\uFEFF{"text":"good"}\r\n');
    // A line holding only a BOM is blank, passed through like any blank line.
    expect(records[2]!.passThrough).toBe(true);
    const outcome: Outcome = { kind: 'scored', label: 'POSITIVE', positive: 0.9, negative: 0.1 };
    expect(formatJsonlRecord(records[1]!, outcome)).toBe('\uFEFF{"text":"good","sentiment":{"label":"POSITIVE","positive":0.9,"negative":0.1}}\r\n');
  });

  it('fails on invalid UTF-8 with the byte offset', async () => {
    const f = temp.file('bad.jsonl', Buffer.concat([Buffer.from('{"text":"ok"}\n{"text":"Caf'), Buffer.from([0xe9, 0x22, 0x7d, 0x0a])]));
    const error = await read(f, { textField: 'text' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^input is not valid UTF-8 at byte 26 \(byte 0xe9 after "\{\\"text\\":\\"Caf"/);
  });

  it('rejects an empty dotted path segment at startup', () => {
    expect(() => parseDottedPath('review..body')).toThrow(ConfigError);
    expect(() => parseDottedPath('')).toThrow(/--text-field expects a field name or a dotted path/);
    expect(lookupPath({ a: { b: 'x' } }, parseDottedPath('a.b'))).toEqual({ found: true, value: 'x' });
  });
});

describe('formatJsonlRecord', () => {
  const scored: Outcome = { kind: 'scored', label: 'POSITIVE', positive: 0.9, negative: 0.1 };
  const rec = (raw: string, text: InputRecord['text'] = { ok: true, value: 'x' }): InputRecord => ({ index: 0, byteEnd: 0, raw, text });

  it('inserts the field before the final brace, keeping the original bytes and line ending', () => {
    expect(formatJsonlRecord(rec('{ "b" : 1.50, "a":"é" }\r\n'), scored)).toBe(
      '{ "b" : 1.50, "a":"é" ,"sentiment":{"label":"POSITIVE","positive":0.9,"negative":0.1}}\r\n',
    );
    expect(formatJsonlRecord(rec('{}'), { ...scored, truncated: true }, { field: 'ai' })).toBe(
      '{"ai":{"label":"POSITIVE","positive":0.9,"negative":0.1,"truncated":true}}',
    );
    expect(formatJsonlRecord(rec('{ \t}\n'), scored)).toBe('{ \t"sentiment":{"label":"POSITIVE","positive":0.9,"negative":0.1}}\n');
  });

  it('writes errors as {"error":{code,message}}', () => {
    const failure = { code: 'text_not_string', message: 'field \'t\' is a number, expected a string' };
    expect(formatJsonlRecord(rec('{"t":1,"o":{"x":[1,{}]}}\n', { ok: false, failure }), { kind: 'failed', failure })).toBe(
      '{"t":1,"o":{"x":[1,{}]},"sentiment":{"error":{"code":"text_not_string","message":"field \'t\' is a number, expected a string"}}}\n',
    );
  });

  it('wraps a line that is not a JSON object so nothing is lost', () => {
    const failure = { code: 'invalid_json', message: 'line is not valid JSON; expected one JSON object per line' };
    const out = formatJsonlRecord(rec('not "json"\r\n', { ok: false, failure }), { kind: 'failed', failure });
    expect(out).toBe(
      '{"sentiment":{"error":{"code":"invalid_json","message":"line is not valid JSON; expected one JSON object per line"}},"raw":"not \\"json\\""}\r\n',
    );
    expect(JSON.parse(out).raw).toBe('not "json"');
  });

  it("writes a scored row's field as JSON.stringify writes it, whatever the numbers (outcomeJson's written-out form)", () => {
    for (const [positive, negative] of [[0.9, 0.1], [1, 0], [-0, 1], [1.5e-7, 0.99999985], [0.30000000000000004, 0.7], [Number.NaN, Number.POSITIVE_INFINITY], [5e-324, 1]] as const) {
      for (const truncated of [undefined, false, true]) {
        for (const label of ['POSITIVE', 'NEGATIVE', 'MIXED "x"'] as const) {
          const outcome = { kind: 'scored', label, positive, negative, ...(truncated === undefined ? {} : { truncated }) } as Outcome & { kind: 'scored' };
          expect(outcomeJson(outcome)).toBe(JSON.stringify({ label, positive, negative, ...(truncated === true ? { truncated } : {}) }));
        }
      }
    }
    // The job's formatter (the field's name quoted once) writes what formatJsonlRecord writes.
    expect(jsonlRecordFormatter({ field: 'a"i' })(rec('{"x":1}\n'), scored)).toBe(formatJsonlRecord(rec('{"x":1}\n'), scored, { field: 'a"i' }));
  });

  it('returns a pass-through line unchanged', () => {
    expect(formatJsonlRecord({ ...rec('  \n'), passThrough: true }, scored)).toBe('  \n');
  });

  it('every formatted line of the fixture is JSON holding the original object plus the field', async () => {
    const records = await read(fixture('reviews.jsonl'));
    for (const record of records) {
      const outcome: Outcome = record.text.ok ? scored : { kind: 'failed', failure: record.text.failure };
      const line = formatJsonlRecord(record, outcome);
      if (record.passThrough) {
        expect(line).toBe(record.raw);
        continue;
      }
      expect(line.endsWith('\n')).toBe(record.raw.endsWith('\n'));
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (record.text.ok || !['invalid_json', 'not_an_object'].includes(record.text.failure.code)) {
        const { sentiment, ...rest } = parsed;
        expect(rest).toEqual(JSON.parse(record.raw));
        expect(sentiment).toEqual(record.text.ok ? { label: 'POSITIVE', positive: 0.9, negative: 0.1 } : { error: record.text.failure });
      } else {
        expect(parsed['raw']).toBe(record.raw.replace(/\r?\n$/, ''));
      }
    }
  });
});
