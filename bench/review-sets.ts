/**
 * Accuracy of a sentiment scorer on the real review exports in
 * ../shared/data/reviews (out of domain for a model trained on film
 * sentences). These sets have no licence for training: they are used to
 * evaluate only. Labels:
 *   - star ratings: 4–5 positive, 1–2 negative, 3 left out;
 *   - Booking.com: the text of the "positive" field is positive, of the
 *     "negative" field negative; the placeholders "No Positive" / "No Negative"
 *     and empty answers are left out (answers such as "Nothing" in the
 *     negative field are kept, labelled negative: see model/MODEL.md);
 *   - IMDb labelled sentences and the IMDb 50k sample: their own labels.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { reliability } from '../src/model/calibrate.js';

export interface ReviewSetFigures {
  texts: number;
  accuracy: number;
  /** Mean of the accuracy on positive and on negative texts. */
  balancedAccuracy: number;
  /** Expected calibration error of P(POSITIVE), 5 bins of confidence. */
  ece: number;
  positiveShare: number;
}

/** What the bench needs from a scorer: P(POSITIVE) of a text. */
export type PositiveProbability = (text: string) => number;

interface LabelledText {
  text: string;
  positive: boolean;
}

interface ReviewSet {
  name: string;
  file: string;
  examples(rows: Record<string, string>[]): LabelledText[];
}

const byStars = (stars: string | undefined): boolean | undefined => {
  const n = Number(stars);
  return n >= 4 ? true : n > 0 && n <= 2 ? false : undefined;
};

/** One example per row whose label is known. */
function rowsToExamples(text: (r: Record<string, string>) => string, label: (r: Record<string, string>) => boolean | undefined) {
  return (rows: Record<string, string>[]): LabelledText[] =>
    rows.flatMap((r) => {
      const positive = label(r);
      return positive === undefined ? [] : [{ text: text(r), positive }];
    });
}

function bookingAnswers(rows: Record<string, string>[]): LabelledText[] {
  const out: LabelledText[] = [];
  for (const r of rows) {
    const good = (r['Positive_Review'] ?? '').trim();
    const bad = (r['Negative_Review'] ?? '').trim();
    if (good !== '' && good !== 'No Positive') out.push({ text: good, positive: true });
    if (bad !== '' && bad !== 'No Negative') out.push({ text: bad, positive: false });
  }
  return out;
}

export const REVIEW_SETS: ReviewSet[] = [
  { name: 'yelp-reviews-4k', file: 'yelp-reviews-4k.csv', examples: rowsToExamples((r) => r['text'] ?? '', (r) => byStars(r['stars'])) },
  { name: 'app-store (review column)', file: 'chatgpt-app-reviews.csv', examples: rowsToExamples((r) => r['review'] ?? '', (r) => byStars(r['rating'])) },
  {
    name: 'app-store (title + review)',
    file: 'chatgpt-app-reviews.csv',
    examples: rowsToExamples((r) => `${r['title'] ?? ''}\n${r['review'] ?? ''}`, (r) => byStars(r['rating'])),
  },
  { name: 'booking (by field)', file: 'booking-515k-hotel-reviews-sample.csv', examples: bookingAnswers },
  { name: 'imdb sentences', file: 'imdb-labelled-sentences-bom.csv', examples: rowsToExamples((r) => r['text'] ?? '', (r) => r['positive_flag'] === '1') },
  {
    name: 'amazon instruments',
    file: 'amazon-musical-instruments-reviews-500.csv',
    examples: rowsToExamples((r) => r['reviewText'] ?? '', (r) => byStars(r['overall'])),
  },
  { name: 'tripadvisor hotels', file: 'tripadvisor-hotel-reviews-sample.csv', examples: rowsToExamples((r) => r['Review'] ?? '', (r) => byStars(r['Rating'])) },
  {
    name: 'imdb 50k sample (long)',
    file: 'imdb-50k-reviews-sample.csv',
    examples: rowsToExamples((r) => r['review'] ?? '', (r) => (r['sentiment'] === 'positive' ? true : r['sentiment'] === 'negative' ? false : undefined)),
  },
];

/** Figures of one labelled set. */
export function measure(score: PositiveProbability, examples: readonly LabelledText[]): ReviewSetFigures {
  let hitsPositive = 0;
  let hitsNegative = 0;
  let positives = 0;
  const probabilities: number[] = [];
  const labels: number[] = [];
  for (const { text, positive } of examples) {
    const p = score(text);
    probabilities.push(p);
    labels.push(positive ? 1 : 0);
    if (positive) positives++;
    if (positive && p >= 0.5) hitsPositive++;
    if (!positive && p < 0.5) hitsNegative++;
  }
  const negatives = examples.length - positives;
  const recallPositive = positives > 0 ? hitsPositive / positives : 1;
  const recallNegative = negatives > 0 ? hitsNegative / negatives : 1;
  return {
    texts: examples.length,
    accuracy: (hitsPositive + hitsNegative) / Math.max(1, examples.length),
    balancedAccuracy: (recallPositive + recallNegative) / 2,
    ece: reliability(probabilities, labels).ece,
    positiveShare: positives / Math.max(1, examples.length),
  };
}

/** Reads the labelled examples of every set present under `reviewsDir`. */
export function loadReviewSets(reviewsDir: string): { name: string; examples: LabelledText[] }[] {
  const out: { name: string; examples: LabelledText[] }[] = [];
  for (const set of REVIEW_SETS) {
    const file = path.join(reviewsDir, set.file);
    if (!existsSync(file)) continue;
    const rows = parse(readFileSync(file, 'utf8'), { columns: true, bom: true, relax_column_count: true }) as Record<string, string>[];
    out.push({ name: set.name, examples: set.examples(rows) });
  }
  return out;
}

export function formatFigures(name: string, f: ReviewSetFigures): string {
  const pct = (x: number) => `${(100 * x).toFixed(1).padStart(5)} %`;
  return `${name.padEnd(28)} ${String(f.texts).padStart(5)} texts  acc ${pct(f.accuracy)}  balanced ${pct(f.balancedAccuracy)}  ECE ${f.ece.toFixed(3)}  (${(100 * f.positiveShare).toFixed(0)} % positive)`;
}
