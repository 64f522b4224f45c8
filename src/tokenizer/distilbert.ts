import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Tokenizer } from '@huggingface/tokenizers';

import { ConfigError, errorMessage, thrownText } from '../errors.js';
import { cutPositions, nextBoundary, whitespaceChunks } from './boundaries.js';
import { alignWithReference } from './compat.js';
import { LongWords } from './long-words.js';
import { TokenizerFileError, defaultTokenizerPath } from './locate.js';

/** Positions the model sees at most (DistilBERT position embeddings). */
export const MODEL_WINDOW_TOKENS = 512;
/** [CLS] and [SEP], added around every text. */
export const SPECIAL_TOKENS = 2;
/** Word pieces of the text itself that fit in the window. */
export const MAX_WORD_PIECES = MODEL_WINDOW_TOKENS - SPECIAL_TOKENS;

export const CLS_ID = 101;
export const SEP_ID = 102;
export const UNK_ID = 100;

/** The result of {@link DistilbertTokenizer.fitToWindow}. */
export interface WindowFit {
  /** The text to send: the input itself, or its cut prefix. */
  text: string;
  /** True when `text` is a cut prefix of the input. */
  truncated: boolean;
  /** Tokens the model sees for `text`, the 2 special tokens included. */
  tokens: number;
}

// What this module uses of the library (its published types do not resolve under NodeNext).
interface LibraryTokenizer {
  encode(text: string, options?: { add_special_tokens?: boolean }): { ids: number[] };
  tokenize(text: string): string[];
  /** The BertNormalizer of tokenizer.json (null only for a tokenizer without one). */
  normalizer?: ((text: string) => string) | null;
  /** The WordPiece model: a word of more code points than this, normalized, is one [UNK]. */
  model?: { max_input_chars_per_word?: number };
  /** [PAD], [UNK], [CLS]...: read whole wherever they stand in the raw text. */
  added_tokens?: Array<{ content: string }>;
}

// Slices of this many characters keep countTokens' memory flat on a huge text, and short enough
// for the library's speed: its tokenize slows down more than linearly with its input (a 2 MB text
// in 64 KB slices took 3x as long as in 4 KB ones; smaller slices gain nothing).
const COUNT_CHUNK_CHARS = 4 * 1024;
// English averages ~4.5 characters per piece: a first prefix of 8 per piece
// usually holds the whole window, so fitToWindow tokenizes it once.
const FIRST_PREFIX_CHARS_PER_PIECE = 8;
// The cut's blocks: long enough that the library's cost per call stays small beside its cost per character, short
// enough that the binary search inside the last one is cheap (the 154 review-set texts over 512 tokens: fitToWindow
// 302-506 ms of CPU with blocks of 128 to 1,024, 1,481-1,560 ms searching the whole prefix).
const CUT_BLOCK_CHARS = 256;

/**
 * The WordPiece tokenizer of distilbert-base-uncased-finetuned-sst-2-english,
 * the model behind Workers AI's `@cf/huggingface/distilbert-sst-2-int8`.
 * Counts are the reference tokenizer's (see compat.ts for the two places the
 * JS library is corrected).
 */
export class DistilbertTokenizer {
  readonly #library: LibraryTokenizer;
  readonly #longWords: LongWords | undefined;
  readonly #addedTokens: string[] | undefined;

  constructor(library: LibraryTokenizer) {
    this.#library = library;
    this.#addedTokens = library.added_tokens?.map((token) => token.content);
    const normalizer = library.normalizer;
    const maxCharsPerWord = library.model?.max_input_chars_per_word;
    // Without either (a stand-in library in tests), every word goes to the library as it is.
    this.#longWords =
      typeof normalizer === 'function' && maxCharsPerWord !== undefined
        ? new LongWords((text) => normalizer(text), maxCharsPerWord)
        : undefined;
  }

  /** Token ids as the model receives them: [CLS]=101, the pieces, [SEP]=102. */
  encode(text: string): number[] {
    return this.#library.encode(this.#forLibrary(text)).ids;
  }

  /**
   * Tokens the model sees for `text`, [CLS] and [SEP] included (an empty text
   * counts 2). This is the count neurons and cost are computed from. Linear in
   * the text's length; a huge text is counted in slices cut at whitespace, and
   * a word the library reads as one [UNK] for its length is handed to it short
   * (long-words.ts), so memory stays bounded even without whitespace.
   */
  countTokens(text: string): number {
    let pieces = 0;
    for (const chunk of whitespaceChunks(text, COUNT_CHUNK_CHARS)) pieces += this.#countPieces(chunk);
    return pieces + SPECIAL_TOKENS;
  }

  /**
   * Fits `text` into the model's window. With more than `maxPieces` word
   * pieces, returns the longest prefix that ends after a whole word (a
   * BERT word: split at whitespace, punctuation and CJK ideographs, so no word
   * is cut mid-piece) and has at most `maxPieces` pieces; otherwise the text
   * unchanged. Only a growing prefix of the text is tokenized, so a 10 MB text
   * costs about as much as a 5 KB one; a prefix that ends inside a huge word
   * still costs little, the word being measured in slices (long-words.ts).
   * The cut is found by counting that prefix once more, in blocks (#blockCut).
   */
  fitToWindow(text: string, maxPieces: number = MAX_WORD_PIECES): WindowFit {
    if (!Number.isInteger(maxPieces) || maxPieces < 1) {
      throw new ConfigError(`fitToWindow expects maxPieces to be a positive integer, got ${String(maxPieces)}.`);
    }
    let end = Math.min(text.length, maxPieces * FIRST_PREFIX_CHARS_PER_PIECE);
    for (;;) {
      // End the prefix at a word boundary so its count is exact for those words.
      end = nextBoundary(text, end);
      const pieces = this.#countPieces(text.slice(0, end));
      if (pieces <= maxPieces && end >= text.length) {
        return { text, truncated: false, tokens: pieces + SPECIAL_TOKENS };
      }
      if (pieces > maxPieces) break;
      end = Math.min(text.length, end * 2);
    }
    const fit = this.#cut(text, end, maxPieces);
    // A copy of its own: V8's slice of a long string is a view that keeps the whole string alive, and the cut text is
    // kept past its row (the in-run dedupe's keys, the journal's entries), so every long text stayed in memory for the
    // run (4 CSV texts of 6.3 MB: the OOM killer at 128 MiB, fuzz34).
    return { ...fit, text: Buffer.from(fit.text, 'utf16le').toString('utf16le') };
  }

  // The longest prefix within text[0, limit) ending after a whole word with ≤ maxPieces pieces.
  #cut(text: string, limit: number, maxPieces: number): WindowFit {
    const ends = cutPositions(text, limit);
    const fit = this.#addedTokenIn(text, limit) ? undefined : this.#blockCut(text, ends, maxPieces);
    return fit ?? this.#searchCut(text, ends, maxPieces);
  }

  // The cut found by counting text[0, limit) once, in blocks that end after a word: a prefix ending after a word
  // has the pieces of its words (boundaries.ts), so its count is the sum of its blocks' and the search ends in the
  // one block where the sum passes maxPieces — about one tokenization of the prefix where #searchCut does ~log2 of
  // its words. Undefined when the blocks never pass maxPieces, which adding up cannot explain: #searchCut decides.
  #blockCut(text: string, ends: number[], maxPieces: number): WindowFit | undefined {
    let start = 0; // where the block starts: 0 or a cut position whose prefix fits
    let before = 0; // pieces of text[0, start)
    for (let first = 0; first < ends.length; ) {
      // The block: the cut positions ends[first..last], ending at the last within CUT_BLOCK_CHARS (at least one).
      let last = first;
      while (last + 1 < ends.length && (ends[last + 1] ?? 0) - start <= CUT_BLOCK_CHARS) last += 1;
      const blockEnd = ends[last] ?? 0;
      const pieces = this.#countPieces(text.slice(start, blockEnd));
      if (before + pieces > maxPieces) {
        // Binary search inside the block, as #searchCut does over the whole prefix.
        let best = { end: start, pieces: before };
        let low = first;
        let high = last - 1; // ends[last] is known not to fit
        while (low <= high) {
          const middle = (low + high) >> 1;
          const end = ends[middle] ?? 0;
          const total = before + this.#countPieces(text.slice(start, end));
          if (total <= maxPieces) {
            if (end > best.end) best = { end, pieces: total };
            low = middle + 1;
          } else {
            high = middle - 1;
          }
        }
        return { text: text.slice(0, best.end), truncated: true, tokens: best.pieces + SPECIAL_TOKENS };
      }
      before += pieces;
      start = blockEnd;
      first = last + 1;
    }
    return undefined;
  }

  // The cut found by a binary search over the cut positions, each prefix tokenized whole.
  #searchCut(text: string, ends: number[], maxPieces: number): WindowFit {
    // Binary search: pieces grow with the prefix. best = the longest prefix measured to fit.
    let best = { end: 0, pieces: 0 };
    let low = 0;
    let high = ends.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const end = ends[middle] ?? 0;
      const pieces = this.#countPieces(text.slice(0, end));
      if (pieces <= maxPieces) {
        if (end > best.end) best = { end, pieces };
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return { text: text.slice(0, best.end), truncated: true, tokens: best.pieces + SPECIAL_TOKENS };
  }

  // True when text[0, limit) holds an added token ([UNK], [CLS]...) as written, or this tokenizer cannot tell (a
  // stand-in library): the library reads such a token whole, so a cut inside it ("[UN") does not count as the
  // pieces of its words and block counts would not add up to the prefix's.
  #addedTokenIn(text: string, limit: number): boolean {
    if (this.#addedTokens === undefined) return true;
    const prefix = text.slice(0, limit);
    return this.#addedTokens.some((token) => prefix.includes(token));
  }

  #countPieces(text: string): number {
    return text.length === 0 ? 0 : this.#library.tokenize(this.#forLibrary(text)).length;
  }

  // The text the library tokenizes to the reference's tokens for `text`, without reading a huge word whole.
  #forLibrary(text: string): string {
    return alignWithReference(this.#longWords === undefined ? text : this.#longWords.shorten(text));
  }
}

/**
 * The package's own tokenizer, loaded at most once in a process: a --backend local run needs it for the local scorer
 * (local-scorer.ts) and for the run's window (run.ts), and loaded it twice, tokenizer_config.json opened twice and
 * tokenizer.json's 700 KB parsed twice (`strace -f -e trace=openat`). Its files ship with the package and do not change
 * under a run; the tokenizer keeps no state between calls, so one serves both.
 */
let bundled: DistilbertTokenizer | undefined;

/**
 * Loads the tokenizer from `tokenizerPath` (a tokenizer.json;
 * tokenizer_config.json is read from the same folder), by default the copy
 * shipped in the package's model/tokenizer/ (loaded once, then shared).
 */
export function loadTokenizer(tokenizerPath?: string): DistilbertTokenizer {
  if (tokenizerPath === undefined) return (bundled ??= loadTokenizerFrom(defaultTokenizerPath()));
  return loadTokenizerFrom(tokenizerPath);
}

function loadTokenizerFrom(tokenizerPath: string): DistilbertTokenizer {
  const configPath = path.join(path.dirname(tokenizerPath), 'tokenizer_config.json');
  const tokenizerJson = readJson(tokenizerPath, 'tokenizer');
  const configJson = readJson(configPath, 'tokenizer config');
  let library: LibraryTokenizer;
  try {
    library = new Tokenizer(tokenizerJson, configJson) as LibraryTokenizer;
  } catch (error) {
    throw new TokenizerFileError(
      `${tokenizerPath} is not a tokenizer the library can load (${errorMessage(error)}). ` +
        'Use the tokenizer.json shipped in model/tokenizer/.',
      { cause: error },
    );
  }
  return new DistilbertTokenizer(library);
}

function readJson(file: string, what: string): object {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TokenizerFileError(
      `Cannot read the ${what} file ${file}: ${(error as NodeJS.ErrnoException).code ?? thrownText(error)}. ` +
        'It ships in the package under model/tokenizer/; reinstall the package or pass the right path.',
      { cause: error },
    );
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not a JSON object');
    return parsed;
  } catch (error) {
    throw new TokenizerFileError(
      `The ${what} file ${file} is not valid JSON (${errorMessage(error)}). ` +
        'Restore it from the package.',
      { cause: error },
    );
  }
}
