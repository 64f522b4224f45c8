/**
 * Throughput of the tokenizer (countTokens, fitToWindow) and of the result
 * cache (put, get). Run: `npm run build && node dist/bench/tokenizer-cache.js`.
 * The real-export part reads ../shared/data/reviews/yelp-reviews-4k.csv and is
 * skipped with a message when that folder is absent.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { parse } from 'csv-parse/sync';

import { toScores } from '../src/scoring/scorer.js';
import { ResultCache } from '../src/state/cache.js';
import { findPackageRoot, loadTokenizer, type DistilbertTokenizer } from '../src/tokenizer/index.js';

const MODEL = 'workers-ai:@cf/huggingface/distilbert-sst-2-int8';
const CACHE_ENTRIES = 100_000;

function timed<T>(action: () => T): { result: T; seconds: number } {
  const start = process.hrtime.bigint();
  const result = action();
  return { result, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

const perSecond = (count: number, seconds: number): number => Math.round(count / seconds);

function countAll(tokenizer: DistilbertTokenizer, texts: string[]): { tokens: number; seconds: number } {
  const { result, seconds } = timed(() => texts.reduce((sum, text) => sum + tokenizer.countTokens(text), 0));
  return { tokens: result, seconds };
}

function realExport(tokenizer: DistilbertTokenizer): Record<string, unknown> | undefined {
  const file = path.resolve(findPackageRoot(import.meta.url), '../shared/data/reviews/yelp-reviews-4k.csv');
  if (!existsSync(file)) {
    console.log(`real export: skipped (${file} is absent: it exists only beside the project's development checkout)`);
    return undefined;
  }
  const rows = parse(readFileSync(file), { columns: true, bom: true }) as Array<Record<string, string>>;
  const texts = rows.map((row) => row['text'] ?? '');
  const chars = texts.reduce((sum, text) => sum + text.length, 0);
  countAll(tokenizer, texts.slice(0, 200)); // warm-up
  const { tokens, seconds } = countAll(tokenizer, texts);
  // fitToWindow over the same reviews: those over the window are where its cut's search costs.
  const fit = timed(() => texts.filter((text) => tokenizer.fitToWindow(text).truncated).length);
  const truncated = fit.result;
  const figures = {
    file: path.basename(file),
    reviews: texts.length,
    chars,
    tokens,
    seconds: Number(seconds.toFixed(3)),
    tokensPerSecond: perSecond(tokens, seconds),
    reviewsPerSecond: perSecond(texts.length, seconds),
    over512: truncated,
    fitToWindowSeconds: Number(fit.seconds.toFixed(3)),
  };
  console.log(
    `countTokens, ${figures.file}: ${texts.length} reviews, ${tokens} tokens in ${figures.seconds} s ` +
      `= ${figures.tokensPerSecond.toLocaleString('en-US')} tokens/s (${figures.reviewsPerSecond} reviews/s); ${truncated} reviews over 512 tokens; fitToWindow of every review ${figures.fitToWindowSeconds} s`,
  );
  return figures;
}

function synthetic(tokenizer: DistilbertTokenizer): Record<string, unknown> {
  const paragraph =
    'The pasta was AMAZING, but the service... not so much! Waited 45 minutes; the café’s naïve staff forgot our drinks. ' +
    'Unbelievably overpriced: $32 for a salad?! Would I come back? Probably not 😕. ';
  const reviews = Array.from({ length: 20_000 }, (_, i) => paragraph.slice(0, 40 + (i % paragraph.length)));
  const short = countAll(tokenizer, reviews);
  const big = paragraph.repeat(Math.ceil(10_000_000 / paragraph.length));
  const bigCount = timed(() => tokenizer.countTokens(big));
  const fit = timed(() => tokenizer.fitToWindow(big));
  const figures = {
    reviews: reviews.length,
    tokensPerSecond: perSecond(short.tokens, short.seconds),
    tenMegabytes: {
      chars: big.length,
      countTokensSeconds: Number(bigCount.seconds.toFixed(3)),
      tokensPerSecond: perSecond(bigCount.result, bigCount.seconds),
      fitToWindowMs: Number((fit.seconds * 1000).toFixed(2)),
      fitTokens: fit.result.tokens,
    },
  };
  console.log(
    `countTokens, synthetic: ${reviews.length} short reviews at ${figures.tokensPerSecond.toLocaleString('en-US')} tokens/s; ` +
      `one 10 MB text: ${bigCount.result} tokens in ${figures.tenMegabytes.countTokensSeconds} s; ` +
      `fitToWindow(10 MB) ${figures.tenMegabytes.fitToWindowMs} ms → ${fit.result.tokens} tokens`,
  );
  return figures;
}

async function cache(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-bench-cache-'));
  try {
    const texts = Array.from({ length: CACHE_ENTRIES }, (_, i) => `review number ${i}: the food was fine`);
    const scores = texts.map((_, i) => toScores(Math.sin(i) ** 2, Math.cos(i) ** 2));
    const store = ResultCache.open(dir);
    const start = process.hrtime.bigint();
    for (let i = 0; i < texts.length; i++) {
      store.put(MODEL, texts[i] as string, scores[i] as ReturnType<typeof toScores>);
      // Yield now and then, as the pipeline does between rows, so commits interleave.
      if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
    }
    await store.flush();
    const putSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    await store.close();

    const reopen = timed(() => ResultCache.open(dir));
    const reader = reopen.result;
    const hits = timed(() => texts.reduce((n, text) => n + (reader.get(MODEL, text) === undefined ? 0 : 1), 0));
    const misses = timed(() => texts.reduce((n, text) => n + (reader.get(MODEL, `${text}!`) === undefined ? 1 : 0), 0));
    await reader.close();
    const bytes = readdirSync(dir).reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0);
    const figures = {
      entries: CACHE_ENTRIES,
      putsPerSecond: perSecond(CACHE_ENTRIES, putSeconds),
      hitGetsPerSecond: perSecond(hits.result, hits.seconds),
      missGetsPerSecond: perSecond(misses.result, misses.seconds),
      openMs: Number((reopen.seconds * 1000).toFixed(1)),
      bytesOnDisk: bytes,
      bytesPerEntry: Math.round(bytes / CACHE_ENTRIES),
    };
    console.log(
      `cache, ${CACHE_ENTRIES.toLocaleString('en-US')} entries: put+flush ${figures.putsPerSecond.toLocaleString('en-US')}/s, ` +
        `get (hit) ${figures.hitGetsPerSecond.toLocaleString('en-US')}/s, get (miss) ${figures.missGetsPerSecond.toLocaleString('en-US')}/s, ` +
        `open with eviction scan ${figures.openMs} ms, ${(bytes / 1e6).toFixed(1)} MB on disk (${figures.bytesPerEntry} B/entry)`,
    );
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const load = timed(() => loadTokenizer());
  console.log(`tokenizer loaded in ${(load.seconds * 1000).toFixed(0)} ms`);
  const tokenizer = load.result;
  return {
    tokenizerLoadMs: Math.round(load.seconds * 1000),
    realExport: realExport(tokenizer) ?? 'skipped: ../shared/data/reviews absent',
    synthetic: synthetic(tokenizer),
    cache: await cache(),
  };
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  await run();
}
