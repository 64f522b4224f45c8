/**
 * Benchmark of the embedded model: load time, texts per second on one core
 * (SST-2 sentences when ../shared is present, and a synthetic set that is
 * always there), the time of one 10 MB text, and — when ../shared is
 * present — accuracy on the real review exports (out of domain: the model
 * learnt from film-review sentences).
 *
 *   npx tsc -p tsconfig.json && node dist/bench/embedded.js
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { defaultModelPath, findPackageRoot } from '../src/model/locate.js';
import { findFullSentences } from '../src/model/split.js';
import { readSst2 } from '../src/model/sst2.js';
import { createRng } from '../src/model/rng.js';
import { loadEmbeddedModel, type EmbeddedModel } from '../src/scoring/embedded.js';

const root = findPackageRoot() ?? process.cwd();
const shared = path.resolve(root, '../shared');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Texts per second over `texts`, best of three passes after a warm-up (one core, no I/O). */
function throughput(model: EmbeddedModel, texts: readonly string[]): number {
  for (const text of texts.slice(0, 2000)) model.scoreText(text);
  let best = 0;
  for (let pass = 0; pass < 3; pass++) {
    const started = performance.now();
    for (const text of texts) model.scoreText(text);
    best = Math.max(best, texts.length / ((performance.now() - started) / 1000));
  }
  return Math.round(best);
}

/** Short review-like texts, 60–200 characters, from a seeded generator. */
function syntheticReviews(count: number): string[] {
  const rng = createRng(2024);
  const pick = (list: readonly string[]) => list[Math.floor(rng() * list.length)] as string;
  const openers = ['Honestly,', 'Overall', 'I think', 'To be fair,', 'Well,', ''];
  const subjects = ['the room', 'this blender', 'the staff', 'the app', 'the ending', 'delivery', 'the battery'];
  const verdicts = ['was great', 'was terrible', "wasn't worth it", 'works perfectly', 'broke after a week', 'is okay I guess', 'exceeded expectations'];
  const tails = ['.', '!', ' and I would buy it again.', ', never again.', ' 😀', ' — five stars.', '... meh'];
  return Array.from({ length: count }, () => `${pick(openers)} ${pick(subjects)} ${pick(verdicts)}${pick(tails)} ${pick(subjects)} ${pick(verdicts)}.`.trim());
}

interface LabelledSet {
  name: string;
  file: string;
  text: (row: Record<string, string>) => string;
  /** true = positive, false = negative, undefined = neither (e.g. 3 stars). */
  label: (row: Record<string, string>) => boolean | undefined;
}

const byStars = (stars: string | undefined) => {
  const n = Number(stars);
  return n >= 4 ? true : n > 0 && n <= 2 ? false : undefined;
};

const REVIEW_SETS: LabelledSet[] = [
  { name: 'imdb labelled sentences', file: 'imdb-labelled-sentences-bom.csv', text: (r) => r['text'] ?? '', label: (r) => r['positive_flag'] === '1' },
  { name: 'yelp (1-2 vs 4-5 stars)', file: 'yelp-reviews-4k.csv', text: (r) => r['text'] ?? '', label: (r) => byStars(r['stars']) },
  { name: 'tripadvisor hotels', file: 'tripadvisor-hotel-reviews-sample.csv', text: (r) => r['Review'] ?? '', label: (r) => byStars(r['Rating']) },
  { name: 'ChatGPT app reviews', file: 'chatgpt-app-reviews.csv', text: (r) => r['review'] ?? '', label: (r) => byStars(r['rating']) },
  { name: 'amazon instruments', file: 'amazon-musical-instruments-reviews-500.csv', text: (r) => r['reviewText'] ?? '', label: (r) => byStars(r['overall']) },
];

function reviewAccuracy(model: EmbeddedModel): Record<string, { texts: number; accuracy: number; positiveShare: number }> {
  const out: Record<string, { texts: number; accuracy: number; positiveShare: number }> = {};
  for (const set of REVIEW_SETS) {
    const file = path.join(shared, 'data', 'reviews', set.file);
    if (!existsSync(file)) continue;
    const rows = parse(readFileSync(file, 'utf8'), { columns: true, bom: true, relax_column_count: true }) as Record<string, string>[];
    let texts = 0;
    let correct = 0;
    let positives = 0;
    for (const row of rows) {
      const label = set.label(row);
      if (label === undefined) continue;
      texts++;
      if (label) positives++;
      if ((model.scoreText(set.text(row)).label === 'POSITIVE') === label) correct++;
    }
    out[set.name] = { texts, accuracy: correct / texts, positiveShare: positives / texts };
  }
  return out;
}

export async function run(): Promise<Record<string, unknown>> {
  const modelPath = defaultModelPath();
  const loads: number[] = [];
  let model: EmbeddedModel | undefined;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    model = loadEmbeddedModel(modelPath);
    loads.push(performance.now() - started);
  }
  if (!model) throw new Error('unreachable');
  const figures: Record<string, unknown> = {
    modelId: model.modelId,
    fileBytes: readFileSync(modelPath).length,
    firstLoadMs: Number((loads[0] as number).toFixed(1)),
    medianLoadMs: Number(median(loads).toFixed(1)),
  };
  console.log(`embedded model ${model.modelId}: ${((figures.fileBytes as number) / 1024).toFixed(0)} KiB, load ${figures.firstLoadMs} ms (first), ${figures.medianLoadMs} ms (median of 5)`);

  const synthetic = syntheticReviews(50_000);
  const meanLength = synthetic.reduce((s, t) => s + t.length, 0) / synthetic.length;
  figures.syntheticTextsPerSecond = throughput(model, synthetic);
  console.log(`  synthetic short reviews (${synthetic.length}, mean ${meanLength.toFixed(0)} chars): ${figures.syntheticTextsPerSecond} texts/s on one core`);

  const sst2 = path.join(shared, 'data', 'sst2', 'train.tsv');
  if (existsSync(sst2)) {
    const sentences = findFullSentences(readSst2(sst2), 5).map((e) => e.text);
    figures.sst2SentencesPerSecond = throughput(model, sentences);
    console.log(`  SST-2 full sentences (${sentences.length}): ${figures.sst2SentencesPerSecond} texts/s on one core`);
  } else {
    console.log(`  SST-2 sentences: skipped (${sst2} absent)`);
  }

  const huge = 'The first half was slow, but the finale was stunning and I loved it. '.repeat(150_000);
  const started = performance.now();
  model.scoreText(huge);
  figures.tenMegabyteTextMs = Number((performance.now() - started).toFixed(1));
  console.log(`  one ${(huge.length / 1e6).toFixed(1)} M-character text: ${figures.tenMegabyteTextMs} ms`);

  const reviews = reviewAccuracy(model);
  if (Object.keys(reviews).length > 0) {
    figures.reviewAccuracy = reviews;
    console.log('  accuracy on real review exports (out of domain; labels from star ratings, 3 stars left out):');
    for (const [name, r] of Object.entries(reviews)) {
      console.log(`    ${name.padEnd(26)} ${String(r.texts).padStart(5)} texts  ${(100 * r.accuracy).toFixed(1)} %  (${(100 * r.positiveShare).toFixed(0)} % positive)`);
    }
  }
  return figures;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
