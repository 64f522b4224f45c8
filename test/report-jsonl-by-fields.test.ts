import { writeFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkScoredJsonl } from '../src/report/jsonl-check.js';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';

// `report --by` on a scored JSONL file listed the fields score added ('sentiment.label', 'sentiment.positive', ...)
// among the file's own, where the CSV path lists the sentiment_* columns apart ("and the ones score added: ...").
describe('report --by on a scored JSONL file: the fields score added are listed apart', () => {
  const { path: inDir } = useTempDir();
  const scored = [
    { id: 1, review: { body: 'great phone' }, store: 'a', sentiment: { label: 'POSITIVE', positive: 0.9, negative: 0.1 } },
    { id: 2, review: { body: 'awful' }, store: 'b', sentiment: { label: 'NEGATIVE', positive: 0.1, negative: 0.9 } },
  ];
  // Written in each test's folder: inDir names it only once useTempDir's beforeEach has made it (called here, before
  // that, it gave 'scored.jsonl' in the current folder, and each run left that file in the repository's root).
  let file = '';
  beforeEach(() => {
    file = inDir('scored.jsonl');
    writeFileSync(file, scored.map((record) => JSON.stringify(record)).join('\n') + '\n');
  });
  const check = (by: string, prefix = 'sentiment') =>
    checkScoredJsonl(file, { gzip: false, text: ['review.body'], textNamed: '--text-field', adviseExamples: false, prefix, fields: [{ flag: '--by', field: by }] }).then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );

  it('lists the file own fields, then the ones score added; the did-you-mean last', async () => {
    expect(await check('stor')).toBe(
      "--by 'stor' is in none of the first 2 records; their fields are: 'id', 'review.body', 'store' (and the ones score added: 'sentiment.label', 'sentiment.positive', 'sentiment.negative') (did you mean 'store'?)",
    );
    // A field score added can still be named, and a typo of one still finds it.
    expect(await check('sentiment.label')).toBeUndefined();
    expect(await check('sentiment.labl')).toMatch(/\(did you mean 'sentiment\.label'\?\)$/);
  });

  it('from the command line: exit 2, the same line', async () => {
    const r = await runCli(['report', file, '--text-field', 'review.body', '--by', 'stor', '-o', inDir('r.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "sentiment-batch: --by 'stor' is in none of the first 2 records; their fields are: 'id', 'review.body', 'store' (and the ones score added: 'sentiment.label', 'sentiment.positive', 'sentiment.negative') (did you mean 'store'?)\n",
    );
  });
});

// Nested objects were listed three levels deep: a field four deep was offered as 'meta.a.b', itself an object, which
// --by then refused ("is an object, not a value"); and --by meta offered 'meta.a.b.c', an object again.
describe('report --by on deeply nested JSONL records: only paths to values are offered', () => {
  const { path: inDir } = useTempDir();
  let file = '';
  beforeEach(() => {
    file = inDir('deep.jsonl');
    const records = [0, 1, 2].map((i) => ({ text: 'great', meta: { a: { b: { c: { region: `r${i}` } } } }, sentiment: { label: 'POSITIVE', positive: 0.9, negative: 0.1 } }));
    writeFileSync(file, records.map((record) => JSON.stringify(record)).join('\n') + '\n');
  });
  const check = (by: string) =>
    checkScoredJsonl(file, { gzip: false, text: ['text'], textNamed: '--text-field', adviseExamples: false, prefix: 'sentiment', fields: [{ flag: '--by', field: by }] }).then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );

  it('a missing field lists the value four levels down, not the object above it', async () => {
    expect(await check('x.a')).toBe(
      "--by 'x.a' is in none of the first 3 records; their fields are: 'text', 'meta.a.b.c.region' (and the ones score added: 'sentiment.label', 'sentiment.positive', 'sentiment.negative')",
    );
  });

  it('an object named points at the value inside it, however deep', async () => {
    expect(await check('meta')).toBe("--by 'meta' is an object, not a value, in each of the first 3 records; the value is inside it: use --by 'meta.a.b.c.region'");
  });

  it('the value it offers is taken', async () => {
    expect(await check('meta.a.b.c.region')).toBeUndefined();
  });
});

// newuser26: `report --date date` over a JSONL export whose field is review_date got no did-you-mean, where a CSV with
// that column is offered it (report/columns.ts): the JSONL check used the plain nearest-name rule alone.
describe('report --date/--rating on JSONL: a name that is a word of one field is offered it, as for CSV', () => {
  const { path: inDir } = useTempDir();
  let file = '';
  const write = (records: object[]) => writeFileSync(file, records.map((record) => JSON.stringify(record)).join('\n') + '\n');
  beforeEach(() => {
    file = inDir('amazon.jsonl');
    const sentiment = { label: 'POSITIVE', positive: 0.9, negative: 0.1 };
    write([1, 2].map((id) => ({ review_id: id, star_rating: 5, review_body: 'great', review_date: '2015-08-31', meta: { reviewDate: 'x' }, sentiment })));
  });
  const check = (flag: string, field: string) =>
    checkScoredJsonl(file, { gzip: false, text: ['review_body'], textNamed: '--text-field', adviseExamples: false, prefix: 'sentiment', fields: [{ flag, field }] }).then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );

  it('date → review_date is no longer ambiguous once meta.reviewDate is gone; rating → star_rating', async () => {
    expect(await check('--rating', 'rating')).toMatch(/\(did you mean 'star_rating'\?\)$/);
    // Two fields hold the word (review_date, meta.reviewDate): no guess between them, as for two CSV columns.
    expect(await check('--date', 'date')).not.toMatch(/did you mean/);
    write([{ review_id: 1, review_body: 'great', review_date: '2015-08-31', sentiment: { label: 'POSITIVE', positive: 0.9, negative: 0.1 } }]);
    expect(await check('--date', 'date')).toMatch(/\(did you mean 'review_date'\?\)$/);
  });

  it('from the command line: exit 2 with the suggestion', async () => {
    const r = await runCli(['report', file, '--text-field', 'review_body', '--rating', 'rating', '-o', inDir('r.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\(did you mean 'star_rating'\?\)\n$/);
  });
});
