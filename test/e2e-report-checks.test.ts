import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Figures } from '../src/report/index.js';
import { runCli, tempDir, warnMessages } from './support/cli.js';

/** One scored JSONL record as `score` writes it. */
const scored = (text: string, positive: number, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ text, ...extra, sentiment: { label: positive >= 0.5 ? 'POSITIVE' : 'NEGATIVE', positive, negative: 1 - positive } });

describe('report refuses a wrong file or a wrong field instead of an empty report', () => {
  let dir: string;
  let cleanup: () => void;
  let scoredJsonl: string;
  const out = () => path.join(dir, 'r.html');
  beforeAll(() => {
    ({ dir, cleanup } = tempDir('sb-report-checks-'));
    scoredJsonl = path.join(dir, 'reviews.scored.jsonl');
    writeFileSync(scoredJsonl, [scored('good', 0.9, { meta: { hotel: 'A' }, day: '2026-11-03' }), scored('bad', 0.1, { stars: 2 })].join('\n') + '\n');
  });
  afterAll(() => cleanup());

  // 'report <(ssh box cat out.scored.csv)' was told "pipe it in as standard input instead ('... | sentiment-batch score - --format
  // csv -o OUT')": score's advice, and report refuses standard input ('report -'), so the advice led nowhere.
  it.skipIf(process.platform === 'win32')('a named pipe (process substitution) is refused with what report needs: a file on disk (exit 3)', async () => {
    for (const name of ['fd-63', 'piped.scored.csv']) {
      const fifo = path.join(dir, name);
      execFileSync('mkfifo', [fifo]);
      const result = await runCli(['report', fifo, '-o', out()]);
      expect(result.code).toBe(3);
      expect(result.stderr).toBe(
        `sentiment-batch: cannot read input '${fifo}': it is a pipe or a device, not a file; report reads the scored file from disk: save it to a file first ('... > reviews.scored.csv'), then run sentiment-batch report on that file\n`,
      );
      expect(existsSync(out())).toBe(false);
    }
  });

  it('a JSONL file without the sentiment field is not a scored file (exit 3)', async () => {
    const plain = path.join(dir, 'plain.jsonl');
    writeFileSync(plain, '{"text":"good"}\n\n{"text":"bad"}\n');
    const result = await runCli(['report', plain, '-o', out()]);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe("sentiment-batch: this is not a scored file: none of the first 2 records has a 'sentiment' field (their fields: 'text'); score it first, or give --prefix\n");
    expect(existsSync(out())).toBe(false);
  });

  it('a scored CSV with no checkpoint beside it and no --text-column: the default named as such, the columns listed, the likeliest suggested (as for JSONL)', async () => {
    const csv = path.join(dir, 'hotel.scored.csv');
    const cells = 'POSITIVE,0.9,0.1,false,';
    writeFileSync(csv, `id,comment,stars,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n1,lovely room and staff,5,${cells}\n2,no,1,${cells}\n`);
    const result = await runCli(['report', csv, '-o', out()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "sentiment-batch: the text column 'text' (the default; name yours with --text-column) is not in the header; the columns are: 'id', 'comment', 'stars', " +
        "'sentiment_label', 'sentiment_positive', 'sentiment_negative', 'sentiment_truncated', 'sentiment_error' (did you mean 'comment'?); " +
        'report needs the text only for its example texts: --examples 0 makes the report without them\n',
    );
    expect(existsSync(out())).toBe(false);
    const named = await runCli(['report', csv, '--text-column', 'coment', '-o', out()]);
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/^sentiment-batch: --text-column 'coment' is not in the header; .* \(did you mean 'comment'\?\)\n$/);
    expect((await runCli(['report', csv, '--text-column', 'comment', '-o', out()])).code).toBe(0);
    // Both flags set one setting: report read --text-column and dropped --text-field without a word (exit 0, a page of
    // the wrong column), where score refuses the two together.
    const both = await runCli(['report', csv, '--text-column', 'stars', '--text-field', 'comment', '-o', out()]);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('sentiment-batch: --text-column and --text-field set the same thing; give only one of them\n');
  });

  it('a wrong --prefix is refused, naming the field that holds the sentiment', async () => {
    const result = await runCli(['report', scoredJsonl, '--prefix', 'mood', '-o', out()]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/none of the first 2 records has a 'mood' field \(their fields: 'text', 'meta', 'day', 'sentiment', 'stars'\); did you mean --prefix sentiment\?\n$/);
  });

  // score and estimate say a CSV flag given for a JSONL input is ignored; report read the file without a word.
  it('--escape and --delimiter on a JSONL file: one line each says it is ignored, as score says it; the report is written (exit 0)', async () => {
    const result = await runCli(['report', scoredJsonl, '--escape', 'backslash', '--delimiter', ';', '-o', out()]);
    expect(result.code).toBe(0);
    expect(warnMessages(result.stderr)).toEqual([
      '--delimiter is ignored: the scored file is JSONL, which has no delimiter',
      '--escape is ignored: the scored file is JSONL, whose strings escape their quotes as JSON does',
    ]);
    expect(result.stderr.split('\n').filter((line) => line !== '')).toHaveLength(2);
    expect(result.stdout).toMatch(/^Report: .*r\.html\n  rows 2: scored 2/);
    // Without them, nothing is said.
    const plain = await runCli(['report', scoredJsonl, '-o', out()]);
    expect(plain.stderr).toBe('');
  });

  it('--input-format jsonl on a CSV is not a scored file', async () => {
    const csv = path.join(dir, 'plain.csv');
    writeFileSync(csv, 'id,text\n1,good\n');
    const result = await runCli(['report', csv, '--input-format', 'jsonl', '-o', out()]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/this is not a scored file: none of the first 2 lines is a JSON object/);
  });

  it('a --by, --date or --rating field none of the records has is a usage error (exit 2) naming the fields', async () => {
    for (const [flag, field] of [['--by', 'nosuch'], ['--date', 'nodate'], ['--rating', 'norating']]) {
      const result = await runCli(['report', scoredJsonl, flag!, field!, '-o', out()]);
      expect(result.code, flag).toBe(2);
      expect(result.stderr).toBe(
        `sentiment-batch: ${flag} '${field}' is in none of the first 2 records; their fields are: 'text', 'meta.hotel', 'day', 'stars' (and the ones score added: 'sentiment.label', 'sentiment.positive', 'sentiment.negative')\n`,
      );
    }
    const typo = await runCli(['report', scoredJsonl, '--by', 'meta.hotl', '-o', out()]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/\(did you mean 'meta\.hotel'\?\)\n$/);
  });

  it('fields some records have, dotted paths included, are read', async () => {
    const json = path.join(dir, 'ok.json');
    const result = await runCli(['report', scoredJsonl, '--by', 'meta.hotel', '--date', 'day', '--rating', 'stars', '-o', json]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const figures = JSON.parse(readFileSync(json, 'utf8')) as Figures;
    expect(figures.groups?.shown.map((g) => [g.group, g.rows])).toEqual([['A', 1]]);
    expect(figures.groups?.missing).toBe(1);
    expect(figures.rating?.values.map((v) => [v.rating, v.rows])).toEqual([[2, 1]]);
  });

  it('score --report-by a field the JSONL input lacks is refused before the run', async () => {
    const input = path.join(dir, 'in.jsonl');
    writeFileSync(input, '{"text":"good","hotel":"A"}\n{"text":"bad"}\n');
    const output = path.join(dir, 'in.scored.jsonl');
    const refused = await runCli(['score', input, '-o', output, '--report', out(), '--report-by', 'nosuch', '--progress', 'off', '--log-level', 'warn']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--report-by 'nosuch' is in none of the first 2 records; their fields are: 'text', 'hotel'\n$/);
    expect(existsSync(output)).toBe(false);
    // A field of the input, or one under the sentiment field the output adds, is accepted.
    const report = path.join(dir, 'run.json');
    // (sentiment.positive: a number; sentiment.label holds no rating, refused after the run as any such column is.)
    const run = await runCli(['score', input, '-o', output, '--report', report, '--report-by', 'hotel', '--report-rating', 'sentiment.positive', '--progress', 'off', '--log-level', 'warn']);
    expect(run.code).toBe(0);
    expect((JSON.parse(readFileSync(report, 'utf8')) as Figures).groups?.shown.map((g) => g.group)).toEqual(['A']);
  });

  it('run JOB.json: the report\'s columns the job file gave are named by its keys, before the run and after it', async () => {
    // They were named --report-by, --report-rating: flags nobody typed.
    const input = path.join(dir, 'job-in.csv');
    writeFileSync(input, 'id,text,city\n1,good,Oslo\n2,bad,Rome\n');
    const job = path.join(dir, 'report-job.json');
    const write = (settings: Record<string, unknown>) => writeFileSync(job, JSON.stringify({ input, textColumn: 'text', output: path.join(dir, 'job-out.csv'), report: out(), backend: 'embedded', progress: 'off', logLevel: 'warn', ...settings }));
    write({ reportBy: 'ciyt' });
    const refused = await runCli(['run', job]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`^sentiment-batch: job file ${job}: "reportBy" ciyt: the input has no such column; its columns are: 'id', 'text', 'city' \\(and the ones score adds to the output: 'sentiment_label'`));
    // After the run: a rating column none of whose rows has a rating, named the same way (refused: no report written).
    write({ reportRating: 'city' });
    const run = await runCli(['run', job]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`sentiment-batch: job file ${job}: "reportRating" city: no rating could be read in any of the 2 scored rows`);
  });

  it('a column the header has twice is ambiguous for --by, --date, --rating and --text-column (exit 2), as for score --text-column', async () => {
    const csv = path.join(dir, 'twice.scored.csv');
    const cells = 'POSITIVE,0.9,0.1,false,';
    writeFileSync(csv, `id,text,x,x,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n1,good,2026-11-03,5,${cells}\n2,fine,2026-11-04,4,${cells}\n`);
    const page = path.join(dir, 'twice.report.html');
    for (const flag of ['--by', '--date', '--rating', '--text-column']) {
      const result = await runCli(['report', csv, flag, 'x', '-o', page]);
      expect(result.code, flag).toBe(2);
      // The text column's refusal names a command that renames the later one in a copy (rename-column-command.ts).
      const copy = flag === '--text-column' ? `, or, for an export you cannot edit: awk -F',' -v OFS=',' 'NR==1{$4="x_4"}1' ${csv} > ${path.join(dir, 'twice.scored-renamed.csv')} names column 4 'x_4' in a copy, to read in its place` : '';
      expect(result.stderr).toBe(`sentiment-batch: ${flag} 'x' is ambiguous: the header has it 2 times (columns 3, 4); rename one of them${copy}\n`);
      expect(existsSync(page)).toBe(false);
    }
    expect((await runCli(['report', csv, '--by', 'id', '-o', page])).code).toBe(0);
    // score --report-by: refused before the run, nothing scored.
    const input = path.join(dir, 'twice.csv');
    writeFileSync(input, 'id,text,x,x\n1,good,a,b\n');
    const output = path.join(dir, 'twice.out.csv');
    const refused = await runCli(['score', input, '-o', output, '--report', path.join(dir, 'twice.html'), '--report-by', 'x', '--backend', 'embedded', '--progress', 'off', '--log-level', 'warn']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--report-by 'x' is ambiguous: the header has it 2 times \(columns 3, 4\); rename one of them\n$/);
    expect(existsSync(output)).toBe(false);
  });

  it('scored files joined with cat: the second header counts as skipped (repeated_header), as score counts it, not as a row failed with a code named sentiment_error', async () => {
    const header = '\uFEFFid,text,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\r\n';
    const joined = path.join(dir, 'joined.scored.csv');
    writeFileSync(joined, `${header}1,great,POSITIVE,0.9,0.1,,\r\n${header}2,awful,NEGATIVE,0.2,0.8,,\r\n`);
    const result = await runCli(['report', joined, '-o', '-', '--format', 'json']);
    expect(result.code).toBe(0);
    const { totals } = JSON.parse(result.stdout) as Figures;
    expect(totals).toMatchObject({ rows: 3, scored: 2, skipped: 1, failed: 0, skippedByCode: { repeated_header: 1 }, failedByCode: {} });
  });

  it('a CSV read with the wrong delimiter says so', async () => {
    const csv = path.join(dir, 'semi.scored.csv');
    writeFileSync(csv, 'id;text;sentiment_label;sentiment_positive;sentiment_negative;sentiment_truncated;sentiment_error\n1;good;POSITIVE;0.9;0.1;false;\n');
    const result = await runCli(['report', csv, '-o', out()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the column 'id;text;sentiment_label;.*' holds the name 'sentiment_label', so the delimiter is likely wrong: give --delimiter ';'\n$/);
    expect((await runCli(['report', csv, '--delimiter', ';', '-o', out()])).code).toBe(0);
  });
});

describe('report: what the examples and the rating callouts claim', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir('sb-report-claims-')));
  afterAll(() => cleanup());

  it('"most negative" lists only NEGATIVE rows and "most positive" only POSITIVE ones', async () => {
    const file = path.join(dir, 'few.scored.jsonl');
    writeFileSync(file, [scored('great', 0.99), scored('fine', 0.97), scored('meh', 0.3)].join('\n') + '\n');
    const json = path.join(dir, 'few.json');
    expect((await runCli(['report', file, '-o', json])).code).toBe(0);
    const figures = JSON.parse(readFileSync(json, 'utf8')) as Figures;
    expect(figures.examples?.mostNegative.map((e) => e.text)).toEqual(['meh']);
    expect(figures.examples?.mostPositive.map((e) => e.text)).toEqual(['great', 'fine']);

    const allPositive = path.join(dir, 'pos.scored.jsonl');
    writeFileSync(allPositive, [scored('great', 0.99), scored('fine', 0.97)].join('\n') + '\n');
    const html = path.join(dir, 'pos.html');
    expect((await runCli(['report', allPositive, '-o', html])).code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<h3>Most negative</h3><p class="empty">No scored row with a text is labelled NEGATIVE.</p>');
    expect(page).not.toMatch(/<h3>Most negative<\/h3><ol>/);
  });

  it('a rating column outside 1–5 is not compared as stars', async () => {
    const file = path.join(dir, 'hotel.scored.jsonl');
    // A 2.5–10 score, as Booking's Reviewer_Score: 4.2 is a poor stay there, not a 4-star review.
    const rows = [[2.5, 0.1], [4.2, 0.2], [4.6, 0.1], [7.5, 0.8], [10, 0.95]].map(([score, p]) => scored('x', p!, { score }));
    writeFileSync(file, rows.join('\n') + '\n');
    const json = path.join(dir, 'hotel.json');
    expect((await runCli(['report', file, '--rating', 'score', '-o', json])).code).toBe(0);
    const rating = (JSON.parse(readFileSync(json, 'utf8')) as Figures).rating!;
    expect(rating.lowButPositive).toBeNull();
    expect(rating.highButNegative).toBeNull();
    expect(rating.outsideOneToFive).toBe(2);
    expect(rating.range).toEqual({ lowest: 2.5, highest: 10 });
    expect(rating.values.map((v) => v.rating)).toEqual([2.5, 4.2, 4.6, 7.5, 10]);
    const html = path.join(dir, 'hotel.html');
    expect((await runCli(['report', file, '--rating', 'score', '-o', html])).code).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain(
      'Not a 1–5 star scale: ratings run from <span data-figure="rating.range.lowest">2.5</span> to <span data-figure="rating.range.highest">10</span>, 2 scored rows outside 1–5; so low',
    );
    expect(readFileSync(html, 'utf8')).not.toContain('data-figure="rating.highButNegative');

    const stars = path.join(dir, 'stars.scored.jsonl');
    writeFileSync(stars, [[1, 0.9], [2, 0.1], [4, 0.2], [5, 0.9]].map(([s, p]) => scored('x', p!, { s })).join('\n') + '\n');
    expect((await runCli(['report', stars, '--rating', 's', '-o', json])).code).toBe(0);
    const starFigures = (JSON.parse(readFileSync(json, 'utf8')) as Figures).rating!;
    expect(starFigures.lowButPositive).toEqual({ rows: 1, of: 2, share: 0.5 });
    expect(starFigures.highButNegative).toEqual({ rows: 1, of: 2, share: 0.5 });
    expect(starFigures.outsideOneToFive).toBe(0);
    expect(starFigures.range).toEqual({ lowest: 1, highest: 5 });
  });

  it('a 1–5 rating of more than 20 distinct values: every readable row counts in the comparison, and only text is "no readable rating"', async () => {
    const file = path.join(dir, 'decimal.scored.jsonl');
    // 1.0, 1.1 … 5.0: 41 values, the 4–5 ones all after the first 20; two of those 4–5 rows are labelled NEGATIVE.
    const rows = Array.from({ length: 41 }, (_, i) => {
      const stars = Math.round(10 + i) / 10;
      return scored('x', stars >= 3 && i !== 35 && i !== 40 ? 0.9 : 0.1, { stars });
    });
    rows.push(scored('x', 0.9, { stars: 'n/a' }), scored('x', 0.9, {}));
    writeFileSync(file, rows.join('\n') + '\n');
    const json = path.join(dir, 'decimal.json');
    expect((await runCli(['report', file, '--rating', 'stars', '-o', json])).code).toBe(0);
    const rating = (JSON.parse(readFileSync(json, 'utf8')) as Figures).rating!;
    expect(rating.values).toHaveLength(20);
    // Before, the 21 rows past the 20th value were "unreadable" and 4–5 ★ had no row at all.
    expect(rating.otherValues).toMatchObject({ rows: 21, positive: 19 });
    expect(rating.highButNegative).toEqual({ rows: 2, of: 11, share: 2 / 11 });
    expect(rating.lowButPositive).toEqual({ rows: 0, of: 11, share: 0 });
    expect(rating.unreadable).toBe(1);
    expect(rating.missing).toBe(1);
    const html = path.join(dir, 'decimal.html');
    expect((await runCli(['report', file, '--rating', 'stars', '-o', html])).code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('2 scored rows have no readable rating.');
    expect(page).toContain('21 scored rows of other values, the least frequent, are not listed per value (90.5 % positive), but count in the range and the comparison with the labels.');
  });
});
