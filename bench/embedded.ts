/**
 * Benchmark of the embedded model: load time, texts per second on one core
 * (SST-2 sentences when ../shared is present, and a synthetic set that is
 * always there), short reviews per second through the real CLI, the time of
 * one 10 MB text, and — when ../shared is present — accuracy, balanced
 * accuracy and calibration on the SST-2 held-out sentences of the file's own
 * split and on the real review exports (bench/review-sets.ts; evaluation
 * only: those sets are never trained on).
 *
 *   npm run bench -- embedded
 *   EMBEDDED_MODEL=/tmp/x.bin EMBEDDED_BENCH=accuracy npm run bench -- embedded   # another file, accuracy only
 *   EMBEDDED_CLI_BASELINE=/tmp/base EMBEDDED_BENCH=cli npm run bench -- embedded   # the CLI only, side by side with another build
 *
 * A baseline of commit C, built in a temporary folder:
 *   git worktree add /tmp/base C && cp -a node_modules /tmp/base/ && (cd /tmp/base && npm run build)
 * (EMBEDDED_CLI_ROUNDS: rounds of each, default 5; bench/embedded-cli.ts.)
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultModelPath, findPackageRoot } from '../src/model/locate.js';
import { decodeModel } from '../src/model/format.js';
import { findFullSentences, splitSst2, type SplitOptions } from '../src/model/split.js';
import { readSst2 } from '../src/model/sst2.js';
import { createRng } from '../src/model/rng.js';
import { loadEmbeddedModel, type EmbeddedModel } from '../src/scoring/embedded.js';
import { cliSideBySide, cliThroughput } from './embedded-cli.js';
import { formatFigures, loadReviewSets, measure, type ReviewSetFigures } from './review-sets.js';
import { median } from './support.js';

const root = findPackageRoot() ?? process.cwd();
const shared = path.resolve(root, '../shared');

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

/** SST-2 held-out accuracy and ECE of the model, on the split its file records (needs ../shared). */
function sst2HeldOut(model: EmbeddedModel, file: string): ReviewSetFigures | undefined {
  const sst2 = path.join(shared, 'data', 'sst2', 'train.tsv');
  if (!existsSync(sst2)) return undefined;
  const header = decodeModel(readFileSync(file)).header;
  const split = splitSst2(readSst2(sst2), header.training['split'] as SplitOptions);
  return measure((text) => model.scoreText(text).positive, split.heldOut.map((e) => ({ text: e.text, positive: e.label === 1 })));
}

function reviewAccuracy(model: EmbeddedModel): Record<string, ReviewSetFigures> {
  const out: Record<string, ReviewSetFigures> = {};
  for (const set of loadReviewSets(path.join(shared, 'data', 'reviews'))) {
    out[set.name] = measure((text) => model.scoreText(text).positive, set.examples);
  }
  return out;
}

/** Short reviews per second through the real CLI: alone, or side by side with EMBEDDED_CLI_BASELINE's build. */
async function cliFigures(reviews: readonly string[], figures: Record<string, unknown>): Promise<void> {
  const baseline = process.env['EMBEDDED_CLI_BASELINE'];
  if (baseline) {
    figures.cliSideBySide = await cliSideBySide(reviews, baseline, Number(process.env['EMBEDDED_CLI_ROUNDS'] ?? 5));
    return;
  }
  const cli = await cliThroughput(reviews);
  figures.cliShortReviewsPerSecond = cli.rowsPerSecond;
  console.log(`  real CLI (score --backend embedded, ${cli.rows} short reviews, start-up included): ${cli.seconds.toFixed(2)} s, ${cli.rowsPerSecond} reviews/s`);
}

/** Load-free speed figures: texts per second in-process and one 10 MB text. */
async function speed(model: EmbeddedModel): Promise<Record<string, unknown>> {
  const figures: Record<string, unknown> = {};
  const synthetic = syntheticReviews(100_000);
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

  await cliFigures(synthetic, figures);

  const huge = 'The first half was slow, but the finale was stunning and I loved it. '.repeat(150_000);
  const started = performance.now();
  model.scoreText(huge);
  figures.tenMegabyteTextMs = Number((performance.now() - started).toFixed(1));
  console.log(`  one ${(huge.length / 1e6).toFixed(1)} M-character text: ${figures.tenMegabyteTextMs} ms`);

  return figures;
}

export async function run(): Promise<Record<string, unknown>> {
  // EMBEDDED_MODEL=path measures another model file (e.g. a candidate written by train-model --out).
  const modelPath = process.env['EMBEDDED_MODEL'] ? path.resolve(process.env['EMBEDDED_MODEL']) : defaultModelPath();
  const accuracyOnly = process.env['EMBEDDED_BENCH'] === 'accuracy';
  if (process.env['EMBEDDED_BENCH'] === 'cli') {
    const figures: Record<string, unknown> = {};
    await cliFigures(syntheticReviews(100_000), figures);
    return figures;
  }
  const loads: number[] = [];
  let model: EmbeddedModel | undefined;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    model = loadEmbeddedModel(modelPath);
    // Up to its first answer: the weights are decoded at the first text (lowfix86), as in the figures before.
    model.scoreText('');
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

  if (!accuracyOnly) Object.assign(figures, await speed(model));

  const heldOut = sst2HeldOut(model, modelPath);
  if (heldOut) {
    figures.sst2HeldOut = heldOut;
    console.log(`  ${formatFigures('SST-2 held-out (own split)', heldOut)}`);
  }
  const reviews = reviewAccuracy(model);
  if (Object.keys(reviews).length > 0) {
    figures.reviewAccuracy = reviews;
    console.log('  accuracy on real review exports (out of domain, evaluation only; labels: see bench/review-sets.ts):');
    for (const [name, r] of Object.entries(reviews)) console.log(`  ${formatFigures(name, r)}`);
  }
  return figures;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
