import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';
import { expectedFigures } from './support/report-expected.js';
import { SCRIPT_REVIEW, writeScoredCsv } from './support/report-fixture.js';

/** Debian's chromium package; the test skips where it is not installed (.ci/run installs it). */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');

describe.skipIf(!existsSync(CHROMIUM))('report in headless Chromium', () => {
  let dir: string;
  let cleanup: () => void;
  let browser: Browser;
  let reportUrl: string;
  let groupCount: number;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('sb-report-browser-'));
    const csv = path.join(dir, 'reviews.scored.csv');
    writeScoredCsv(csv);
    groupCount = expectedFigures(csv).groups.length;
    const html = path.join(dir, 'report.html');
    const result = await runCli(['report', csv, '--by', 'product', '--date', 'date', '--rating', 'stars', '--text-column', 'review', '-o', html]);
    expect(result.code).toBe(0);
    reportUrl = `file://${html}`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    cleanup?.();
  });

  it('renders without console errors or requests, shows the script review as text, one bar per group; saves a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    let dialogs = 0;
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    await page.goto(reportUrl, { waitUntil: 'load' });

    expect(problems).toEqual([]);
    // The page itself is the only thing loaded.
    expect(requests).toEqual([reportUrl]);
    expect(dialogs).toBe(0);
    expect(await page.title()).toBe('Sentiment report — reviews.scored.csv');
    expect(await page.locator('script').count()).toBe(0);
    const negative = page.locator('.examples.negative q').first();
    expect(await negative.textContent()).toBe(SCRIPT_REVIEW);

    // vega draws each bar as a path in the bar layer's group; the rule layer draws the intervals.
    expect(await page.locator('[data-chart="groups"] g.mark-rect.layer_0_marks path').count()).toBe(groupCount);
    expect(await page.locator('[data-chart="groups"] g.mark-rule.layer_1_marks line').count()).toBe(groupCount);
    expect(await page.locator('[data-chart="histogram"] g.mark-rect path').count()).toBe(20);
    expect(await page.locator('[data-chart="rating"] g.mark-rect path').count()).toBe(5);
    expect(await page.locator('[data-chart="trend"] g.mark-line path').count()).toBeGreaterThan(0);
    for (const chart of ['histogram', 'groups', 'trend', 'rating']) {
      const box = await page.locator(`[data-chart="${chart}"] svg`).boundingBox();
      expect(box?.width, chart).toBeGreaterThan(200);
      expect(box?.height, chart).toBeGreaterThan(100);
    }

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    await page.close();
  });

  // At 800-900 px (a laptop's half screen) the agreement callout's '48.6 %' and '100.0 %' broke before the '%', the
  // number on one line and its sign under it (the App Store sample at 800 px, a 1 GB export's page at 900 px).
  it('each figure of the cards and the callouts keeps to one line, at 800 and 900 px', async () => {
    for (const width of [800, 900]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(reportUrl, { waitUntil: 'load' });
      // A string, run in the page: the tests' TypeScript has no DOM library (getComputedStyle).
      const wrapped = (await page.evaluate(
        "[...document.querySelectorAll('.card .value, .callout .value')].filter((e) => e.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(e).lineHeight)).map((e) => e.textContent)",
      )) as string[];
      expect(wrapped, `${width} px`).toEqual([]);
      await page.close();
    }
  });

  it('a file with no scored row: sentences instead of charts and tables, no console errors; saves a screenshot', async () => {
    const csv = path.join(dir, 'allfail.scored.csv');
    const rows = ['1,A,2026-11-03,5,good,,,,,http_500: server error', '2,B,2026-11-04,1,bad,,,,,http_500: server error'];
    writeFileSync(csv, `id,product,date,stars,review,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n${rows.join('\n')}\n`);
    const html = path.join(dir, 'allfail.html');
    const result = await runCli(['report', csv, '--by', 'product', '--date', 'date', '--rating', 'stars', '--text-column', 'review', '-o', html]);
    expect(result.code).toBe(0);
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`file://${html}`, { waitUntil: 'load' });
    expect(problems).toEqual([]);
    expect(await page.locator('svg').count()).toBe(0);
    expect(await page.locator('table').count()).toBe(0);
    for (const section of ['histogram', 'groups', 'trend', 'rating']) {
      const sentence = page.locator(`[data-section="${section}"] p.empty`);
      expect(await sentence.textContent(), section).toBe('No scored rows: nothing to show here.');
      expect(await sentence.isVisible(), section).toBe(true);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-no-scored-rows.png'), fullPage: true });
    await page.close();
  });
});
