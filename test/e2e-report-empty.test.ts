import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

const HEADER = 'id,product,date,stars,review,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error';

/** A report with nothing to chart says so in a sentence: no empty frame with a '0.000000' tick, no table of headings alone. */
describe('report: no scored rows to show', () => {
  let dir: string;
  let cleanup: () => void;
  const at = (name: string) => path.join(dir, name);
  const page = async (rows: string[], name: string): Promise<string> => {
    writeFileSync(at(`${name}.scored.csv`), `${[HEADER, ...rows].join('\n')}\n`);
    const result = await runCli(['report', at(`${name}.scored.csv`), '--by', 'product', '--date', 'date', '--rating', 'stars', '--text-column', 'review', '-o', at(`${name}.html`)]);
    expect(result.code).toBe(0);
    return readFileSync(at(`${name}.html`), 'utf8');
  };
  const sectionOf = (html: string, name: string): string => html.split(`<section data-section="${name}">`)[1]?.split('</section>')[0] ?? '';
  beforeAll(() => ({ dir, cleanup } = tempDir('sb-report-empty-')));
  afterAll(() => cleanup());

  for (const [what, rows] of [
    ['every row failed', ['1,A,2026-11-03,5,good,,,,,http_500: server error', '2,B,2026-11-04,1,bad,,,,,http_500: server error']],
    ['no row at all', []],
  ] as const) {
    it(`${what}: each chart and table is one sentence`, async () => {
      const html = await page([...rows], what.replaceAll(' ', '-'));
      expect(html).not.toContain('<svg');
      expect(html).not.toContain('0.000000');
      expect(html).not.toContain('<table');
      expect(html).not.toContain('0 of 0');
      for (const name of ['histogram', 'groups', 'trend', 'rating']) {
        expect(sectionOf(html, name), name).toContain('<p class="empty">No scored rows: nothing to show here.</p>');
      }
    });
  }

  it('scored rows with no group value and no readable rating: those two sections say so, the histogram is drawn', async () => {
    // Empty rating cells: a column where some cell holds a value and none is a rating is refused (e2e-report-unread-refused).
    const html = await page(['1,,2026-11-03,,good,POSITIVE,0.9,0.1,,', '2,,2026-11-04,,bad,NEGATIVE,0.2,0.8,,'], 'unrated');
    expect(sectionOf(html, 'histogram')).toContain('data-chart="histogram"');
    expect(sectionOf(html, 'groups')).toContain('<p class="empty">No scored row has a value of <b>product</b>.</p>');
    expect(sectionOf(html, 'groups')).not.toContain('<table');
    expect(sectionOf(html, 'rating')).toContain('<p class="empty">No scored row has a readable rating in <b>stars</b>.</p>');
    expect(sectionOf(html, 'rating')).not.toContain('<table');
    expect(sectionOf(html, 'trend')).toContain('data-chart="trend"');
  });
});
