import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJobFlags, resolveSettings } from '../src/config/resolve.js';
import { openSource } from '../src/job/source.js';
import { ColumnLengths } from '../src/preflight/column-lengths.js';
import { useTempDir } from './support/e2e-dir.js';

// The refusal of a text column of codes named another column of codes as the one that "holds text": `id,text` with
// ids r1, r2... and short reviews 5stars, gr8... said "the column 'id' holds text: run again with --text-column 'id'",
// and that run was refused in turn, for the same codes. A column of ids (one word of letters and digits each) is no
// more the reviews' than a column of numbers is: only values that may be a review count toward the guess.
describe('the column said to hold text is never one of codes', () => {
  const { path: inDir } = useTempDir();
  const refusal = async (name: string, content: string, argv: string[] = []): Promise<string> => {
    const input = inDir(name);
    writeFileSync(input, content);
    const settings = resolveSettings({ flags: parseJobFlags(argv).flags, input, env: {} });
    return openSource(settings, input).then(
      () => 'not refused',
      (e: unknown) => (e as Error).message,
    );
  };
  const tokens = ['5stars', 'gr8', 'v2.1', '10/10', 'A1', 'no1', 'b4', 'l8r', '5', '4stars', 'h8', 'top10'];

  it('CSV: no column but codes and numbers, so none is named', async () => {
    const csv = ['id,stars,text', ...tokens.map((token, i) => `r${String(i + 1).padStart(3, '0')},${(i % 5) + 1},${token}`)].join('\n') + '\n';
    expect(await refusal('codes.csv', csv)).toMatch(/\(an id, a product code or a timestamp\?\); name the column that holds the reviews with --text-column; if these are the reviews/);
    // A column of reviews is still named, beside the column of ids.
    const withReviews = ['id,text,review', ...tokens.map((token, i) => `r${i + 1},${token},a lovely little thing ${i}`)].join('\n') + '\n';
    expect(await refusal('reviews.csv', withReviews)).toMatch(/; the column 'review' holds text: run again with --text-column 'review';/);
  });

  it('JSONL: no field but codes, so none is named', async () => {
    const lines = tokens.map((token, i) => JSON.stringify({ sku: `B07XJ8C8F${i % 10}`, text: token }));
    expect(await refusal('codes.jsonl', `${lines.join('\n')}\n`)).toMatch(/; name the field that holds the reviews with --text-field; if these are the reviews/);
  });

  it('ColumnLengths counts a review of one word, not a code', () => {
    const lengths = new ColumnLengths(['id', 'text']);
    for (let i = 0; i < 5; i++) lengths.add([`r${String(i).padStart(9, '0')}`, i % 2 ? 'Great' : 'awful']);
    expect(lengths.longest()).toBe('text');
  });

  // One review split in two columns (Booking.com's Negative_Review and Positive_Review) is offered joined: another column
  // at least half as long as the longest, the longer of two such, never the longest itself nor a column left out.
  it('ColumnLengths.alsoLongIndex: a column half as long as the longest or more, the longest of them', () => {
    const words = (n: number) => 'ab cd '.repeat(n).slice(0, n);
    const lengths = new ColumnLengths(['id', 'negative', 'positive', 'title', 'sentiment_error']);
    lengths.add(['r1', words(40), words(20), words(19), words(30)]);
    // 'positive' at exactly half counts; 'title' under half does not; 'sentiment_error' (left out) is longer than both.
    expect(lengths.alsoLongIndex(1, (column) => column.startsWith('sentiment_'))).toBe(2);
    lengths.add(['r2', words(40), words(20), words(25), words(0)]);
    // Both at half or more (40 and 44 of 80): the longer of them.
    expect(lengths.alsoLongIndex(1)).toBe(3);
  });

  // A business's reply is no half of the review, however the export spells it: the App Store's 'Developer Reply',
  // camel case, capitals, a plural. A column of another name as long is still offered.
  it('ColumnLengths.alsoLongIndex: a reply column, however named, is not offered with the review', () => {
    for (const reply of ['Developer Reply', 'developerReply', 'OWNER_RESPONSE', 'replies', 'summary']) {
      const lengths = new ColumnLengths(['id', 'review', reply]);
      lengths.add(['r1', 'x'.repeat(40), 'y'.repeat(30)]);
      expect(lengths.alsoLongIndex(1), reply).toBe(reply === 'summary' ? 2 : undefined);
    }
  });
});
