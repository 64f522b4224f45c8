import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../src/log-pretty.js';
import { resolveLogFormat } from '../src/log.js';

describe('readable log lines', () => {
  it('turns a pino JSON line into time, level, message and fields', () => {
    const line = JSON.stringify({ level: 40, time: Date.UTC(2026, 11, 1, 14, 3, 7), msg: 'lost the connection to Redis', redis: 'redis://[redacted]@host', attempts: 3, detail: 'two words' });
    expect(formatLogLine(line)).toBe('14:03:07 WARN  lost the connection to Redis redis=redis://[redacted]@host attempts=3 detail="two words"');
  });

  // The readable lines are the default on a terminal, and a message may quote a review or a column name of the export
  // (the HTML-in-the-text warning shows the first such text): an escape sequence there cleared the screen, set the
  // window title or coloured what followed, as the export's author chose. Written as escapes, as the final line does.
  it('writes control characters of the message and of field values as escapes, so the export cannot drive the terminal', () => {
    const line = JSON.stringify({ level: 40, time: Date.UTC(2026, 11, 1, 14, 3, 7), msg: "holds HTML ('<b>x</b> \u001b]0;PWNED\u0007\u001b[2J\u009b31m')", column: 'grp\u001b[31m\u009d0;t\u009c' });
    const text = formatLogLine(line);
    expect(text).toBe("14:03:07 WARN  holds HTML ('<b>x</b> \\u001b]0;PWNED\\u0007\\u001b[2J\\u009b31m') column=grp\\u001b[31m\\u009d0;t\\u009c");
    expect(text).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);
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
