import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { scoreInBuiltProcess } from './support/score-in-built-process.js';

/**
 * A review that is only a number (`3`, `4.5`) among reviews of words: the start-up check leaves such a column alone
 * (its first rows are words), and the embedded model scored `3` NEGATIVE 0.443, which the report listed among its most
 * negative reviews. The rows are scored as before; the summary (its lines and --summary-json's `run.numberOnly`) and the
 * report (the page, `numberOnly` in its JSON) count them and name the first, and the report's examples leave them out.
 * The runs' summaries and files are the subject, not their exit codes nor standard error: they score in this process
 * (support/score-in-built-process.ts); report, whose output is read, is spawned.
 */
describe('texts that are only a number, among reviews', () => {
  let dir: string;
  let cleanup: () => void;
  const at = (name: string) => path.join(dir, name);
  const words = Array.from({ length: 12 }, (_, n) => `${n + 1},"This product was fine, I liked it, review ${n + 1}"`);
  beforeAll(() => ({ dir, cleanup } = tempDir('sb-number-only-')));
  afterAll(() => cleanup());

  it('the summary counts them, the rows are scored as before, the report names them and lists none as an example', async () => {
    writeFileSync(at('mixed.csv'), `id,text\n${[...words, '13,3', '14,4.5', '15,"Terrible, broke in a day"'].join('\n')}\n`);
    const score = await scoreInBuiltProcess([at('mixed.csv'), '-o', at('mixed.scored.csv'), '--backend', 'embedded', '--summary-json', at('mixed.summary.json'), '--log-level', 'error']);
    expect(score.code, score.stdout).toBe(0);
    expect(score.stdout).toContain('  2 texts are only a number (the first: row 13): their scores say nothing of sentiment\n');
    const summary = JSON.parse(readFileSync(at('mixed.summary.json'), 'utf8')) as { run: { numberOnly?: unknown; totals: { scored: number } } };
    expect(summary.run.numberOnly).toEqual({ rows: 2, firstRow: 13 });
    expect(summary.run.totals.scored).toBe(15);
    const scored = readFileSync(at('mixed.scored.csv'), 'utf8');
    expect(scored).toMatch(/\n13,3,NEGATIVE,0\.4433/);

    const html = await runCli(['report', at('mixed.scored.csv'), '-o', at('mixed.html')]);
    expect(html.code, html.stderr).toBe(0);
    const page = readFileSync(at('mixed.html'), 'utf8');
    expect(page).toContain('<p class="note">2 texts are only a number (the first: row 13): their scores say nothing of sentiment, and the examples below leave them out.</p>');
    const examples = page.split('<section data-section="examples">')[1] ?? '';
    expect(examples).toContain('<q dir="auto">Terrible, broke in a day</q>');
    expect(examples).not.toContain('<q dir="auto">3</q>');
    expect(examples).not.toContain('<q dir="auto">4.5</q>');
    const json = await runCli(['report', at('mixed.scored.csv'), '-o', at('mixed.json')]);
    expect(json.code, json.stderr).toBe(0);
    const figures = JSON.parse(readFileSync(at('mixed.json'), 'utf8')) as { numberOnly?: unknown; totals: { scored: number; negative: number } };
    expect(figures.numberOnly).toEqual({ rows: 2, firstRow: 13 });
    // Counted as scored, as the run scored them: only the examples leave them out.
    expect(figures.totals).toMatchObject({ scored: 15, negative: 2 });
  });

  // --examples 0 lists no text, but the run's text column is read where it is there: the count is the same. A copy with
  // the reviews taken out is reported as it is, with no count (no text to tell them by). Read only for the examples,
  // the text was not read with none asked for: the page and the JSON said nothing of the 2 texts, as of a file with none.
  it('--examples 0 counts them all the same where the text column is there', async () => {
    const json = await runCli(['report', at('mixed.scored.csv'), '-o', at('none.json'), '--examples', '0']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toContain('2 texts are only a number (the first: row 13): their scores say nothing of sentiment');
    expect(JSON.parse(readFileSync(at('none.json'), 'utf8')).numberOnly).toEqual({ rows: 2, firstRow: 13 });
    const html = await runCli(['report', at('mixed.scored.csv'), '-o', at('none.html'), '--examples', '0']);
    expect(html.code, html.stderr).toBe(0);
    expect(readFileSync(at('none.html'), 'utf8')).toContain('<p class="note">2 texts are only a number (the first: row 13): their scores say nothing of sentiment.</p>');
    const copy = readFileSync(at('mixed.scored.csv'), 'utf8').split('\n').map((line) => line.replace(/^([^,]*),("[^"]*"|[^,]*),/, '$1,')).join('\n');
    writeFileSync(at('no-text.scored.csv'), copy);
    const bare = await runCli(['report', at('no-text.scored.csv'), '-o', at('no-text.json'), '--examples', '0']);
    expect(bare.code, bare.stderr).toBe(0);
    expect(JSON.parse(readFileSync(at('no-text.json'), 'utf8'))).not.toHaveProperty('numberOnly');
    expect(JSON.parse(readFileSync(at('no-text.json'), 'utf8')).totals.scored).toBe(15);
  });

  it('one such text: said in the singular', async () => {
    writeFileSync(at('one.csv'), `id,text\n${[...words, '13,7'].join('\n')}\n`);
    const score = await scoreInBuiltProcess([at('one.csv'), '-o', at('one.scored.csv'), '--backend', 'embedded', '--log-level', 'error']);
    expect(score.code, score.stdout).toBe(0);
    expect(score.stdout).toContain('  1 text is only a number (row 13): its score says nothing of sentiment\n');
  });

  it('none: no line, no field', async () => {
    writeFileSync(at('words.csv'), `id,text\n${[...words, '13,"10/10 would buy again"', '14,5 stars'].join('\n')}\n`);
    const score = await scoreInBuiltProcess([at('words.csv'), '-o', at('words.scored.csv'), '--backend', 'embedded', '--summary-json', at('words.summary.json'), '--log-level', 'error']);
    expect(score.code, score.stdout).toBe(0);
    expect(score.stdout).not.toContain('only a number');
    expect(JSON.parse(readFileSync(at('words.summary.json'), 'utf8')).run).not.toHaveProperty('numberOnly');
    const json = await runCli(['report', at('words.scored.csv'), '-o', at('words.json')]);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).not.toContain('only a number');
    expect(JSON.parse(readFileSync(at('words.json'), 'utf8'))).not.toHaveProperty('numberOnly');
  });
});

/**
 * An "already done" rerun reads no row: the count is the checkpoint's (`numberOnly`, the whole output's), so the rerun
 * says the line the run said, and --summary-json's top-level `numberOnly` holds it (`run.numberOnly` stays this run's:
 * none). A checkpoint written before it was kept says nothing of them.
 */
describe('texts that are only a number, said again by an "already done" rerun', () => {
  let dir: string;
  let cleanup: () => void;
  const at = (name: string) => path.join(dir, name);
  const words = Array.from({ length: 12 }, (_, n) => `${n + 1},"This product was fine, I liked it, review ${n + 1}"`);
  beforeAll(() => ({ dir, cleanup } = tempDir('sb-number-only-rerun-')));
  afterAll(() => cleanup());
  const score = (name: string, summary: string) =>
    scoreInBuiltProcess([at(`${name}.csv`), '-o', at(`${name}.scored.csv`), '--backend', 'embedded', '--summary-json', at(summary), '--log-level', 'error']);
  const line = '  2 texts are only a number (the first: row 13): their scores say nothing of sentiment\n';

  it('the rerun repeats the line and the figure', async () => {
    writeFileSync(at('mixed.csv'), `id,text\n${[...words, '13,3', '14,4.5', '15,"Terrible, broke in a day"'].join('\n')}\n`);
    const first = await score('mixed', 'first.json');
    expect(first.code, first.stdout).toBe(0);
    expect(first.stdout).toContain(line);
    expect(JSON.parse(readFileSync(at('first.json'), 'utf8')).numberOnly).toEqual({ rows: 2, firstRow: 13 });
    const checkpoint = JSON.parse(readFileSync(at('mixed.scored.csv.checkpoint.json'), 'utf8')) as { numberOnly?: unknown };
    expect(checkpoint.numberOnly).toEqual({ rows: 2, firstRow: 13 });
    const rerun = await score('mixed', 'rerun.json');
    expect(rerun.code, rerun.stdout).toBe(0);
    expect(rerun.stdout).toContain('Already done');
    expect(rerun.stdout).toContain(line);
    const summary = JSON.parse(readFileSync(at('rerun.json'), 'utf8')) as { status: string; numberOnly?: unknown; run: object };
    expect(summary.status).toBe('already-done');
    expect(summary.numberOnly).toEqual({ rows: 2, firstRow: 13 });
    expect(summary.run).not.toHaveProperty('numberOnly');
  });

  it('none: the checkpoint keeps a count of 0, and neither summary has a line or a field', async () => {
    writeFileSync(at('words.csv'), `id,text\n${words.join('\n')}\n`);
    expect((await score('words', 'words1.json')).code).toBe(0);
    expect(JSON.parse(readFileSync(at('words.scored.csv.checkpoint.json'), 'utf8')).numberOnly).toEqual({ rows: 0, firstRow: 0 });
    const rerun = await score('words', 'words2.json');
    expect(rerun.code, rerun.stdout).toBe(0);
    expect(rerun.stdout).not.toContain('only a number');
    expect(JSON.parse(readFileSync(at('words1.json'), 'utf8'))).not.toHaveProperty('numberOnly');
    expect(JSON.parse(readFileSync(at('words2.json'), 'utf8'))).not.toHaveProperty('numberOnly');
  });

  it("an older checkpoint without the count: the rerun says nothing of them", async () => {
    writeFileSync(at('old.csv'), `id,text\n${[...words, '13,3', '14,4.5'].join('\n')}\n`);
    expect((await score('old', 'old1.json')).code).toBe(0);
    const file = at('old.scored.csv.checkpoint.json');
    const { numberOnly: _kept, ...older } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify(older, null, 2));
    const rerun = await score('old', 'old2.json');
    expect(rerun.code, rerun.stdout).toBe(0);
    expect(rerun.stdout).toContain('Already done');
    expect(rerun.stdout).not.toContain('only a number');
    expect(JSON.parse(readFileSync(at('old2.json'), 'utf8'))).not.toHaveProperty('numberOnly');
  });
});
