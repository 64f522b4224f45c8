import { describe } from 'vitest';
import { fuzzSeeds } from './support/fuzz-seeds.js';

/**
 * Seeds of the byte-for-byte fuzz (test/e2e-bytes-fuzz.test.ts) that take several CLI runs each, through a local
 * Workers AI: a service failing some requests and the mend after it, a run cut by SIGKILL or SIGTERM and resumed, a
 * run writing to standard output stopped by SIGTERM (what it wrote must end at a record's end). Each output is
 * checked by the oracle, and a mended or resumed one against a run that saw no fault, byte for byte. Slow tier.
 */
describe('byte-for-byte fuzz: seeds that mend, resume and stop', () => {
  fuzzSeeds([
    [15, 'serve'], // CR-only endings, BOM, two unnamed columns, ragged rows, --prefix a,b: failed rows, then mended
    [43, 'serve'], // JSONL, CRLF, BOM, no final newline, --prefix x
    [46, 'kill'], // '；'-separated (three bytes), CR-only endings, a repeated header: cut by SIGKILL, resumed
    [6, 'kill'], // one column, BOM, mixed endings, a repeated header: cut by SIGTERM, resumed
    [37, 'stdio'], // '；'-separated, standard input to standard output, stopped by SIGTERM
    // 8 rows, one column, mixed endings: the SIGTERM came as the run completed and ended the process with 143 in Node's
    // teardown while its summary said 0 (the named test: e2e-second-signal.test.ts); also seeds 7295 and 7315.
    [7185, 'stdio'],
  ]);
});
