import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../src/log-pretty.js';
import { resolveLogFormat } from '../src/log.js';

describe('readable log lines', () => {
  it('turns a pino JSON line into time, level, message and fields', () => {
    const line = JSON.stringify({ level: 40, time: Date.UTC(2026, 11, 1, 14, 3, 7), msg: 'lost the connection to Redis', redis: 'redis://[redacted]@host', attempts: 3, detail: 'two words' });
    expect(formatLogLine(line)).toBe('14:03:07 WARN  lost the connection to Redis redis=redis://[redacted]@host attempts=3 detail="two words"');
  });

  it('passes a line that is not JSON through unchanged', () => {
    expect(formatLogLine('not json')).toBe('not json');
  });

  it('is the default on a terminal only; json and pretty force it either way', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });
});
