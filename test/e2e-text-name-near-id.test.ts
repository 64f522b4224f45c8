import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';
import { scoreInBuiltProcess } from './support/score-in-built-process.js';

// newuser26: README's own `--text-column review`, given to an export shaped as Amazon's public review dataset
// (review_id, review_headline, review_body, review_date), was told "did you mean 'review_id'?", the first column whose
// name begins so. Following it, the next run was refused in turn ("'review_id' holds only codes … the column
// 'review_body' holds text"): two runs to reach the column the first could have named. A name near the one given whose
// first values hold no text (ids, codes, numbers, dates) is no suggestion; among the near names, the one holding the
// longest text comes first.
const amazonHeader = 'marketplace\tcustomer_id\treview_id\tproduct_id\tstar_rating\treview_headline\treview_body\treview_date';
const amazonRows = Array.from(
  { length: 30 },
  (_, i) => `US\t${10_000_000 + i}\tR${(0x1a2b3c4d + i * 7919).toString(16).toUpperCase()}Q7\tB00${1000 + i}\t${(i % 5) + 1}\tFive Stars\tWorks well and looks great, I use it every day (${i}).\t2015-08-${10 + (i % 20)}`,
);

describe('a text column or field named near an id: the one holding text is offered', () => {
  const { file, path } = useTempDir();

  it('CSV (score, estimate): --text-column review over review_id … review_body offers review_body', async () => {
    const input = file('amazon_reviews_us_Home_v1_00.tsv', [amazonHeader, ...amazonRows].join('\n') + '\n');
    for (const command of ['score', 'estimate']) {
      const r = await runCli([command, input, '--text-column', 'review']);
      expect(r.code).toBe(2);
      expectCleanError(r.stderr);
      expect(r.stderr).toMatch(/is not in the header; the columns are: .* \(did you mean 'review_body'\?\)\n$/);
    }
    // A typo of the id's own name still offers it: its values are not what makes it near.
    const typo = await runCli(['score', input, '--text-column', 'reveiw_id']);
    expect(typo.stderr).toMatch(/\(did you mean 'review_id'\?\)\n$/);
  });

  // A column whose first values are all blank (reviews sparse at the top of the export) says nothing of what it holds:
  // still offered by the name it begins with, not passed over for another column.
  it('CSV: a column whose first values are all blank is still offered by its name', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i},Great blender number ${i},`);
    const input = file('sparse.csv', ['id,title,comment_text', ...rows].join('\n') + '\n');
    const r = await runCli(['score', input, '--text-column', 'comment']);
    expect(r.stderr).toMatch(/\(did you mean 'comment_text'\?\)\n$/);
    const lines = Array.from({ length: 30 }, (_, i) => JSON.stringify({ id: i, title: `Great blender number ${i}`, comment_text: i % 2 ? null : '' }));
    const jsonl = await runCli(['score', file('sparse.jsonl', lines.join('\n') + '\n'), '--text-field', 'comment']);
    expect(jsonl.stderr).toMatch(/\(did you mean 'comment_text'\?\)\n$/);
  });

  it('JSONL: --text-field review over review_id, stars, body offers body', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => JSON.stringify({ review_id: `R${(0x1a2b3c + i * 7919).toString(16).toUpperCase()}`, stars: 4, body: `Pretty good blender, a bit loud (${i}).` }));
    const input = file('flat.jsonl', lines.join('\n') + '\n');
    const r = await runCli(['score', input, '--text-field', 'review']);
    expect(r.code).toBe(2);
    expectCleanError(r.stderr);
    expect(r.stderr).toMatch(/their fields are: 'review_id', 'stars', 'body' \(did you mean 'body'\?\)\n$/);
  });

  it('report of a scored CSV: --text-column review offers review_body', async () => {
    const input = file('reviews.csv', [amazonHeader.replaceAll('\t', ','), ...amazonRows.map((row) => row.replaceAll('\t', ',').replace(', I use', ' I use'))].join('\n') + '\n');
    const scored = path('reviews.scored.csv');
    // The scored file report reads is made in this process (support/score-in-built-process.ts): report is the subject.
    const run = await scoreInBuiltProcess([input, '--text-column', 'review_body', '-o', scored]);
    expect(run.code).toBe(0);
    const r = await runCli(['report', scored, '--text-column', 'review', '-o', '-']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\(did you mean 'review_body'\?\)\n$/);
  });
});
