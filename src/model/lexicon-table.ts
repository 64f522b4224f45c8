/**
 * The word lexicon inside the model file (format version 3): the words as one
 * UTF-8 block joined by "\n", and their valences as float64 (the exact
 * numbers, no rounding). Loading splits one string and fills a Map: a JSON
 * object of 7,000 keys cost several times more to parse, check and convert.
 */
import type { Valences } from './lexicon.js';

export interface EncodedLexicon {
  count: number;
  words: Buffer;
  valences: Buffer;
}

/** Words in the record's order (callers sort them for a byte-stable file). */
export function encodeLexicon(valences: Readonly<Record<string, number>>): EncodedLexicon {
  const words = Object.keys(valences);
  for (const word of words) {
    if (word === '' || word.includes('\n')) throw new Error(`the lexicon word ${JSON.stringify(word)} cannot be stored (empty or with a line break)`);
  }
  const values = Float64Array.from(words, (word) => valences[word] as number);
  const bytes = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => bytes.writeDoubleLE(v, i * 8));
  return { count: words.length, words: Buffer.from(words.join('\n'), 'utf8'), valences: bytes };
}

/** Rebuilds word -> valence; throws when the counts disagree, a word is empty or repeated, or a valence is not finite. */
export function decodeLexicon(count: number, words: Uint8Array, valences: Float64Array): Valences {
  const list = count === 0 && words.length === 0 ? [] : Buffer.from(words.buffer, words.byteOffset, words.length).toString('utf8').split('\n');
  if (list.length !== count) throw new Error(`its lexicon holds ${list.length} words where its header announces ${count}`);
  const map = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const word = list[i] as string;
    const valence = valences[i] as number;
    if (word === '' || !Number.isFinite(valence)) throw new Error(`its lexicon entry ${i} has an empty word or a valence that is not a number`);
    map.set(word, valence);
  }
  if (map.size !== count) throw new Error('its lexicon lists a word twice');
  return map;
}
