import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import { createRng } from '../../src/model/rng.js';

/** A review that must show as text in the report, never run. */
export const SCRIPT_REVIEW = 'Terrible <script>document.title="pwned";alert(1)</script> & "worst" ever';

// One product name carries markup too: it reaches the table and the chart's axis labels.
export const PRODUCTS = ['Kettle', 'Toaster', 'Blender', 'Lamp', 'Speaker', 'Fan <script>x()</script>'];

const HEADER = ['id', 'product', 'date', 'stars', 'day_iso', 'review', 'sentiment_label', 'sentiment_positive', 'sentiment_negative', 'sentiment_truncated', 'sentiment_error'];

/** The same day written the ways exports write it; `day_iso` keeps the truth for the tests. */
function dateCell(day: Date, style: number): string {
  const y = day.getUTCFullYear();
  const m = day.getUTCMonth() + 1;
  const d = day.getUTCDate();
  const two = (n: number) => String(n).padStart(2, '0');
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1];
  switch (style % 5) {
    case 0:
      return `${y}-${two(m)}-${two(d)}`;
    case 1:
      return `${y}-${two(m)}-${two(d)}T${two(8 + (style % 12))}:15:00Z`;
    case 2:
      return `${two(m)}/${two(d)}/${y}`;
    case 3:
      return `${month} ${d}, ${y}`;
    default:
      return `${two(d)}.${two(m)}.${y}`;
  }
}

/** Rows of a scored CSV as `score` writes them: 6 products of different sizes, 12 days, 1–5 stars, a few skipped and failed rows. */
export function scoredRows(count = 420): string[][] {
  const next = createRng(20261201);
  const rows: string[][] = [];
  for (let i = 0; i < count; i++) {
    // Product sizes fall off: Kettle is the largest group, Fan the smallest.
    const product = PRODUCTS[Math.min(PRODUCTS.length - 1, Math.floor(next() * next() * PRODUCTS.length * 1.3))]!;
    const day = new Date(Date.UTC(2026, 10, 20 + Math.floor(next() * 12)));
    const stars = 1 + Math.floor(next() * 5);
    const lean = (stars - 3) / 2.5 + (product === 'Toaster' ? -0.6 : product === 'Lamp' ? 0.3 : 0);
    const positive = 1 / (1 + Math.exp(-(lean * 3 + (next() - 0.5) * 4)));
    let review = `Review ${i} of the ${product.toLowerCase()}: ${positive > 0.5 ? 'works well, happy' : 'disappointing, returned it'}.`;
    let cells = scoredCells(positive);
    if (i % 53 === 7) {
      review = '   ';
      cells = ['', '', '', '', 'empty_text: the text is empty or only white space; not sent'];
    } else if (i % 71 === 11) {
      cells = ['', '', '', '', 'http_500: the service answered 500 after 6 attempts'];
    } else if (i === 100) {
      review = SCRIPT_REVIEW;
      cells = scoredCells(0.00001);
    }
    const date = i === 5 ? 'sometime soon' : dateCell(day, i);
    rows.push([`r${i}`, product, date, String(stars), i === 5 ? '' : day.toISOString().slice(0, 10), review, ...cells]);
  }
  return rows;
}

function scoredCells(positive: number): string[] {
  return [positive >= 0.5 ? 'POSITIVE' : 'NEGATIVE', String(positive), String(1 - positive), '', ''];
}

export function writeScoredCsv(file: string, rows = scoredRows()): void {
  writeFileSync(file, stringify([HEADER, ...rows]));
}

/** The same records as JSONL (gzip), with the sentiment field as `score` writes it. */
export function writeScoredJsonlGz(file: string, rows = scoredRows()): void {
  const lines = rows.map((r) => {
    const [id, product, date, stars, dayIso, review, label, positive, negative, , error] = r as string[];
    const colon = error!.indexOf(':');
    const sentiment = error
      ? { error: { code: error.slice(0, colon), message: error.slice(colon + 2) } }
      : { label, positive: Number(positive), negative: Number(negative) };
    return JSON.stringify({ id, meta: { product }, date, stars: Number(stars), day_iso: dayIso, review, sentiment });
  });
  writeFileSync(file, gzipSync(`${lines.join('\n')}\n`));
}
