import { describe, expect, it } from 'vitest';
import { parseReportArgs } from '../src/config/report-options.js';
import { ConfigError } from '../src/errors.js';

// docs/report.md promises bounded memory ("two heaps of 5 examples each"), but --examples had no bound: --examples
// 100000 on a 200,000-row scored CSV took 510 MB of memory (116 MB with the default 5) and wrote a 42 MB page.
describe('report --examples', () => {
  const examples = (n: string) => {
    const parsed = parseReportArgs(['out.scored.csv', '--examples', n, '-o', 'r.json']);
    return parsed.help ? undefined : parsed.request.examples;
  };
  it('takes 0 to 1000 and refuses more, saying why', () => {
    expect(examples('0')).toBe(0);
    expect(examples('1000')).toBe(1000);
    expect(() => examples('100000')).toThrow(ConfigError);
    expect(() => examples('1001')).toThrow('--examples 1001: at most 1000 at each end (they are kept in memory while the file is read, and all listed on the page)');
  });
});
