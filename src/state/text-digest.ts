import type { Hash } from 'node:crypto';

/** A lone surrogate: in a `u` regex a paired one is part of its code point and is not matched. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Opens the bytes fed for a text with a lone surrogate: 0xFF is in no UTF-8, so no well-formed text feeds it. */
const LONE_MARK = Buffer.from([0xff]);

/**
 * Feeds `text` to `hash` so that two different texts never feed the same bytes: the key of the result cache and of
 * `<output>.answers` (cache-codec.ts), of a long text among the run's duplicates (job/dedupe.ts), and of a text
 * `estimate` and the report count once. `hash.update(string)` encodes UTF-8, which writes each lone surrogate (a JSONL
 * `"\udfff\ud800"`: a pair cut apart, or written in the wrong order) as U+FFFD, so `bad \udfff\ud800` and
 * `bad \ufffd\ufffd`, two texts the model scores differently, had one key and a cache hit served one's answer for the
 * other. A well-formed text is fed as before, its UTF-8 (a cache written earlier is still hit); one with a lone
 * surrogate, 0xFF then its UTF-16 code units, which keep every surrogate as it is.
 */
export function updateWithText(hash: Hash, text: string): Hash {
  if (!LONE_SURROGATE.test(text)) return hash.update(text, 'utf8');
  return hash.update(LONE_MARK).update(Buffer.from(text, 'utf16le'));
}
