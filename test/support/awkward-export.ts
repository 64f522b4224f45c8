/**
 * Seeded generator of review exports with the awkward features real ones have, for the byte-for-byte fuzz
 * (test/support/bytes-fuzz.ts): CRLF, LF, CR and mixed line endings, no final newline, a BOM, quoted fields
 * holding line breaks, quotes and the delimiter, `;`, tab, `|` and a three-byte `；` delimiter, empty and
 * whitespace-only cells and lines, ragged rows, headers repeated by `cat`, long fields, non-ASCII and astral
 * characters, backslash-escaped exports (seeds from BACKSLASH_SEEDS on), exports that quote nothing (from UNQUOTED_SEEDS on); JSONL with huge integers, duplicate keys, nested objects, `\u` escapes, shuffled keys, spaces
 * around and inside objects, BOMs opening lines, lines that are no object.
 *
 * The generator only has to produce input: what each record is, and what the output must be, is worked out
 * from the bytes alone by test/support/byte-oracle.ts, so a feature that merges two intended lines (a row
 * ended by CR followed by a blank line ended by LF is one CRLF) is judged by what the bytes say.
 *
 * It avoids what stops a job at startup on purpose (docs/input-formats.md): an unclosed quote, invalid UTF-8,
 * `sep=` or JSON as the header, a text column with only numbers, the answer field in the first 100 records.
 */
import { createRng, type Rng } from '../../src/model/rng.js';

export interface AwkwardExport {
  seed: number;
  format: 'csv' | 'jsonl';
  /** The CSV delimiter (one character, possibly of several bytes); ',' for JSONL (unused). */
  delimiter: string;
  /** The input's bytes (before any gzip). */
  bytes: Buffer;
  /** The text column(s) or field(s), as given to --text-column / --text-field. */
  textNames: string[];
  /** The file name's extension, without gzip's. */
  extension: 'csv' | 'tsv' | 'jsonl' | 'ndjson';
  /** The features this case used, for the log of a failing seed. */
  features: string[];
  /** CSV written with backslash escapes (MySQL INTO OUTFILE, pandas escapechar): run with --escape backslash. */
  escape?: 'backslash';
  /** CSV that quotes no cell, its backslash escapes MySQL's default INTO OUTFILE's: run with --quote none (and --escape backslash). */
  quote?: 'none';
}

const POSITIVE = ['great', 'lovely', 'excellent', 'amazing', 'good', 'wonderful', 'best', 'happy', 'fantastic', 'tasty'];
const NEGATIVE = ['awful', 'terrible', 'bad', 'worst', 'horrible', 'boring', 'broken', 'rude', 'cold', 'disappointing'];
const PLAIN = ['the', 'food', 'room', 'staff', 'was', 'not', 'very', 'and', 'but', 'service', 'price', 'again', 'never', 'would'];
const WORLD = ['café', 'naïve', 'Straße', 'très bien', '日本語のレビュー', 'отличный', 'ممتاز', 'שירות', 'ﬁne', 'e\u0301', '한국어', 'Ωμέγα'];
const ASTRAL = ['😀', '👍🏽', '👨‍👩‍👧', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '🇫🇷', '𠜎', '🤬'];
/** Characters JavaScript's trim() takes as white space, which a text of only them makes empty. */
const SPACES = [' ', '\t', '\u00a0', '\u3000', '\u2003', '\ufeff'];

/**
 * Seeds from here on are the CSV export of the seed BACKSLASH_SEEDS lower, the same rows, written with backslash
 * escapes as MySQL's INTO OUTFILE ... ENCLOSED BY '"' and pandas' to_csv(escapechar='\\') write them (run with --escape
 * backslash): a band of their own, so every seed below it, those the tests name among them, stays byte for byte.
 * (A JSONL seed there is that seed's JSONL export: JSON has its own escapes.)
 */
export const BACKSLASH_SEEDS = 1_000_000;

/**
 * Seeds from here on are the CSV export of the seed UNQUOTED_SEEDS lower, the same rows, written as MySQL's default
 * SELECT … INTO OUTFILE (ENCLOSED BY '' ESCAPED BY '\\') writes them, or PostgreSQL's COPY (`\n`, `\t`): no cell quoted,
 * a backslash before a backslash, the delimiter and a line break (run with --quote none --escape backslash). Their line
 * endings are LF or CRLF (a CR alone is data in that dialect). A band of its own, above the backslash one.
 */
export const UNQUOTED_SEEDS = 2_000_000;

export function awkwardExport(seed: number): AwkwardExport {
  const base = seed >= UNQUOTED_SEEDS ? seed - UNQUOTED_SEEDS : seed >= BACKSLASH_SEEDS ? seed - BACKSLASH_SEEDS : seed;
  const rng = createRng(base);
  return rng() < 0.55 ? csvExport(seed, base, rng) : jsonlExport(seed, rng);
}

// ---------------------------------------------------------------- randomness

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const int = (rng: Rng, low: number, high: number): number => low + Math.floor(rng() * (high - low + 1));
const chance = (rng: Rng, p: number): boolean => rng() < p;

/** Some words of a review, with a sentiment word in most. */
function words(rng: Rng): string {
  const count = int(rng, 1, 14);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = rng();
    out.push(r < 0.2 ? pick(rng, POSITIVE) : r < 0.4 ? pick(rng, NEGATIVE) : r < 0.75 ? pick(rng, PLAIN) : r < 0.9 ? pick(rng, WORLD) : pick(rng, ASTRAL));
  }
  return out.join(chance(rng, 0.1) ? '  ' : ' ');
}

/** A field of 5 KB to 120 KB (a review pasted many times, a log in a cell). */
function longText(rng: Rng): string {
  const unit = `${words(rng)} ${pick(rng, ASTRAL)} `;
  return unit.repeat(Math.ceil(int(rng, 5_000, 120_000) / unit.length));
}

/** A review text that may hold the awkward characters: quotes, a delimiter, line breaks, trailing spaces. */
function reviewText(rng: Rng, delimiter: string): string {
  const r = rng();
  if (r < 0.005) return longText(rng);
  let text = words(rng);
  if (chance(rng, 0.15)) text = `${text}${pick(rng, ['\n', '\r\n', '\r'])}${words(rng)}`;
  if (chance(rng, 0.1)) text = `${text}${delimiter} ${words(rng)}`;
  if (chance(rng, 0.1)) text = `5" screen, ${text} "really"`;
  if (chance(rng, 0.05)) text = `${text}${pick(rng, SPACES)}${pick(rng, SPACES)}`;
  if (chance(rng, 0.03)) text = `${text}\u0000nul`;
  if (chance(rng, 0.03)) text = `${text}\u2028line separator\u2029`;
  return text;
}

/** A blank text: empty, or only white space. */
function blankText(rng: Rng): string {
  return Array.from({ length: int(rng, 0, 3) }, () => pick(rng, SPACES)).join('');
}

// ---------------------------------------------------------------- CSV

type Ending = '\r\n' | '\n' | '\r';

function csvExport(seed: number, base: number, rng: Rng): AwkwardExport {
  const features: string[] = [];
  const delimiter = pick(rng, [',', ',', ',', ';', '\t', '|', '；']);
  const extension = delimiter === '\t' && chance(rng, 0.5) ? 'tsv' : 'csv';
  features.push(`delimiter ${JSON.stringify(delimiter)}`);
  const endingMode = pick(rng, ['lf', 'crlf', 'cr', 'mixed', 'crlf-header'] as const);
  features.push(`endings ${endingMode}`);
  // An export that quotes nothing (UNQUOTED_SEEDS) ends its lines at LF where the others end one at a CR alone.
  const unquoted = seed >= UNQUOTED_SEEDS;
  const lineEnding = (chosen: Ending): Ending => (unquoted && chosen === '\r' ? '\n' : chosen);
  const ending = (): Ending =>
    lineEnding(endingMode === 'lf' || endingMode === 'crlf-header' ? '\n' : endingMode === 'crlf' ? '\r\n' : endingMode === 'cr' ? '\r' : pick(rng, ['\r\n', '\n', '\r']));

  // Columns: an id, the text (one or two), and a few others; one column alone now and then.
  const textName = pick(rng, ['text', 'review', 'Rezension', 'avis client', '評価', 'review text ', 'body"q', 'review, full']);
  const twoTexts = chance(rng, 0.15);
  const oneColumn = !twoTexts && chance(rng, 0.1);
  const others = ['id', 'stars', 'date', 'note', 'Straße', ''].filter(() => chance(rng, 0.5));
  const columns = oneColumn ? [textName] : [...new Set(['id', ...others, ...(twoTexts ? ['title'] : []), textName])];
  // A name twice that is not the text column's (two unnamed index columns, as pandas writes them) is no ambiguity.
  if (!oneColumn && chance(rng, 0.1)) {
    columns.push(pick(rng, ['', 'note']), '');
    features.push('duplicate column names');
  }
  // A wide export: dozens or hundreds of columns around the text.
  if (!oneColumn && chance(rng, 0.05)) {
    columns.push(...Array.from({ length: int(rng, 20, 200) }, (_, i) => `c${i}`));
    features.push('wide');
  }
  if (!oneColumn) shuffle(columns, rng);
  const textNames = twoTexts ? ['title', textName] : [textName];
  if (twoTexts) features.push('two text columns');
  if (oneColumn) features.push('one column');

  // A backslash-escaped export (BACKSLASH_SEEDS): its own draws come from an rng of their own, and each cell still
  // takes the draws the RFC 4180 one takes, so its rows are its base seed's.
  const backslash = seed !== base && !unquoted;
  const escapeRng = createRng(seed);
  if (backslash) features.push('backslash-escaped');
  // MySQL writes a line break after a backslash, PostgreSQL's COPY as `\n`: one style per export.
  const letters = unquoted && chance(escapeRng, 0.3);
  if (unquoted) features.push(`unquoted (${letters ? 'COPY' : 'MySQL'} escapes)`);
  const cell = (value: string, forceQuote = false): string => {
    const written = csvCell(rng, value, delimiter, forceQuote);
    if (unquoted) return unquotedCell(value, delimiter, letters);
    return backslash ? backslashCell(value, written.startsWith('"')) : written;
  };
  const headerLine = columns.map((name) => cell(name)).join(delimiter);
  const rows: string[] = [];
  const bom = chance(rng, 0.25);
  if (bom) features.push('BOM');
  rows.push(headerLine + (endingMode === 'crlf-header' ? '\r\n' : ending()));

  const count = chance(rng, 0.03) ? 0 : chance(rng, 0.05) ? int(rng, 300, 2500) : int(rng, 1, 160);
  features.push(count === 0 ? 'header only' : `${count} rows`);
  /** The last row has fewer cells than the header: without its line ending it would be an export cut short. */
  let lastShort = false;
  // Stray quotes draw from an rng of their own, so every other feature of a seed stays as it was before they were added.
  const strayRng = createRng(base + 0x5eed);
  const strayEnding = (): Ending => lineEnding(endingMode === 'crlf' ? '\r\n' : endingMode === 'cr' ? '\r' : endingMode === 'mixed' ? pick(strayRng, ['\r\n', '\n', '\r']) : '\n');
  for (let i = 0; i < count; i++) {
    if (i > 0 && i < count - 1 && chance(strayRng, 0.004)) {
      // An export written without quoting whose review opens with a quote: it runs on into the next row, to the
      // quote there, and the two lines are one record (a failed row, stray_quote).
      const id = oneColumn ? '' : `${i}${delimiter}`;
      rows.push(`${id}"${pick(strayRng, POSITIVE)} start${strayEnding()}${id}ends${pick(strayRng, ['', ' here'])}" she said${strayEnding()}`);
      features.push('stray quote');
    }
    const r = rng();
    lastShort = false;
    // Records past the first few may be odd; the first carries a text so startup checks pass.
    if (i > 0 && r < 0.04) {
      rows.push(ending()); // a blank line
      features.push('blank line');
      continue;
    }
    if (i > 0 && r < 0.06) {
      rows.push(blankText(rng) + ' ' + ending()); // a whitespace-only line: one field
      features.push('whitespace line');
      continue;
    }
    if (i > 0 && r < 0.065) {
      const delimiters = int(rng, 1, columns.length);
      lastShort = delimiters + 1 < columns.length;
      rows.push(delimiter.repeat(delimiters) + ending()); // a line of delimiters only: empty cells
      features.push('delimiters only');
      continue;
    }
    if (i > 0 && r < 0.08) {
      rows.push((chance(rng, 0.5) ? '\ufeff' : '') + headerLine + ending()); // exports joined with cat
      features.push('repeated header');
      continue;
    }
    const values = columns.map((name) => {
      if (textNames.includes(name)) return i > 0 && chance(rng, 0.06) ? blankText(rng) : withBackslashes(backslash || unquoted ? escapeRng : undefined, reviewText(rng, delimiter));
      if (name === 'id') return String(i);
      if (name === 'stars') return chance(rng, 0.1) ? '' : String(int(rng, 1, 5));
      if (name === 'date') return `2026-0${int(rng, 1, 9)}-1${int(rng, 0, 9)}`;
      return chance(rng, 0.3) ? '' : chance(rng, 0.2) ? blankText(rng) : words(rng);
    });
    // MySQL writes NULL as \N, unquoted: a cell of no value (a text of none is skipped). Not in the first row, whose text startup reads.
    let cells = values.map((value) => {
      const written = cell(value);
      return (backslash || unquoted) && i > 0 && chance(escapeRng, 0.03) ? '\\N' : written;
    });
    if (i > 0 && chance(rng, 0.03)) {
      // ragged: a cell short or too many
      if (chance(rng, 0.5) && cells.length > 1) cells = cells.slice(0, int(rng, 1, cells.length - 1));
      else cells = [...cells, cell(words(rng))];
      features.push('ragged row');
    }
    if (i > 0 && chance(rng, 0.03) && !oneColumn) {
      // text after a quoted value's closing quote: `"good"  ` (kept whole, quotes included)
      const at = int(rng, 0, cells.length - 1);
      cells[at] = `"${words(rng).replaceAll('"', '""')}"${pick(rng, ['  ', ' x', '\t'])}`.replace(delimiter, '');
      features.push('text after closing quote');
    }
    // Spaces after the last cell (a fixed-width habit): part of that cell.
    const trailing = chance(rng, 0.02) ? pick(rng, [' ', '   ', '\t']) : '';
    if (trailing !== '') features.push('trailing spaces');
    lastShort = cells.length < columns.length;
    rows.push(cells.join(delimiter) + trailing + ending());
  }
  let text = rows.join('');
  // A complete export: a short last row keeps its line ending (without one the export is cut, a case of its own).
  if (chance(rng, 0.35) && !lastShort) {
    text = withoutFinalEnding(text);
    features.push('no final newline');
  }
  return { seed, format: 'csv', delimiter, bytes: Buffer.from((bom ? '\ufeff' : '') + text, 'utf8'), textNames, extension, features: [...new Set(features)], ...(backslash || unquoted ? { escape: 'backslash' as const } : {}), ...(unquoted ? { quote: 'none' as const } : {}) };
}

/** Now and then a backslash in a text (a Windows path, an emoticon), for a backslash-escaped export to escape. */
function withBackslashes(escapeRng: Rng | undefined, text: string): string {
  return escapeRng !== undefined && chance(escapeRng, 0.15) ? `${text} ${pick(escapeRng, ['C:\\temp\\', '\\o/', 'a \\"quote\\"', '\\'])}` : text;
}

/**
 * The value as a backslash-escaped export writes it: a quote and a backslash after a backslash, quoted where the RFC
 * 4180 export quotes it (where it must be: the delimiter, a line break; and now and then: MySQL's ENCLOSED BY quotes
 * every value, Python's csv with an escapechar, as pandas writes it, only those that must be, its quotes and
 * backslashes escaped unquoted).
 */
function backslashCell(value: string, quoted: boolean): string {
  const escaped = value.replace(/["\\]/g, (c) => `\\${c}`);
  return quoted ? `"${escaped}"` : escaped;
}

/**
 * The value as an export that quotes nothing writes it: a backslash before a backslash, the delimiter, an LF and a NUL
 * (`\0`), as MySQL's default INTO OUTFILE does (a CR as it is: MySQL's lines end at LF); with `letters`, as PostgreSQL's
 * COPY does, a line break, CR and tab as `\n`, `\r`, `\t`.
 */
function unquotedCell(value: string, delimiter: string, letters: boolean): string {
  const named: Record<string, string> = letters ? { '\n': '\\n', '\r': '\\r', '\t': '\\t' } : {};
  return [...value].map((c) => named[c] ?? (c === '\\' || c === delimiter || c === '\n' ? `\\${c}` : c === '\0' ? '\\0' : c)).join('');
}

/** The value as a CSV cell: quoted when it must be, and now and then when it need not. */
function csvCell(rng: Rng, value: string, delimiter: string, forceQuote: boolean): string {
  const mustQuote = value.includes(delimiter) || /[\r\n]/.test(value) || value.startsWith('"');
  // A quote inside an unquoted value is data (`5" screen`): left unquoted half of the time.
  const quote = forceQuote || mustQuote || (value.includes('"') ? chance(rng, 0.5) : chance(rng, 0.2));
  return quote ? `"${value.replaceAll('"', '""')}"` : value;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The text without its last line ending, if the last line is a record (not a blank line, which must end). */
function withoutFinalEnding(text: string): string {
  const stripped = text.replace(/(\r\n|\r|\n)$/, '');
  return /(\r\n|\r|\n)$/.test(stripped) || stripped === '' ? text : stripped;
}

function shuffle<T>(items: T[], rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

// ---------------------------------------------------------------- JSONL

/** A JSON string literal of `value`, escaping some characters as `\uXXXX` (astral ones as surrogate pairs) or `\/`. */
function jsonString(rng: Rng, value: string, escapeRate: number): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (code < 0x20) out += code === 10 ? '\\n' : code === 13 ? '\\r' : code === 9 ? '\\t' : `\\u${code.toString(16).padStart(4, '0')}`;
    else if (ch === '/' || (escapeRate > 0 && chance(rng, escapeRate))) {
      out += ch === '/' && chance(rng, 0.5) ? '\\/' : [...ch].length === 1 && ch.length === 2 ? `\\u${ch.charCodeAt(0).toString(16)}\\u${ch.charCodeAt(1).toString(16).toUpperCase()}` : `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** JSON whitespace to put between tokens now and then. */
const gap = (rng: Rng): string => (chance(rng, 0.85) ? '' : pick(rng, [' ', '  ', '\t', ' \t ']));

/** A JSON value that is not the text: huge integers, exponents, nested objects, arrays, literals. */
function otherValue(rng: Rng, depth = 0): string {
  const r = rng();
  if (r < 0.2) return pick(rng, ['12345678901234567890123', '-9007199254740993', '9007199254740993', '1e400', '-0', '0.1000000000000000055511151231257827', '1E-7', '3.0']);
  if (r < 0.35) return String(int(rng, 0, 100000));
  if (r < 0.5) return jsonString(rng, words(rng), 0.1);
  if (r < 0.6) return pick(rng, ['true', 'false', 'null']);
  if (r < 0.75 && depth < 3) return `[${gap(rng)}${Array.from({ length: int(rng, 0, 3) }, () => otherValue(rng, depth + 1)).join(`,${gap(rng)}`)}${gap(rng)}]`;
  if (depth < 3) return objectText(rng, Array.from({ length: int(rng, 0, 3) }, () => [pick(rng, ['a', 'b', 'sentiment', 'c.d', 'ключ', '']), otherValue(rng, depth + 1)] as [string, string]));
  return '1';
}

function objectText(rng: Rng, entries: Array<[string, string]>): string {
  if (entries.length === 0) return pick(rng, ['{}', '{ }', '{\t}']);
  const body = entries.map(([key, value]) => `${gap(rng)}${jsonString(rng, key, 0.05)}${gap(rng)}:${gap(rng)}${value}${gap(rng)}`).join(',');
  return `{${body}}`;
}

function jsonlExport(seed: number, rng: Rng): AwkwardExport {
  const features: string[] = [];
  const extension = chance(rng, 0.2) ? 'ndjson' : 'jsonl';
  const endingMode = pick(rng, ['lf', 'crlf', 'mixed'] as const);
  features.push(`endings ${endingMode}`);
  const ending = (): string => (endingMode === 'lf' ? '\n' : endingMode === 'crlf' ? '\r\n' : pick(rng, ['\n', '\r\n']));
  // The text at a top-level key, in a nested object, or at a key that itself holds the dot.
  const where = pick(rng, ['text', 'review', 'nested', 'dotted', 'two'] as const);
  features.push(`text field ${where}`);
  const textNames = where === 'nested' || where === 'dotted' ? ['review.body'] : where === 'two' ? ['title', 'text'] : [where];
  const escapeRate = chance(rng, 0.3) ? 0.2 : 0.01;

  const count = chance(rng, 0.05) ? int(rng, 300, 2500) : int(rng, 1, 160);
  features.push(`${count} lines`);
  const lines: string[] = [];
  /** The last line is no JSON: without its line ending it would be an export cut short. */
  let lastBroken = false;
  for (let i = 0; i < count; i++) {
    lastBroken = false;
    const lineBom = (i === 0 && chance(rng, 0.2)) || (i > 0 && chance(rng, 0.01)) ? '\ufeff' : '';
    if (lineBom) features.push('BOM');
    const r = rng();
    if ((i > 0 && r < 0.04) || (i === 0 && r < 0.05)) {
      lines.push(pick(rng, ['', ' ', '\t', '  \t', '\r', '\ufeff']) + ending());
      features.push('blank line');
      continue;
    }
    if (i > 0 && r < 0.05) {
      const line = pick(rng, ['[1,2]', '"just a string"', '42', 'null', '{"text":"cut off', '{"text":"a",}', 'not json at all', '{"text": "x"} {"text": "y"}']);
      lastBroken = !isJson(line);
      lines.push(lineBom + line + ending());
      features.push('not an object');
      continue;
    }
    const entries: Array<[string, string]> = [];
    const text = (): string => {
      const t = rng();
      if (i > 0 && t < 0.04) return 'null';
      if (i > 0 && t < 0.06) return pick(rng, ['5', '[]', '{"x":1}', 'true']);
      if (i > 0 && t < 0.1) return jsonString(rng, blankText(rng), escapeRate);
      // A lone surrogate, escaped: valid JSON, no valid UTF-16 (a cut emoji in an exporter's substring).
      if (t < 0.12) return `${jsonString(rng, reviewText(rng, ','), escapeRate).slice(0, -1)}\\ud83d"`;
      return jsonString(rng, reviewText(rng, ','), escapeRate);
    };
    const missing = i > 0 && chance(rng, 0.03);
    if (missing) features.push('no text field');
    if (!missing) {
      if (where === 'nested') entries.push(['review', objectText(rng, [['title', jsonString(rng, words(rng), escapeRate)], ['body', text()]])]);
      else if (where === 'dotted') {
        entries.push(['review.body', text()]);
        if (chance(rng, 0.3)) entries.push(['review', objectText(rng, [['body', jsonString(rng, 'a decoy, not the text', 0)]])]);
      } else if (where === 'two') entries.push(['title', chance(rng, 0.2) ? 'null' : jsonString(rng, words(rng), escapeRate)], ['text', text()]);
      else entries.push([where, text()]);
    }
    if (chance(rng, 0.8)) entries.push(['id', chance(rng, 0.3) ? pick(rng, ['12345678901234567890123', '9007199254740993', '-0', '1.50']) : String(i)]);
    for (let k = int(rng, 0, 3); k > 0; k--) entries.push([pick(rng, ['stars', 'meta', 'user', 'tags', 'ünïcødé', '__proto__', 'a.b']), otherValue(rng)]);
    if (chance(rng, 0.05) && entries.length > 0) {
      // A key twice: JSON.parse keeps the last value, whatever it is.
      entries.push([entries[0]![0], chance(rng, 0.5) ? entries[0]![1] : chance(rng, 0.5) ? text() : otherValue(rng)]);
      features.push('duplicate key');
    }
    // The answer field already there: refused at startup in the first 100 records, so only past them.
    if (i > 120 && chance(rng, 0.02)) {
      entries.push(['sentiment', '"old"']);
      features.push('answer field exists');
    }
    shuffle(entries, rng);
    const lead = chance(rng, 0.05) ? pick(rng, [' ', '\t', '  ']) : '';
    const trail = chance(rng, 0.05) ? pick(rng, [' ', '\t', '  ', ' \r']) : '';
    lines.push(lineBom + lead + objectText(rng, entries) + trail + ending());
  }
  let text = lines.join('');
  // A complete export: a last line that is no JSON keeps its line ending (without one the export is cut, a case of its own).
  if (chance(rng, 0.35) && /[^\r\n]\r?\n$/.test(text) && !lastBroken) {
    text = text.replace(/\r?\n$/, '');
    features.push('no final newline');
  }
  return { seed, format: 'jsonl', delimiter: ',', bytes: Buffer.from(text, 'utf8'), textNames, extension, features: [...new Set(features)] };
}
