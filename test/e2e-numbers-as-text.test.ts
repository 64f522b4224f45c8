import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';

/**
 * A text column that holds a rating, an id or a date (`--text-column stars`, a slip of the hand or of a job file) was
 * scored row by row as reviews of numbers: 'Done', exit 0, every row POSITIVE or NEGATIVE, and with Workers AI every
 * row paid for. Refused at startup (exit 2) with values it holds and the column or field that holds the reviews.
 */
describe('a text column or field that holds only numbers is refused at startup', () => {
  const { file, path: inDir } = useTempDir();
  const csv = ['id,review,stars,date', ...Array.from({ length: 150 }, (_, i) => `${i + 1},"${i % 2 ? 'great phone, love it' : 'awful, broke in a week'}",${(i % 5) + 1},2026-11-${String((i % 28) + 1).padStart(2, '0')}`)].join('\n') + '\n';

  it.each([
    ['stars', "--text-column 'stars' holds only numbers in the first 100 rows ('1', '2', '3', ...): not review text (a rating, an id or a date?); the column 'review' holds text: run again with --text-column 'review'; if these are the reviews, run again with --allow-numeric-text"],
    ['date', "--text-column 'date' holds only numbers in the first 100 rows ('2026-11-01', '2026-11-02', '2026-11-03', ...): not review text (a rating, an id or a date?); the column 'review' holds text: run again with --text-column 'review'; if these are the reviews, run again with --allow-numeric-text"],
  ])('CSV --text-column %s: exit 2 before anything is written', async (column, message) => {
    const input = file(`r-${column}.csv`, csv);
    const output = inDir(`out-${column}.csv`);
    const r = await runCli(['score', input, '--text-column', column, '-o', output]);
    expect(r.code).toBe(2);
    expectCleanError(r.stderr);
    expect(r.stderr).toBe(`sentiment-batch: ${message}\n`);
    expect(existsSync(`${output}.partial`)).toBe(false);
    expect(existsSync(`${output}.checkpoint.json`)).toBe(false);
  });

  it('JSONL --text-field holding numbers as strings: exit 2 naming the field with the reviews', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: String(i + 1), body: { text: i % 2 ? 'great phone' : 'awful phone' } }));
    const input = file('r.jsonl', `${lines.join('\n')}\n`);
    const r = await runCli(['score', input, '--text-field', 'id', '-o', inDir('out.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "sentiment-batch: --text-field 'id' holds only numbers in the first 20 rows ('1', '2', '3', ...): not review text (a rating, an id or a date?); the field 'body.text' holds text: run again with --text-field 'body.text'; if these are the reviews, run again with --allow-numeric-text\n",
    );
  });

  // JSON numbers ({"stars": 5}) are no text either: every row failed text_not_string and the run ended exit 5, after the whole file.
  it('JSONL --text-field holding JSON numbers: exit 2 naming the field with the reviews', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => JSON.stringify({ stars: (i % 5) + 1, body: { text: i % 2 ? 'great phone' : 'awful phone' } }));
    const input = file('stars.jsonl', `${lines.join('\n')}\n`);
    const output = inDir('stars.out.jsonl');
    const r = await runCli(['score', input, '--text-field', 'stars', '-o', output]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "sentiment-batch: --text-field 'stars' holds only numbers in the first 20 rows ('1', '2', '3', ...): not review text (a rating, an id or a date?); the field 'body.text' holds text: run again with --text-field 'body.text'\n",
    );
    expect(existsSync(`${output}.partial`)).toBe(false);
  });

  // Records without the field were left out of the count, and the line said 'in the first 14 rows' of a sample of 40.
  it('JSONL --text-field that only some records have: says in how many of the rows read it holds numbers', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: i, ...(i % 3 === 0 ? { stars: (i % 5) + 1 } : {}), body: `a review text number ${i}` }));
    const input = file('some-stars.jsonl', `${lines.join('\n')}\n`);
    const r = await runCli(['score', input, '--text-field', 'stars', '-o', inDir('some-stars.out.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "sentiment-batch: --text-field 'stars' holds only numbers in the 14 of the first 40 rows that have it ('1', '4', '2', ...): not review text (a rating, an id or a date?); the field 'body' holds text: run again with --text-field 'body'\n",
    );
  });

  it('texts with one word among numbers, emoji-only reviews, and several columns joined with one of words are scored', async () => {
    const mixed = ['id,text', '1,5', '2,"4.5"', '3,good', '4,👍👍', ''].join('\n');
    const r = await runCli(['score', file('mixed.csv', mixed), '-o', inDir('mixed.out.csv')]);
    expect(r.code, r.stderr).toBe(0);
    const emoji = ['id,text', '1,👍', '2,👎👎', '3,😡', ''].join('\n');
    expect((await runCli(['score', file('emoji.csv', emoji), '-o', inDir('emoji.out.csv')])).code).toBe(0);
    const joined = await runCli(['score', file('joined.csv', csv), '--text-column', 'stars', '--text-column', 'review', '-o', inDir('joined.out.csv')]);
    expect(joined.code, joined.stderr).toBe(0);
  });

  // An id column of codes, not numbers (fixtures/reviews.csv's 'r001' …), was scored: 'Done', exit 0, 30 of 30 ids
  // POSITIVE, and with Workers AI every one paid for.
  it('a column of codes (one word of ASCII letters and digits each: ids, SKUs, UUIDs) is refused the same way', async () => {
    const codes = ['id,sku,review', ...Array.from({ length: 12 }, (_, i) => `r${String(i + 1).padStart(3, '0')},B07XJ8C8F${i % 10},"${i % 2 ? 'great phone, love it' : 'awful, broke in a week'}"`)].join('\n') + '\n';
    const input = file('codes.csv', codes);
    const r = await runCli(['score', input, '--text-column', 'id', '-o', inDir('codes.out.csv')]);
    expect(r.code).toBe(2);
    expectCleanError(r.stderr);
    expect(r.stderr).toBe(
      "sentiment-batch: --text-column 'id' holds only codes (one word of letters and digits each) in the first 12 rows ('r001', 'r002', 'r003', ...): not review text (an id, a product code or a timestamp?); the column 'review' holds text: run again with --text-column 'review'; if these are the reviews, run again with --allow-numeric-text\n",
    );
    expect(existsSync(inDir('codes.out.csv.partial'))).toBe(false);
    // One-word reviews with a digit, in a script written without spaces, and English words without one are reviews.
    const words = ['id,text', ...Array.from({ length: 12 }, (_, i) => `${i + 1},${['買了3個都很好', '5星好評', 'great', 'A+'][i % 4]}`), ''].join('\n');
    const scored = await runCli(['score', file('words.csv', words), '-o', inDir('words.out.csv')]);
    expect(scored.code, scored.stderr).toBe(0);
    expect(scored.stdout).toContain('rows 12: scored 12');
  });

  // A quiet night's export whose only reviews read '10/10' or '5' stopped a scheduled job, exit 2, every such night.
  it('an export with fewer than ten texts, all numbers, is scored: a few reviews may read 10/10', async () => {
    const quiet = ['id,title,text', '1,Great,10/10', '2,,5', ''].join('\n');
    const r = await runCli(['score', file('quiet.csv', quiet), '-o', inDir('quiet.out.csv')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('rows 2: scored 2');
    const nine = ['id,text', ...Array.from({ length: 9 }, (_, i) => `${i + 1},${(i % 5) + 1}`), ''].join('\n');
    expect((await runCli(['score', file('nine.csv', nine), '-o', inDir('nine.out.csv')])).code).toBe(0);
    const ten = ['id,text', ...Array.from({ length: 10 }, (_, i) => `${i + 1},${(i % 5) + 1}`), ''].join('\n');
    expect((await runCli(['score', file('ten.csv', ten), '-o', inDir('ten.out.csv')])).code).toBe(2);
  });
});
