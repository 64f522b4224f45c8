import { describe, expect, it } from 'vitest';
import { parseReportArgs } from '../src/config/report-options.js';
import { ConfigError } from '../src/errors.js';

// `score - ... -o - | sentiment-batch report -` was told only that report reads a file by name: not what to do.
describe('report -', () => {
  it('says to save the records to a file and give its name', () => {
    expect(() => parseReportArgs(['-'])).toThrow(
      new ConfigError('report reads a scored file by name (it is read from disk, not standard input): save the scored records to a file (score ... -o scored.csv) and give its name'),
    );
  });
});
