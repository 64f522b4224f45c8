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
