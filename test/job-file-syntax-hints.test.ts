import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJobFile } from '../src/config/resolve.js';
import { tempDir } from './support/cli.js';

// A job file edited by hand between two nights. Each of these edits got only the parser's words and a place
// ('Expected double-quoted property name … (line 4, column 3)', 'Unexpected end of JSON input'), which say what the
// parser met, not what the person did nor what to do about it.
describe('job file syntax errors say what to do', () => {
  let dir: ReturnType<typeof tempDir>;
  let job: string;
  beforeEach(() => {
    dir = tempDir();
    job = path.join(dir.dir, 'job.json');
  });
  afterEach(() => dir.cleanup());

  const refused = (text: string): string => {
    writeFileSync(job, text);
    try {
      readJobFile(job);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('the job file was read');
  };

  it('a comment on a line of its own, after a value, or on the first line', () => {
    expect(refused('{\n  "input": "x.csv",\n  // nightly\n  "textColumn": "review"\n}\n')).toMatch(
      /\(line 3, column 3\): JSON allows no comments: remove the comment on line 3, or keep the note as "description": "…", a key the job ignores$/,
    );
    expect(refused('{\n  "input": "x.csv",\n  "rpm": 100 /* was 2000 */\n}\n')).toMatch(/: JSON allows no comments: remove the comment on line 3, or keep/);
    expect(refused('// nightly job\n{"input": "x.csv"}\n')).toMatch(/: JSON allows no comments: remove the comment on line 1, or keep/);
    // A '//' inside a string is no comment: a URL reads as it did.
    writeFileSync(job, '{"input": "x.csv", "baseUrl": "http://127.0.0.1:9/client/v4"}');
    expect(readJobFile(job)).toMatchObject({ baseUrl: 'http://127.0.0.1:9/client/v4' });
  });

  it('a comma left out between two entries names the line it belongs at the end of', () => {
    expect(refused('{\n  "input": "x.csv"\n  "textColumn": "review"\n}\n')).toMatch(
      /\(line 3, column 3\): a comma is missing at the end of line 2, before the next entry; add it$/,
    );
    expect(refused('{"input": "x.csv", "rpm": 100 "limit": 5}')).toMatch(/: a comma is missing at the end of line 1, before the next entry; add it$/);
  });

  it('a file cut short, or whose closing brace was deleted, says so', () => {
    expect(refused('{\n  "input": "x.csv",\n  "textColumn": "review"\n')).toMatch(
      /: the file ends before the JSON does: add the closing } \(or ]\) it lacks, or restore the file if it was cut short$/,
    );
  });

  it('an empty file says it is empty', () => {
    expect(refused('')).toBe(`job file ${job} is not valid JSON: it is empty (0 bytes): write the job's settings in it as a JSON object ({"input": …, "textColumn": …}), or restore it if it was cut short`);
    expect(refused(' \n\n')).toMatch(/is not valid JSON: it is empty \(only white space\): write the job's settings/);
  });

  it('single quotes and a Windows path with backslashes say what JSON takes instead', () => {
    expect(refused("{'input': 'x.csv'}")).toMatch(/: JSON takes double quotes \("input"\), not single ones$/);
    expect(refused('{"input": "C:\\data\\x.csv"}')).toMatch(
      /: a backslash in a JSON string begins an escape \(\\n, \\"\): write each one twice \(C:\\\\data\) or use \/ instead$/,
    );
  });

  // A closing quote deleted: the string runs on to the line's end (a line break in a string is what the parser meets), or
  // to the file's end, which was said as a missing closing brace.
  it('a string left without its closing quote names its line', () => {
    expect(refused('{\n  "input": "x.csv,\n  "textColumn": "review"\n}\n')).toMatch(/: the string on line 2 has no closing quote: add the " that ends it$/);
    expect(refused('{"input": "x.csv')).toMatch(/: the string on line 1 has no closing quote: add the " that ends it$/);
  });
});
