import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TEST_NEGATIVE_WORDS, TEST_POSITIVE_WORDS } from './test-scorer.js';

/** A deterministic synthetic export: `rows` CSV records with some duplicates and empty texts. */
export function syntheticCsv(rows: number, options: { duplicateEvery?: number; emptyEvery?: number; marker?: (i: number) => string } = {}): string {
  const { duplicateEvery = 10, emptyEvery = 25 } = options;
  const lines = ['id,review,stars'];
  for (let i = 0; i < rows; i++) {
    let text: string;
    if (emptyEvery > 0 && i % emptyEvery === emptyEvery - 1) text = '';
    else if (duplicateEvery > 0 && i % duplicateEvery === duplicateEvery - 1) text = reviewText(i - 1);
    else text = reviewText(i);
    text += options.marker?.(i) ?? '';
    lines.push(`${i},"${text.replace(/"/g, '""')}",${(i % 5) + 1}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A unique text per index, mixing the test scorer's words so scores vary. */
export function reviewText(i: number): string {
  const positive = TEST_POSITIVE_WORDS[i % TEST_POSITIVE_WORDS.length] as string;
  const negative = TEST_NEGATIVE_WORDS[(i * 7) % TEST_NEGATIVE_WORDS.length] as string;
  const tone = i % 3 === 0 ? `${positive} and ${positive}` : i % 3 === 1 ? `${negative}, really ${negative}` : `${positive} but ${negative}`;
  return `Review number ${i}: the product was ${tone}, "quoted" part ${i * 31}`;
}

/**
 * Two nightly exports of one feed in `dir`: yesterday's 300 reviews, and today's, one new review and then yesterday's
 * in reverse order (the answers a dropped job of yesterday's paid for are texts today's holds too).
 */
export function writeYesterdayAndToday(dir: string): { yesterday: string; today: string } {
  const rows = Array.from({ length: 300 }, (_, i) => `${i},"${reviewText(i)}",${(i % 5) + 1}`);
  const yesterday = path.join(dir, 'reviews-2026-12-03.csv');
  const today = path.join(dir, 'reviews-2026-12-04.csv');
  writeFileSync(yesterday, `id,review,stars\n${rows.join('\n')}\n`);
  writeFileSync(today, `id,review,stars\n${['999,"A brand new review, nice",5', ...rows.slice().reverse()].join('\n')}\n`);
  return { yesterday, today };
}
