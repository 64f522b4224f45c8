import { describe, expect, it } from 'vitest';
import { parseReportArgs } from '../src/config/report-options.js';
import { ConfigError } from '../src/errors.js';

// --groups had no bound, unlike --examples: --groups 100000 --by id on a 30,000-row scored CSV with 15,000 ids wrote a
// 9.5 MB page (50 KB with the default 20; 1,000 groups: 1 MB), every counted group drawn as a bar.
describe('report --groups', () => {
  const groups = (n: string) => {
    const parsed = parseReportArgs(['out.scored.csv', '--by', 'id', '--groups', n, '-o', 'r.json']);
    return parsed.help ? undefined : parsed.request.groups;
  };
  it('takes 1 to 1000 and refuses more, saying why', () => {
    expect(groups('1')).toBe(1);
    expect(groups('1000')).toBe(1000);
    expect(() => groups('0')).toThrow(ConfigError);
    expect(() => groups('100000')).toThrow(ConfigError);
    expect(() => groups('1001')).toThrow('--groups 1001: at most 1000 groups are shown (each is a bar on the page and an entry in its JSON)');
  });
});
