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

  // newuser26: README's `report … --date date --rating rating`, given to an export whose columns are review_date and
  // star_rating (Amazon's), listed the columns and offered neither: the one column with the name as a word of its own.
  it('a name that is a word of one column\'s name gets that column; of two or more, none', () => {
    const amazon = ['review_id', 'product_id', 'star_rating', 'review_headline', 'review_body', 'review_date', 'sentiment_label'];
    const said = (name: string, flag: string, names = amazon): string => {
      try {
        columnIndex(names, name, flag);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error(`${flag} ${name} was accepted`);
    };
    expect(said('date', '--date')).toMatch(/\(did you mean 'review_date'\?\)$/);
    expect(said('rating', '--rating')).toMatch(/\(did you mean 'star_rating'\?\)$/);
    expect(said('Date', '--date', ['id', 'Review Date', 'ReviewText'])).toMatch(/\(did you mean 'Review Date'\?\)$/);
    expect(said('date', '--date', ['id', 'reviewDate', 'text'])).toMatch(/\(did you mean 'reviewDate'\?\)$/);
    // Two columns with the word: no guess between them.
    expect(said('category', '--by', ['review_id', 'main_category', 'sub_category'])).not.toMatch(/did you mean/);
    // A word inside another word is no word of the name.
    expect(said('date', '--date', ['id', 'updated', 'text'])).not.toMatch(/did you mean/);
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
    // A space separates the words of one name (newuser26: `--date Date` over `Review Date` was told to change the delimiter).
    expect(delimiterHint(['id', 'Review Date'], 'Date')).toBe('');
    expect(delimiterHint(['Date of review'], 'Date')).toBe('');
    expect(delimiterHint(['id; text; sentiment_label'], 'sentiment_label')).toBe(
      "; the column 'id; text; sentiment_label' holds the name 'sentiment_label', so the delimiter is likely wrong: give --delimiter ';'",
    );
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
