/**
 * Seeded generator of mutated inputs for the input-handling differential fuzz (input-fuzz.ts): CSV and TSV with
 * quotes inside and around cells, doubled and stray quotes, CR/LF/CRLF mixes (inside quoted cells too), BOMs, Excel's
 * `sep=` line, ragged rows, blank lines, duplicate and empty header names, very long cells, NUL bytes, invalid UTF-8,
 * UTF-16, trailing delimiters, no final newline; JSONL with escapes, U+2028, surrogate pairs and lone surrogates,
 * nested objects, non-string texts, blank lines, a JSON array export, CRLF, trailing garbage, duplicate keys; gzip of
 * either, now and then cut short. Each case also names the options a user would give for it.
 *
 * Unlike awkward-export.ts (the bytes fuzz's exports, complete and well formed by design), most cases here are
 * broken on purpose: the checker judges what the CLI does with them against the documented behaviour.
 */
import { gzipSync } from 'node:zlib';
import { createRng } from '../../src/model/rng.js';

export type FuzzFormat = 'csv' | 'tsv' | 'jsonl';

export interface FuzzInput {
  seed: number;
  format: FuzzFormat;
  /** The input file's bytes (gzip-compressed when gzip). */
  bytes: Buffer;
  /** The decompressed bytes (what the oracle parses). */
  plain: Buffer;
  gzip: boolean;
  /** Options after `score FILE`, as a user would give them (--text-column, --delimiter, ...). */
  args: string[];
  delimiter: string;
  features: string[];
  /** Mutations after which the file is no valid export: the documented answer is an input error (exit 3). */
  mustRefuse: boolean;
}

/** The project's seeded generator (mulberry32, model/rng.ts): the same numbers on every machine. */
export const makeRng = createRng;

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const chance = (rng: Rng, p: number): boolean => rng() < p;
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

const WORDS = ['great', 'terrible', 'the', 'room', 'was', 'clean', 'awful', 'service', 'love', 'it', 'never', 'again', 'café', 'naïve', '很好', 'очень', '😀', '👍🏽', 'ok', 'broken', '5"', "it's", 'a;b', 'x|y', '=SUM(A1)', '-2', 'C:\\dir\\'];

function sentence(rng: Rng): string {
  const n = int(rng, 1, 12);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(pick(rng, WORDS));
  return words.join(' ');
}

/** A review text with the characters that make CSV hard now and then: quotes, delimiters, line breaks, tabs. */
function csvText(rng: Rng, delimiter: string, features: Set<string>): string {
  let text = sentence(rng);
  if (chance(rng, 0.15)) text += ` "quoted" `;
  if (chance(rng, 0.15)) text += `${delimiter} then more`;
  if (chance(rng, 0.12)) {
    const nl = pick(rng, ['\n', '\r\n', '\r']);
    text += `${nl}second line`;
    features.add(`line break in cell ${JSON.stringify(nl)}`);
  }
  if (chance(rng, 0.05)) text = '';
  if (chance(rng, 0.03)) text = '   ';
  return text;
}

function quoteCell(value: string, delimiter: string, always: boolean): string {
  if (always || value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r')) {
    return `"${value.replaceAll('"', '""')}"`;
  }
  return value;
}

/** The raw bytes of one string as the export writes them (a NUL, an invalid byte inserted where the case asks). */
const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

export function generateInput(seed: number, only?: FuzzFormat): FuzzInput {
  const rng = makeRng(seed * 2654435761);
  const format = only ?? pick(rng, ['csv', 'csv', 'tsv', 'jsonl', 'jsonl'] as const);
  const made = format === 'jsonl' ? jsonlCase(rng) : csvCase(rng, format);
  let plain = made.plain;
  const features = made.features;
  let mustRefuse = made.mustRefuse;
  // Byte-level mutations, common to every format. Havoc and a cut may take away what made the input no export.
  if (chance(rng, 0.3) && plain.length > 0) {
    plain = havoc(rng, plain, made.delimiter || ',', features);
    mustRefuse = false;
  }
  if (chance(rng, 0.05) && plain.length > 20) {
    const at = int(rng, 0, plain.length - 1);
    plain = Buffer.concat([plain.subarray(0, at), Buffer.from([pick(rng, [0xff, 0xc3, 0xe9, 0x80, 0xed])]), plain.subarray(at)]);
    features.add(`invalid UTF-8 at byte ${at}`);
    mustRefuse = true;
  }
  if (chance(rng, 0.03)) {
    const le = chance(rng, 0.5);
    const text = plain.toString('utf8').replace(/^\ufeff/, '');
    const u16 = Buffer.from(text, 'utf16le');
    if (!le) u16.swap16();
    plain = Buffer.concat([Buffer.from(le ? [0xff, 0xfe] : [0xfe, 0xff]), u16]);
    features.add(`UTF-16${le ? 'LE' : 'BE'} with BOM`);
    mustRefuse = true;
  }
  if (chance(rng, 0.04) && plain.length > 10) {
    const at = int(rng, 1, plain.length - 1);
    plain = plain.subarray(0, at);
    features.add(`cut short at byte ${at}`);
    mustRefuse = false;
  }
  let bytes = plain;
  const gzip = chance(rng, 0.2);
  if (gzip) {
    bytes = gzipSync(plain);
    features.add('gzip');
    if (chance(rng, 0.15)) {
      const at = int(rng, 10, Math.max(10, bytes.length - 1));
      bytes = bytes.subarray(0, at);
      features.add(`gzip cut at ${at} of ${gzipSync(plain).length}`);
      mustRefuse = true;
    }
  }
  return { seed, format, bytes, plain, gzip, args: made.args, delimiter: made.delimiter, features: [...features], mustRefuse };
}

/**
 * A few structural characters inserted, deleted or swapped at random places (at character boundaries, so the file
 * stays UTF-8): the inputs no exporter writes on purpose, where the reader and csv-parse are most likely to part.
 */
function havoc(rng: Rng, plain: Buffer, delimiter: string, features: Set<string>): Buffer {
  const chars = [...plain.toString('utf8')];
  const specials = ['"', '""', delimiter, '\r', '\n', '\r\n', '\t', '\0', '\ufeff', '\\', '{', '}', '[', ':', '\u2028', ' '];
  const n = int(rng, 1, 4);
  for (let i = 0; i < n; i++) {
    const at = int(rng, 0, chars.length);
    const roll = rng();
    const what = pick(rng, specials);
    if (roll < 0.5) chars.splice(at, 0, what);
    else if (roll < 0.8 && at < chars.length) {
      const gone = chars.splice(at, 1)[0] ?? '';
      features.add(`havoc: deleted ${JSON.stringify(gone)} at char ${at}`);
      continue;
    } else chars.splice(at, 1, what);
    features.add(`havoc: ${JSON.stringify(what)} at char ${at}`);
  }
  return utf8(chars.join(''));
}

/** Read-block sizes of the readers and pipes (64 KiB file and pipe reads, 16 KiB of gunzip's output) and their multiples. */
const BOUNDARIES = [16_384, 32_768, 65_536, 131_072];

/**
 * A filler row `head + pad + seq + tail` whose pad puts byte `split` of seq (a CRLF, a multi-byte character, a doubled
 * quote...) just past a read-block boundary: the reader must join what one block ends and the next begins.
 */
function straddle(rng: Rng, at: number, head: string, seq: string, tail: string, features: Set<string>, split?: number): string {
  const start = at + Buffer.byteLength(head);
  const boundary = pick(rng, BOUNDARIES.filter((b) => b > start + 8));
  const seqBytes = Buffer.byteLength(seq);
  const k = split ?? (seqBytes > 1 ? int(rng, 1, seqBytes - 1) : int(rng, 0, 1));
  const padLength = boundary - k - start;
  const pad = 'great fun '.repeat(Math.ceil(padLength / 10)).slice(0, padLength);
  features.add(`${JSON.stringify(seq)} across byte ${boundary}`);
  return head + pad + seq + tail;
}

interface Made {
  plain: Buffer;
  args: string[];
  delimiter: string;
  features: Set<string>;
  mustRefuse: boolean;
}

function csvCase(rng: Rng, format: 'csv' | 'tsv'): Made {
  const features = new Set<string>();
  const args: string[] = [];
  let delimiter = format === 'tsv' ? '\t' : ',';
  if (format === 'csv' && chance(rng, 0.2)) {
    delimiter = pick(rng, [';', '|', '；']);
    args.push('--delimiter', delimiter);
    features.add(`delimiter ${delimiter}`);
  }
  let mustRefuse = false;
  const textName = chance(rng, 0.6) ? 'text' : pick(rng, ['review', 'Review Text', 'body"x', 'körper']);
  // Now and then a title beside the review, both named (an app store's export): the texts joined.
  const titled = chance(rng, 0.1);
  if (titled) {
    args.push('--text-column', 'title', '--text-column', textName);
    features.add('two text columns');
  } else if (textName !== 'text') args.push('--text-column', textName);
  const names = [textName];
  if (titled) names.unshift('title');
  if (chance(rng, 0.8)) names.unshift('id');
  if (chance(rng, 0.4)) names.push('rating');
  if (chance(rng, 0.08)) {
    names.splice(int(rng, 0, names.length), 0, pick(rng, names));
    features.add('duplicate header name');
  }
  if (chance(rng, 0.08)) {
    names.splice(int(rng, 0, names.length), 0, '');
    features.add('empty header name');
  }
  const textAt = names.indexOf(textName);
  const quoteAll = chance(rng, 0.2);
  const eolStyle = pick(rng, ['\n', '\r\n', '\r', 'mix'] as const);
  const eol = (): string => (eolStyle === 'mix' ? pick(rng, ['\n', '\r\n', '\r']) : eolStyle);
  features.add(`eol ${JSON.stringify(eolStyle)}`);
  const trailingDelimiter = chance(rng, 0.05);
  if (trailingDelimiter) features.add('trailing delimiter on every line');
  const lines: Buffer[] = [];
  if (chance(rng, 0.1)) {
    lines.push(utf8('\ufeff'));
    features.add('BOM');
  }
  if (chance(rng, 0.04)) {
    lines.push(utf8(`${chance(rng, 0.3) ? '"sep=;"' : 'sep=;'}${eol()}`));
    features.add('sep= line');
    mustRefuse = true;
  }
  const line = (cells: string[]): string => cells.map((c) => quoteCell(c, delimiter, quoteAll)).join(delimiter) + (trailingDelimiter ? delimiter : '');
  let header = line(names);
  if (chance(rng, 0.03)) {
    header = header.replace(/^(.)/, '$1\0');
    features.add('NUL in header');
    mustRefuse = true;
  }
  lines.push(utf8(header + eol()));
  if (chance(rng, 0.15)) {
    const at = Buffer.concat(lines).length;
    const zeros = (n: number): string => Array<string>(n).fill('0').map((z) => z + delimiter).join('');
    const filler = chance(rng, 0.3)
      ? straddle(rng, at, zeros(names.length - 1), `${eol() === '\r' ? '\r' : '\r\n'}`, '', features, 1)
      : straddle(rng, at, `${zeros(textAt)}"`, pick(rng, ['\r\n', '\r', '\n', '€', '😀', '""']), `"${names.slice(textAt + 1).map(() => delimiter + '0').join('')}${eol()}`, features);
    lines.push(utf8(filler));
  }
  const rows = chance(rng, 0.05) ? 0 : int(rng, 1, 25);
  for (let r = 0; r < rows; r++) {
    const cell = (name: string, i: number): string => (i === textAt ? csvText(rng, delimiter, features) : name === 'title' ? pick(rng, ['Great', '', '  ', 'Meh "ok"', 'Nope\nnever']) : name === 'rating' ? String(int(rng, 1, 5)) : String(r + 1));
    const cells = names.map(cell);
    let raw = line(cells);
    const roll = rng();
    if (roll < 0.04) {
      raw += `${delimiter}extra`;
      features.add('ragged row (long)');
    } else if (roll < 0.08 && cells.length > 1) {
      raw = line(cells.slice(0, -1));
      features.add('ragged row (short)');
    } else if (roll < 0.11) {
      raw = raw.replace(/(^|[^"])([a-z])/, '$1$2"'); // a quote inside an unquoted value
      features.add('stray quote inside a value');
    } else if (roll < 0.13) {
      raw = `${cells.slice(0, textAt).map((c) => quoteCell(c, delimiter, false)).concat([`"${cells[textAt] ?? ''}`]).join(delimiter)}`;
      features.add('stray quote opening a cell');
    } else if (roll < 0.15) {
      const last = (cells[cells.length - 1] ?? '').replaceAll('"', '');
      raw = [...cells.slice(0, -1).map((c) => quoteCell(c, delimiter, quoteAll)), `"${last}"  `].join(delimiter);
      features.add('text after a closing quote');
    } else if (roll < 0.17) {
      raw = raw.replace(/([a-z])/, '$1\0');
      features.add('NUL in a cell');
    } else if (roll < 0.19) {
      const long = 'great '.repeat(int(rng, 2000, chance(rng, 0.2) ? 200_000 : 20_000));
      raw = line(names.map((_, i) => (i === textAt ? long : String(r + 1))));
      features.add(`long cell (${long.length} chars)`);
    } else if (roll < 0.2) {
      raw = line(names);
      features.add('repeated header');
    }
    lines.push(utf8(raw + eol()));
    if (chance(rng, 0.05)) {
      lines.push(utf8(pick(rng, ['\n', '\r\n', '\r', ' \n'])));
      features.add('blank line');
    }
  }
  let plain = Buffer.concat(lines);
  if (chance(rng, 0.15) && rows > 0) {
    plain = plain.subarray(0, plain.length - (plain.subarray(-2).toString() === '\r\n' ? 2 : 1));
    features.add('no final newline');
  }
  if (chance(rng, 0.03)) {
    plain = Buffer.concat([plain, utf8(`${rows + 1}${delimiter}"never closed${eol()}and more`)]);
    features.add('unterminated quote at the end');
    mustRefuse = true;
  }
  return { plain, args, delimiter, features, mustRefuse };
}

/** A JSON string literal with the awkward spellings: \u escapes, escaped surrogate pairs, lone surrogates, raw U+2028. */
function jsonText(rng: Rng, features: Set<string>): string {
  let literal = JSON.stringify(sentence(rng));
  const roll = rng();
  const add = (s: string, what: string): void => {
    literal = `${literal.slice(0, -1)}${s}"`;
    features.add(what);
  };
  if (roll < 0.08) add('\\u00e9t\\u00E9', '\\u escapes');
  else if (roll < 0.14) add('\\ud83d\\ude00', 'escaped surrogate pair');
  else if (roll < 0.18) add(pick(rng, ['\\ud800', '\\udfff x', '\\ude00\\ud83d']), 'escaped lone surrogate');
  else if (roll < 0.24) add('\u2028\u2029', 'raw U+2028/U+2029');
  else if (roll < 0.28) add('\\n\\r\\t\\"\\\\\\/\\b\\f', 'escapes');
  else if (roll < 0.3) add('\\u0000', 'escaped NUL');
  return literal;
}

function jsonlCase(rng: Rng): Made {
  const features = new Set<string>();
  const args: string[] = [];
  let mustRefuse = false;
  const nested = chance(rng, 0.2);
  const field = nested ? 'review.body' : chance(rng, 0.7) ? 'text' : 'review';
  const titled = chance(rng, 0.1);
  if (titled) {
    args.push('--text-field', 'title', '--text-field', field);
    features.add('two text fields');
  } else if (field !== 'text') args.push('--text-field', field);
  const crlf = chance(rng, 0.2);
  if (crlf) features.add('CRLF');
  const eol = (): string => (crlf ? '\r\n' : '\n');
  const records: string[] = [];
  const bom = chance(rng, 0.08);
  if (chance(rng, 0.15)) {
    const head = nested ? '{"id":0,"review":{"body":"' : `{"id":0,"${field}":"`;
    const close = nested ? '"}}' : '"}';
    const filler = chance(rng, 0.3)
      ? straddle(rng, bom ? 3 : 0, head, `${close}${crlf ? '\r\n' : '\n'}`, '', features, close.length + (crlf ? 1 : 0))
      : straddle(rng, bom ? 3 : 0, head, pick(rng, ['\u2028', '😀', '\\"', '\ufeff', 'é']), `${close}${eol()}`, features);
    records.push(filler.replace(/\r?\n$/, ""));
  }
  const n = int(rng, 1, 25);
  for (let i = 0; i < n; i++) {
    const text = jsonText(rng, features);
    const value = nested ? `{"title":"t","body":${text}}` : text;
    const key = nested ? 'review' : field;
    const parts = [`"id":${i + 1}`, `"${key}":${value}`];
    if (titled && chance(rng, 0.8)) parts.push(`"title":${pick(rng, ['"Great"', '""', '" "', 'null', '"Meh \\"ok\\""', '"a\\nb"'])}`);
    if (chance(rng, 0.3)) parts.push(`"meta":{"a":[1,{"b":null}],"c":"x"}`);
    if (chance(rng, 0.3)) parts.reverse();
    let rec = `{${parts.join(chance(rng, 0.2) ? ' , ' : ',')}}`;
    const roll = rng();
    if (roll < 0.04) {
      rec = `{"id":${i + 1},"${key}":${pick(rng, ['5', 'true', 'null', '{"x":1}', '["a"]', '1e400'])}}`;
      features.add('non-string text');
    } else if (roll < 0.07) {
      rec = `{"id":${i + 1},"${key}":"first","${key}":${value}}`;
      features.add('duplicate key');
    } else if (roll < 0.1) {
      rec += pick(rng, [' x', '}', ',', ' {"a":1}']);
      features.add('trailing garbage');
    } else if (roll < 0.12) {
      rec = pick(rng, ['[1,2]', '"a string"', '42', 'null', 'not json']);
      features.add('not an object');
    } else if (roll < 0.14) {
      rec = `${rec}   `;
      features.add('trailing spaces');
    } else if (roll < 0.16) {
      rec = `{"id":${i + 1}}`;
      features.add('text field left out');
    } else if (roll < 0.17) {
      rec = '{}';
      features.add('empty object');
    } else if (roll < 0.19) {
      rec = `\ufeff${rec}`;
      features.add('BOM inside');
    } else if (roll < 0.2) {
      rec = rec.replace(/([a-z])/, '$1\0');
      features.add('raw NUL');
    }
    records.push(rec);
    if (chance(rng, 0.06)) {
      records.push(pick(rng, ['', '  ', '\t']));
      features.add('blank line');
    }
  }
  let text: string;
  if (chance(rng, 0.04)) {
    // A JSON array export: on one line, or pretty.
    const objs = records.filter((r) => r.startsWith('{'));
    text = chance(rng, 0.5) ? `[${objs.join(',')}]${eol()}` : `[${eol()}${objs.map((o) => `  ${o}`).join(`,${eol()}`)}${eol()}]${eol()}`;
    features.add('JSON array export');
  } else {
    text = records.map((r) => r + eol()).join('');
  }
  if (bom) {
    text = `\ufeff${text}`;
    features.add('BOM');
  }
  if (chance(rng, 0.15)) {
    text = text.replace(/\r?\n$/, '');
    features.add('no final newline');
  }
  return { plain: utf8(text), args, delimiter: '', features, mustRefuse };
}
