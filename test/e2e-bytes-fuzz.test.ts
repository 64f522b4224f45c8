import { describe } from 'vitest';
import { fuzzSeeds } from './support/fuzz-seeds.js';

/**
 * "Correct to the byte" (README, docs/input-formats.md), a few seeds of the differential fuzz: awkward exports
 * (test/support/awkward-export.ts) through the built CLI, each output checked record for record by an oracle that
 * splits the input bytes itself (test/support/byte-oracle.ts). `npm run bench -- bytes-fuzz` runs hundreds of seeds.
 * These are seeds with small inputs, each run the way the seed draws (a file, gzip, standard input): a CLI run of
 * about a second each. The runs through `serve` (a mend, a kill and resume, a SIGTERM on standard output) take
 * several runs each: test/e2e-bytes-fuzz-runs.test.ts, in the slow tier.
 */
describe('byte-for-byte fuzz: a few seeds', () => {
  fuzzSeeds([
    [3, 'file'], // JSONL, CRLF, BOM, duplicate keys, lines that are no object, no final newline, --prefix 情感
    [7, 'file'], // CSV, a CRLF header over LF rows, BOM, ragged rows, text after a closing quote, trailing spaces
    [22, 'gzip'], // JSONL in gzip, a text field missing, BOMs opening lines, --limit 26
    [26, 'file'], // '|'-separated, CR-only endings, a repeated header, --limit 30
    [50, 'stdio'], // standard input to a file, CRLF, two text columns, a line of delimiters only
  ]);
});
