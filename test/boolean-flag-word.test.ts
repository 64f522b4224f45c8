import { describe, expect, it } from 'vitest';
import { parseJobFlags } from '../src/config/resolve.js';
import { parseReportArgs } from '../src/config/report-options.js';
import { ConfigError } from '../src/errors.js';

// `report out.csv --day-first yes` said "report takes one scored file, got 2" (the 'yes' read as a second file), and
// `score in.csv --restart yes` said "score takes one input, got 2": neither said that the flag takes no value.
describe('a yes/no word after a flag that takes no value', () => {
  it.each([
    [['out.scored.csv', '--day-first', 'yes'], '--day-first'],
    [['--day-first', 'false', 'out.scored.csv'], '--day-first'],
  ])('report %j: says the flag takes no value', (argv, flag) => {
    expect(() => parseReportArgs(argv)).toThrow(ConfigError);
    expect(() => parseReportArgs(argv)).toThrow(`${flag} takes no value, got '${argv[argv.indexOf(flag) + 1]}': write ${flag} alone to turn it on, or leave it out`);
  });

  it('score: the same', () => {
    expect(() => parseJobFlags(['--restart', 'yes'])).toThrow("--restart takes no value, got 'yes': write --restart alone to turn it on, or leave it out");
    expect(() => parseJobFlags(['--restart', 'TRUE'])).toThrow("--restart takes no value, got 'TRUE'");
  });

  it('still takes any other word after such a flag as a file', () => {
    const parsed = parseReportArgs(['--day-first', 'out.scored.csv']);
    expect(parsed.help ? undefined : parsed.request.input).toBe('out.scored.csv');
    expect(parseJobFlags(['--restart', 'in.csv']).positionals).toEqual(['in.csv']);
  });
});
