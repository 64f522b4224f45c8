import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { columnIndex, delimiterHint } from '../src/report/columns.js';
import { runCli, tempDir } from './support/cli.js';

const columns = ['id', 'date', 'title', 'review', 'rating', 'sentiment_label', 'sentiment_positive', 'sentiment_negative', 'sentiment_truncated', 'sentiment_error'];

function refusal(name: string, flag = '--by'): string {
  try {
    columnIndex(columns, name, flag);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${flag} ${name} was accepted`);
}

// `report --by titl` was told "the column 'title' holds the name 'titl', so the delimiter is likely wrong: give
// --delimiter": a typo that is part of a column's name was taken for a header split on the wrong character.
describe('report: a column name mistyped', () => {
  it('gets a did-you-mean, as score --text-column does, not advice to change the delimiter', () => {
    expect(refusal('titl')).toBe(`--by titl: the file has no such column; columns are: ${columns.map((c) => `'${c}'`).join(', ')} (did you mean 'title'?)`);
    expect(refusal('dat', '--date')).toMatch(/\(did you mean 'date'\?\)$/);
    expect(refusal('Rating', '--rating')).toMatch(/\(did you mean 'rating'\?\)$/);
    for (const name of ['titl', 'dat', 'rat', 'Title']) expect(refusal(name)).not.toMatch(/delimiter/);
  });

  it('a name near no column gets neither', () => {
    expect(refusal('stars', '--rating')).toBe(`--rating stars: the file has no such column; columns are: ${columns.map((c) => `'${c}'`).join(', ')}`);
  });

  it('a header split on the wrong character still gets the delimiter to give', () => {
    expect(delimiterHint(['id;text;sentiment_label;sentiment_positive'], 'sentiment_label')).toBe(
      "; the column 'id;text;sentiment_label;sentiment_positive' holds the name 'sentiment_label', so the delimiter is likely wrong: give --delimiter ';'",
    );
    expect(delimiterHint(['id~text~sentiment_label'], 'sentiment_label')).toMatch(/so the delimiter is likely wrong: give --delimiter$/);
    // Part of a longer name is not a header cut wrongly.
    expect(delimiterHint(['my_sentiment_label'], 'sentiment_label')).toBe('');
    expect(delimiterHint(['title'], 'titl')).toBe('');
    expect(delimiterHint(['review-date'], 'date')).toBe('');
  });
});

describe('report on a file scored with a longer --prefix (its checkpoint not beside it)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('names the prefix to give, not a wrong delimiter', async () => {
    const scored = path.join(dir, 'copied.csv');
    writeFileSync(scored, 'id,text,my_sentiment_label,my_sentiment_positive,my_sentiment_negative,my_sentiment_truncated,my_sentiment_error\n1,good,POSITIVE,0.9,0.1,,\n');
    const result = await runCli(['report', scored, '-o', path.join(dir, 'r.html')]);
    expect(result.stderr).toMatch(/did you mean --prefix my_sentiment\?\n$/);
    expect(result.stderr).not.toMatch(/delimiter/);
    expect(result.code).toBe(3);
  });
});
