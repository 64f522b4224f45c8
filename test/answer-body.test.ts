// How a body's Content-Encoding and Content-Type are read (answer-body.ts), past the single codings workers-ai.test.ts
// serves: the header as gateways write it (upper case, a list, `identity`, `x-gzip`, raw deflate), and a charset label
// this runtime does not know. Each a 200 holding the model's answer, paid for: misread, every row fails bad_answer.
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bodyText } from '../src/scoring/answer-body.js';

const ANSWER = '{"result":[{"label":"POSITIVE","score":0.75}],"success":true}';
const LIMIT = 1 << 20;

describe('bodyText reads Content-Encoding as gateways write it', () => {
  it.each([
    ['identity', Buffer.from(ANSWER)],
    ['GZIP', gzipSync(ANSWER)],
    ['x-gzip', gzipSync(ANSWER)],
    // Raw deflate (no zlib wrapper), as some servers send "deflate".
    ['deflate', deflateRawSync(ANSWER)],
    // Codings are listed in the order applied: deflate first, then gzip; spaces after the comma as usual.
    ['deflate,  gzip', gzipSync(deflateSync(ANSWER))],
    ['gzip, identity', gzipSync(ANSWER)],
  ])('%s', async (encoding, bytes) => {
    expect(await bodyText(bytes, { 'content-encoding': encoding }, LIMIT)).toEqual({ text: ANSWER });
  });
});

describe('bodyText reads the Content-Type charset', () => {
  it('whatever the case of its parameter name', async () => {
    const bytes = Buffer.from(`\ufeff${ANSWER}`, 'utf16le');
    expect(await bodyText(bytes, { 'content-type': 'application/json; Charset=UTF-16LE' }, LIMIT)).toEqual({ text: ANSWER });
  });

  // charset=utf-16 is read little-endian unless a byte order mark says otherwise (WHATWG Encoding's decode, RFC 2781
  // 4.3): a big-endian body with its mark FE FF was read as CJK noise, "not JSON", every row bad_answer.
  it.each([
    ['big-endian, its byte order mark FE FF', Buffer.from(`\ufeff${ANSWER}`, 'utf16le').swap16()],
    ['little-endian, its byte order mark FF FE', Buffer.from(`\ufeff${ANSWER}`, 'utf16le')],
    ['little-endian, no byte order mark', Buffer.from(ANSWER, 'utf16le')],
  ])('utf-16: %s', async (_, bytes) => {
    expect(await bodyText(bytes, { 'content-type': 'application/json; charset=utf-16' }, LIMIT)).toEqual({ text: ANSWER });
  });

  it('as UTF-8 when it names one this runtime does not know', async () => {
    expect(await bodyText(Buffer.from(ANSWER), { 'content-type': 'application/json; charset=no-such-charset' }, LIMIT)).toEqual({ text: ANSWER });
  });
});
