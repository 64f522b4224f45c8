import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { errorMessage, InputError, thrownText } from '../src/errors.js';
import { readJsonlRecords } from '../src/io/jsonl-reader.js';
import { failureSummary } from '../src/job/summary-file.js';
import { classifyTransportError } from '../src/scoring/classify.js';
import { whyUnreadable } from '../src/wording/unreadable-file.js';

/** Values a stream or a library may reject with that have no string form: String() throws on each but the Symbol. */
const revoked = (): object => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};
const UNPRINTABLE: ReadonlyArray<[string, () => unknown]> = [
  ['an object with a null prototype', () => Object.assign(Object.create(null) as object, { code: 'E_LIB', detail: 'lost' })],
  ['an object whose toString throws', () => ({ toString: () => { throw new Error('no'); } })],
  ['a Symbol', () => Symbol('gone')],
  ['a revoked Proxy', revoked],
  ['an Error whose message getter throws', () => Object.defineProperty(new Error('x'), 'message', { get: () => { throw new Error('no'); } })],
];

/**
 * errorMessage() is called while a failure is reported (the summary, the stderr line, an InputError's wording):
 * `String(Object.create(null))` threw there, so a stream or a library that rejected with such a value turned a
 * reported failure into an uncaught TypeError. Only the scoring path had its own guard (unexpected-stop.ts).
 */
describe('errorMessage never throws', () => {
  it.each(UNPRINTABLE)('%s: some words, not an exception', (_, make) => {
    const value = make();
    expect(() => errorMessage(value)).not.toThrow();
    expect(errorMessage(value)).toMatch(/\S/);
    expect(thrownText(value)).toMatch(/\S/);
  });

  it('says what it can: fields as JSON, a Symbol by its description, the tag otherwise', () => {
    expect(errorMessage(UNPRINTABLE[0]![1]())).toBe('{"code":"E_LIB","detail":"lost"}');
    expect(errorMessage(Symbol('gone'))).toBe('Symbol(gone)');
    expect(errorMessage(UNPRINTABLE[1]![1]())).toBe('[object Object]');
    expect(errorMessage(new Error('plain'))).toBe('plain');
    expect(errorMessage('text')).toBe('text');
  });

  it('its callers that take a rejection from a stream or a library word it too', async () => {
    // A stream destroyed with such a value: the reader's InputError, not a TypeError from its wording.
    const stream = new Readable({ read() {} });
    setImmediate(() => stream.destroy(Object.create(null) as Error));
    const reading = (async () => {
      for await (const _ of readJsonlRecords(stream, { textField: 'text', startOffset: 0, startIndex: 0 })) void _;
    })();
    await expect(reading).rejects.toBeInstanceOf(InputError);
    await expect(reading).rejects.toThrow('cannot read the JSONL input: [object Object]');
    // The values that are no Error (a revoked Proxy throws at every `instanceof` too: only errorMessage is held to it).
    for (const [, make] of UNPRINTABLE.slice(0, 3)) {
      expect(failureSummary(make(), 'in.csv').message).toMatch(/\S/);
      expect(whyUnreadable(make())).toMatch(/\S/);
      // fetch rejecting with one: a transient failure of the row, not an unexpected error that stops the run.
      expect(classifyTransportError(make(), { timedOut: false, timeoutMs: 1000, aborted: false, origin: 'http://x' } as Parameters<typeof classifyTransportError>[1]).kind).toBe('retry');
    }
  });
});
