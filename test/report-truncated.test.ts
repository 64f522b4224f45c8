import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { figuresOf } from '../src/report/figures.js';
import { renderHtml } from '../src/report/html-page.js';
import { readScoredRows, type ScoredFileOptions } from '../src/report/scored-rows.js';
import { DEFAULT_LIMITS, Tally } from '../src/report/tally.js';
import { printedFigures } from './support/report-expected.js';

// A Google Play export with a 12,000-character review (newuser12): score's summary said "truncated 1", the page said
// nothing of it, and listed that review first among the most positive (1.000), though only its first 512 tokens were
// scored. The page counts the scored rows whose text was cut (sentiment_truncated / "truncated": true).
async function pageOf(file: string): Promise<{ html: string; figures: ReturnType<typeof figuresOf> }> {
  const tally = new Tally(DEFAULT_LIMITS);
  const read: ScoredFileOptions = { format: undefined, delimiter: undefined, text: 'text', prefix: 'sentiment', by: undefined, date: undefined, rating: undefined };
  for await (const row of readScoredRows(file, read)) tally.add(row);
  const figures = figuresOf(tally, { input: file, by: undefined, date: undefined, rating: undefined, groupsShown: 20, maxDailyPoints: 120, run: null, model: null, now: new Date(0) });
  return { html: await renderHtml(figures), figures };
}

describe('report: texts scored on their first 512 tokens', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const expectTwoCut = async (file: string) => {
    const { html, figures } = await pageOf(file);
    expect(figures.totals.truncated).toBe(2);
    expect(printedFigures(html).get('totals.truncated')).toBe('2');
    expect(html).toContain('2</span> cut to the first 512 tokens');
  };

  it('counts them in a CSV (sentiment_truncated true)', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-report-cut-'));
    const file = path.join(dir, 'gp.scored.csv');
    writeFileSync(
      file,
      'text,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n' +
        'good,POSITIVE,0.9,0.1,,\n' +
        'great great,POSITIVE,1,0,true,\n' +
        'bad bad,NEGATIVE,0.1,0.9,true,\n' +
        'meh,,,,,"http_500: failed"\n',
    );
    await expectTwoCut(file);
  });

  it('counts them in JSONL ("truncated": true)', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-report-cut-'));
    const file = path.join(dir, 'gp.scored.jsonl');
    const line = (text: string, sentiment: object) => `${JSON.stringify({ text, sentiment })}\n`;
    writeFileSync(
      file,
      line('good', { label: 'POSITIVE', positive: 0.9, negative: 0.1 }) +
        line('great great', { label: 'POSITIVE', positive: 1, negative: 0, truncated: true }) +
        line('bad bad', { label: 'NEGATIVE', positive: 0.1, negative: 0.9, truncated: true }) +
        line('meh', { error: { code: 'http_500', message: 'failed' } }),
    );
    await expectTwoCut(file);
  });

  it('says nothing of it when no text was cut', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-report-cut-'));
    const file = path.join(dir, 'gp.scored.csv');
    writeFileSync(file, 'text,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\ngood,POSITIVE,0.9,0.1,,\n');
    const { html, figures } = await pageOf(file);
    expect(figures.totals.truncated).toBe(0);
    expect(html).not.toContain('512 tokens');
  });
});

describe('report: an example scored on its first 512 tokens says so', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('marks the example whose text was cut, and no other', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-report-cut-'));
    const file = path.join(dir, 'gp.scored.csv');
    writeFileSync(
      file,
      'text,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n' +
        'good,POSITIVE,0.9,0.1,,\n' +
        'great great,POSITIVE,1,0,true,\n',
    );
    const { html, figures } = await pageOf(file);
    expect(figures.examples?.mostPositive.map((e) => [e.text, e.truncated])).toEqual([
      ['great great', true],
      ['good', undefined],
    ]);
    const items = html.split('<li>').slice(1);
    expect(items.find((li) => li.includes('>great great<'))).toContain('scored on its first 512 tokens');
    expect(items.find((li) => li.includes('>good<'))).not.toContain('512 tokens');
  });
});
