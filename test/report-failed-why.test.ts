import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { figuresOf } from '../src/report/figures.js';
import { renderHtml } from '../src/report/html-page.js';
import { readScoredRows, type ScoredFileOptions } from '../src/report/scored-rows.js';
import { DEFAULT_LIMITS, Tally } from '../src/report/tally.js';

// A Google Play export scored against a failing service (newuser12: 59 rows http_500, 1 text_too_long): the page said
// "FAILED 60" and "failed · http_500: 59", but not which rows, nor the reason score wrote in each row's error cell, so
// the reader had to open the CSV to learn that the service failed (run again) or that a text was too long (it never
// will be scored). The page names, for each code, its first row and the reason written there.
const HTTP_500 = 'Workers AI failed transiently (HTTP 500, code 3043); the service said: Internal server error (gave up after 1 attempt)';
const TOO_LONG = 'the text has more than 512 tokens (--long-text fail)';
const EMPTY = 'the text is empty or only white space; not sent';

async function pageOf(file: string, options: Partial<ScoredFileOptions>): Promise<{ html: string; figures: ReturnType<typeof figuresOf> }> {
  const tally = new Tally(DEFAULT_LIMITS);
  const read: ScoredFileOptions = { format: undefined, delimiter: undefined, text: 'text', prefix: 'sentiment', by: undefined, date: undefined, rating: undefined, ...options };
  for await (const row of readScoredRows(file, read)) tally.add(row);
  const figures = figuresOf(tally, { input: file, by: undefined, date: undefined, rating: undefined, groupsShown: 20, maxDailyPoints: 120, run: null, model: null, now: new Date(0) });
  return { html: await renderHtml(figures), figures };
}

describe('report: why rows were not scored', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const expectWhy = (html: string, figures: ReturnType<typeof figuresOf>) => {
    expect(figures.notScored).toEqual({
      http_500: { firstRow: 2, message: HTTP_500 },
      text_too_long: { firstRow: 4, message: TOO_LONG },
      empty_text: { firstRow: 5, message: EMPTY },
    });
    const why = html.slice(html.indexOf('<ul class="why">'), html.indexOf('</ul>', html.indexOf('<ul class="why">')));
    expect(why).toContain(`<b>http_500</b> (failed, 2 rows, the first: row 2): <span dir="auto">${HTTP_500}</span>`);
    expect(why).toContain(`<b>text_too_long</b> (failed, row 4): <span dir="auto">${TOO_LONG}</span>`);
    expect(why).toContain(`<b>empty_text</b> (skipped, row 5): <span dir="auto">${EMPTY}</span>`);
  };

  it('names the first row of each code and the reason written in it (CSV)', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-report-why-'));
    const file = path.join(dir, 'gp.scored.csv');
    const cells = (text: string, error: string) => `"${text}",,,,,"${error}"\n`;
    writeFileSync(
      file,
      'text,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n' +
        'good,POSITIVE,0.9,0.1,,\n' +
        cells('meh', `http_500: ${HTTP_500}`) +
        cells('bad', `http_500: ${HTTP_500}`) +
        cells('long', `text_too_long: ${TOO_LONG}`) +
        cells('', `empty_text: ${EMPTY}`),
    );
    const { html, figures } = await pageOf(file, {});
    expectWhy(html, figures);
  });

  it('names the first row of each code and the reason written in it (JSONL)', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-report-why-'));
    const file = path.join(dir, 'gp.scored.jsonl');
    const error = (text: string, code: string, message: string) => `${JSON.stringify({ text, sentiment: { error: { code, message } } })}\n`;
    writeFileSync(
      file,
      `${JSON.stringify({ text: 'good', sentiment: { label: 'POSITIVE', positive: 0.9, negative: 0.1 } })}\n` +
        error('meh', 'http_500', HTTP_500) +
        error('bad', 'http_500', HTTP_500) +
        error('long', 'text_too_long', TOO_LONG) +
        error('', 'empty_text', EMPTY),
    );
    const { html, figures } = await pageOf(file, {});
    expectWhy(html, figures);
  });
});
