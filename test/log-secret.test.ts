// pino's redaction blanks named paths one level deep (log.ts REDACT): the token inside an error's cause, a nested
// object's field not named token/authorization, or a message, went out as it was. The token the configuration read
// (process/known-secret.ts) is scrubbed from every log line written, at any level, JSON or readable.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import { rememberSecret } from '../src/process/known-secret.js';

const TOKEN = 'SBtok_LogLine_Zq8Xv3Lm9Np2Rt7Wy4Kc6Hb1';

function collected(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('log lines and the API token', () => {
  it('never hold the token read, wherever the logged object has it (a cause, a nested header, the message)', () => {
    rememberSecret(TOKEN);
    const out = collected();
    const log = createLogger('trace', out.stream);
    const err = new Error('request failed', { cause: new Error(`upstream said: Bearer ${TOKEN}`) });
    log.debug({ err, request: { headers: { 'x-auth': `Bearer ${TOKEN}` } } }, `sent with ${TOKEN}`);
    log.trace({ attempt: { detail: TOKEN } }, 'trace line');
    const text = out.text();
    expect(text.split('\n').filter(Boolean)).toHaveLength(2);
    expect(text).toContain('[redacted]');
    expect(text.includes(TOKEN), text).toBe(false);
  });
});

// JSON.stringify escapes C0 controls (ESC is \u001b) but leaves C1 ones as they are: a review's U+009B (CSI) or U+009D
// (OSC) reached `docker logs` / `kubectl logs` on a terminal raw. Written \u009b, the line is the same JSON.
describe('JSON log lines and control characters', () => {
  it('writes C1 controls and line separators as JSON escapes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sb-log-c1-'));
    try {
      const file = path.join(dir, 'log.jsonl');
      const fd = openSync(file, 'w');
      const log = createLogger('info', fd, 'json');
      log.warn({ sample: 'a\u009b31mb\u009d0;t\u009c' }, 'text \u0085\u2028 end');
      closeSync(fd);
      const text = readFileSync(file, 'utf8');
      expect(text).not.toMatch(/[\u0080-\u009f\u2028\u2029]/);
      expect(JSON.parse(text)).toMatchObject({ sample: 'a\u009b31mb\u009d0;t\u009c', msg: 'text \u0085\u2028 end' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
