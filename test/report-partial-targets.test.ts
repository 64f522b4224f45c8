import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseReportArgs } from '../src/config/report-options.js';
import { ConfigError } from '../src/errors.js';

// `report out.scored.csv.partial` (the advice report gives for an unfinished run) with `-o out.scored.csv.checkpoint.json`
// wrote the report over the unfinished run's checkpoint (seen on the Yelp export killed mid-run: the next report of the
// partial output could no longer tell its format); `-o out.scored.csv.journal` (a name of no format, written as HTML)
// would have replaced the journal of answers paid for. Only the files beside the partial output's own name were refused.
describe('report of a partial output or a gzip copy: -o may not name its job\'s files', () => {
  let dir: string;
  let out: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-report-partial-targets-'));
    out = path.join(dir, 'out.scored.csv');
    writeFileSync(`${out}.partial`, 'x');
    writeFileSync(`${out}.checkpoint.json`, '{}');
    writeFileSync(`${out}.journal`, 'x');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const parse = (input: string, target: string) => () => parseReportArgs([input, '-o', target]);

  it('refuses the checkpoint, journal, failed-rows list, lock and answer store of the output it stands for, and that output', () => {
    for (const input of [`${out}.partial`, `${out}.gz`]) {
      for (const [side, role] of [
        ['.checkpoint.json', 'the checkpoint'],
        ['.journal', 'the answer journal'],
        ['.failed-rows', 'the failed-rows list'],
        ['.lock', 'the lock'],
        ['.answers', 'the answer store'],
      ]) {
        expect(parse(input, `${out}${side}`)).toThrow(ConfigError);
        expect(parse(input, `${out}${side}`)).toThrow(`-o ${out}${side} would overwrite ${role} of the scored file's job; choose another path`);
      }
    }
    const bare = path.join(dir, 'nightly');
    expect(parse(`${bare}.partial`, bare)).toThrow(`-o ${bare} would overwrite the output of the scored file's job; choose another path`);
  });

  it('other names are taken as before', () => {
    const parsed = parseReportArgs([`${out}.partial`, '-o', path.join(dir, 'report.html')]);
    expect(parsed.help ? undefined : parsed.request.output).toBe(path.join(dir, 'report.html'));
  });
});
