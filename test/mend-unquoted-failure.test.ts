import { describe, expect, it } from 'vitest';
import { formatCsvRecord } from '../src/io/csv-format.js';
import type { InputRecord, Outcome } from '../src/io/record.js';
import { isWrittenFailure } from '../src/mend/written-failure.js';

/**
 * A mend finds the rows the service failed by formatting each again with the message read back from the output
 * (mend/written-failure.ts). With --quote none that message was written escaped, never quoted (io/unquoted-cells.ts).
 */
describe('a failed row written with --quote none is found again by a mend', () => {
  it.each([',', '\t', ';'])('delimiter %j: a message holding it, a tab, a line break and a backslash', (delimiter) => {
    const options = { delimiter, escape: 'backslash' as const, quote: 'none' as const, prefix: 'sentiment', headerWidth: 2 };
    const source = { delimiter, escape: 'backslash' as const, quote: 'none' as const, formatRecord: (record: InputRecord, outcome: Outcome) => formatCsvRecord(record, outcome, options) };
    const record: InputRecord = { index: 0, byteEnd: 20, text: { ok: true, value: 'say "hi"' }, raw: `1${delimiter}say "hi"\n` };
    const message = 'upstream said: a, b;\tc\nd \\ e (gave up after 2 attempts)';
    const written = Buffer.from(source.formatRecord(record, { kind: 'failed', failure: { code: 'http_500', message, transient: true } }));
    expect(written.toString()).not.toMatch(/\n[^]/);
    expect(isWrittenFailure(source, record, 'http_500', written)).toBe(true);
    expect(isWrittenFailure(source, record, 'http_502', written)).toBe(false);
  });
});
