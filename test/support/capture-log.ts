import { Writable } from 'node:stream';
import { createLogger } from '../../src/log.js';

export type LogLine = { level: number; msg: string } & Record<string, unknown>;

/**
 * A JSON logger that writes into memory (at `level` and above), and its lines read back: parsed, or their messages
 * alone. Read them once the code under test has logged (pino writes to a stream as it logs).
 */
export function captureLog(level = 'debug'): { log: ReturnType<typeof createLogger>; lines: () => LogLine[]; messages: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const lines = (): LogLine[] =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LogLine);
  return { log: createLogger(level, stream), lines, messages: () => lines().map((line) => line.msg) };
}
