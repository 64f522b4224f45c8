import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';

// The start-up warnings on what the texts look like (HTML, a NULL written as a word, another language) judge the first
// 100 records. Under --limit 5 they judged those 100 all the same, so a run that scored five English reviews warned,
// and its summary ended with the warning, of German reviews in rows 6 to 25 it never read. They now judge the records
// the run scores: the first `limit`.
describe('--limit below the start-up sample: the warnings judge only the rows the run scores', () => {
  const { file, path: inDir } = useTempDir();
  const english = Array.from({ length: 5 }, (_, i) => `Review ${i}: the sound is great and the battery lasts.`);
  const german = Array.from({ length: 20 }, (_, i) => `Sehr gut verarbeitet, schnelle Lieferung Nummer ${i}.`);
  const html = Array.from({ length: 20 }, (_, i) => `It&#39;s ok &amp; fine ${i}<br>`);

  it('CSV: rows past the limit are not warned of; rows within it are', async () => {
    const csv = file('mixed.csv', `id,review\n${[...english, ...german].map((text, i) => `${i},"${text}"`).join('\n')}\n`);
    const limited = await runCli(['estimate', csv, '--text-column', 'review', '--limit', '5']);
    expect(limited.code).toBe(0);
    expect(limited.stderr).not.toContain('another language');
    const whole = await runCli(['estimate', csv, '--text-column', 'review']);
    expect(whole.stderr).toContain("--text-column 'review' looks written in another language than English in 20 of the first 25 texts");
    const within = await runCli(['estimate', csv, '--text-column', 'review', '--limit', '10']);
    expect(within.stderr).toContain("--text-column 'review' looks written in another language than English in 5 of the first 10 texts");
    const tagged = file('tagged.csv', `id,review\n${[...english, ...html].map((text, i) => `${i},"${text}"`).join('\n')}\n`);
    const htmlLimited = await runCli(['estimate', tagged, '--text-column', 'review', '--limit', '5']);
    expect(htmlLimited.code).toBe(0);
    expect(htmlLimited.stderr).not.toContain('holds HTML');
  });

  it('JSONL: the same', async () => {
    const jsonl = file('mixed.jsonl', [...english, ...german].map((review, id) => `${JSON.stringify({ id, review })}\n`).join(''));
    const limited = await runCli(['estimate', jsonl, '--text-field', 'review', '--limit', '5']);
    expect(limited.code).toBe(0);
    expect(limited.stderr).not.toContain('another language');
    const within = await runCli(['estimate', jsonl, '--text-field', 'review', '--limit', '6']);
    expect(within.stderr).toContain("--text-field 'review' looks written in another language than English in 1 of the first 6 texts");
  });

  it("score's summary holds no warning of rows it did not score", async () => {
    const csv = file('run.csv', `id,review\n${[...english, ...german].map((text, i) => `${i},"${text}"`).join('\n')}\n`);
    const summary = inDir('run.summary.json');
    const run = await runCli(['score', csv, '--text-column', 'review', '--limit', '5', '-o', inDir('run.scored.csv'), '--summary-json', summary]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('rows 5: scored 5');
    expect(readFileSync(summary, 'utf8')).not.toContain('another language');
  });
});

// The left-out JSONL field warning and the numbers-as-text refusal judged the first 100 records under --limit too: a
// run of five records that all have the field warned of the twenty after them that lack it, and a run of five rows
// with no text was refused over the numbers in the rows after them. They now judge the rows the run scores; rows past
// the limit only confirm a column of numbers that the run's own rows are all numbers of (fewer than ten of them).
describe('--limit below the start-up sample: the left-out field warning and the numbers refusal', () => {
  const { file } = useTempDir();

  it('JSONL: a field left out only of records past the limit is not warned of', async () => {
    const having = Array.from({ length: 5 }, (_, id) => ({ id, review: `Fine ${id}.` }));
    const lacking = Array.from({ length: 20 }, (_, i) => ({ id: i + 5, body: `A long review body that talks about the phone at length, number ${i}.` }));
    const jsonl = file('left-out.jsonl', [...having, ...lacking].map((o) => `${JSON.stringify(o)}\n`).join(''));
    const whole = await runCli(['estimate', jsonl, '--text-field', 'review']);
    expect(whole.stderr).toContain("--text-field 'review' is left out of 20 of the first 25 records");
    const limited = await runCli(['estimate', jsonl, '--text-field', 'review', '--limit', '5']);
    expect(limited.code).toBe(0);
    expect(limited.stderr).not.toContain('left out of');
    const within = await runCli(['estimate', jsonl, '--text-field', 'review', '--limit', '11']);
    expect(within.stderr).toContain("--text-field 'review' is left out of 6 of the first 11 records");
  });

  it('CSV: rows with no text within the limit are not refused over numbers after it', async () => {
    const csv = file('blank-then-numbers.csv', `id,review\n${Array.from({ length: 25 }, (_, i) => `${i},${i < 5 ? '' : i}`).join('\n')}\n`);
    const whole = await runCli(['estimate', csv, '--text-column', 'review']);
    expect(whole.code).toBe(2);
    expect(whole.stderr).toContain("--text-column 'review' holds only numbers in the first 25 rows ('5', '6', '7', ...)");
    const limited = await runCli(['estimate', csv, '--text-column', 'review', '--limit', '5']);
    expect(limited.code, limited.stderr).toBe(0);
  });

  it('CSV: ten rows of numbers within the limit are refused though text follows; fewer are, when the rows after confirm', async () => {
    const mixed = file('numbers-then-text.csv', `id,review\n${Array.from({ length: 25 }, (_, i) => `${i},${i < 10 ? i + 1 : `"great phone ${i}"`}`).join('\n')}\n`);
    expect((await runCli(['estimate', mixed, '--text-column', 'review'])).code).toBe(0);
    const limited = await runCli(['estimate', mixed, '--text-column', 'review', '--limit', '10']);
    expect(limited.code).toBe(2);
    expect(limited.stderr).toContain("--text-column 'review' holds only numbers in the first 10 rows ('1', '2', '3', ...)");
    // A trial run of five rows on a column of ratings is still refused: the rows after the limit confirm it.
    const stars = file('stars.csv', `id,stars\n${Array.from({ length: 25 }, (_, i) => `${i},${(i % 5) + 1}`).join('\n')}\n`);
    const trial = await runCli(['estimate', stars, '--text-column', 'stars', '--limit', '5']);
    expect(trial.code).toBe(2);
    expect(trial.stderr).toContain("--text-column 'stars' holds only numbers in the first 25 rows");
    // Five rows of numbers before text are no column of numbers: the run of five is not refused.
    expect((await runCli(['estimate', mixed, '--text-column', 'review', '--limit', '5'])).code).toBe(0);
  });

  it('JSONL: the same', async () => {
    const lines = Array.from({ length: 25 }, (_, i) => JSON.stringify({ id: i, review: i < 5 ? '' : String(i) }));
    const jsonl = file('blank-then-numbers.jsonl', `${lines.join('\n')}\n`);
    expect((await runCli(['estimate', jsonl, '--text-field', 'review'])).code).toBe(2);
    const limited = await runCli(['estimate', jsonl, '--text-field', 'review', '--limit', '5']);
    expect(limited.code, limited.stderr).toBe(0);
  });
});
