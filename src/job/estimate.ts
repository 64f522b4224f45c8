import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { JobSettings } from '../config/options.js';
import { settingWords } from '../config/setting-names.js';
import { refuseBlockedFolder } from '../paths/folder-blocker.js';
import { openResultCache } from '../state/cache-loader.js';
import { updateWithText } from '../state/text-digest.js';
import { loadTokenizer } from '../tokenizer/index.js';
import { FREE_NEURONS_PER_DAY, neuronsFor, pricedAs, usdForNeurons } from '../scoring/pricing.js';
import { readerOutcome } from '../io/record.js';
import { estimatedModel, workersAiCacheKey } from './estimate-model.js';
import { planRow } from './row-plan.js';
import { openSource } from './source.js';
import { groupedNumber } from '../wording/grouped-number.js';

/** The cost fields: beyond the free allocation (under two names) and at list price. */
type CostField = 'costUsd' | 'costUsdBeyondFreeAllowance' | 'costUsdAtListPrice';

export interface Estimate {
  rows: number;
  nonEmpty: number;
  /** Distinct texts among the rows that would be sent (after fitting to the window). */
  uniqueTexts: number;
  alreadyCached: number;
  /** Rows over the 512-token window: truncated, skipped or failed by --long-text. */
  longTexts: number;
  /** Rows that fail while reading (ragged, not JSON...), never sent. */
  unreadable: number;
  requests: number;
  tokens: number;
  neurons: number;
  /**
   * Dollars beyond the free daily allocation, assuming none of today's is used yet: `costUsdBeyondFreeAllowance`,
   * kept under this name for the scripts that read it.
   */
  costUsd: number;
  /** The same: dollars beyond the free daily allocation, named so (not the run's `estimatedCostUsd`, which is before it). */
  costUsdBeyondFreeAllowance: number;
  /** Dollars at list price, before the free allocation: what the run's `estimatedCostUsd` says of the same neurons. */
  costUsdAtListPrice: number;
  rpm: number;
  minutes: number;
  /** The model the run would score with, as its summary names it (`@cf/…`, `embedded:…`, `local:…`). */
  model: string;
  /**
   * The model whose price the neurons and cost are, when the Workers AI model asked (`--model`) is not one the tool
   * knows the price of (pricing.ts pricedAs): `--model` with a typo was priced at DistilBERT's rate without a word.
   */
  pricedAs?: string;
  /** The backend the same command would score with, and why (as `score` decides). */
  backend: 'workers-ai' | 'embedded' | 'local';
  backendReason: string;
  /**
   * With the embedded model the run sends nothing and costs nothing, so the figures above are 0;
   * these are what Workers AI would send, for comparison.
   */
  ifWorkersAi?: Pick<Estimate, 'model' | 'pricedAs' | 'requests' | 'tokens' | 'neurons' | CostField | 'minutes'>;
  /** Why the --cache folder was not read (another container has it open under this process's id): no text counted as cached. */
  cacheNotRead?: string;
  /**
   * The output (absolute) of an earlier Workers AI job of this input at the path the run would write: the run reuses its
   * answers for the texts the export still holds, so it may send fewer requests than counted (earlier-output-note.ts).
   */
  earlierOutput?: string;
}

/**
 * Reads the input once, as `score` would, and counts what a Workers AI run
 * would send: one request per distinct text not in the cache, with the
 * tokens of the text as it would be sent (cut to the window when truncating).
 */
export async function estimateJob(
  settings: JobSettings,
  inputPath = path.resolve(settings.input),
  choice: { backend: 'workers-ai' | 'embedded' | 'local'; why: string } = { backend: 'workers-ai', why: 'asked for Workers AI' },
  warn: (line: string) => void = () => undefined,
): Promise<Estimate> {
  const source = await openSource(settings, inputPath, warn);
  const tokenizer = loadTokenizer();
  // The run's model, and its key in the cache: an embedded run's cached answers are not Workers AI's.
  const named = await estimatedModel(settings, choice);
  if (named.wouldStop) warn(`score would stop here: ${named.wouldStop}`);
  const workersKey = workersAiCacheKey(settings);
  if (settings.cache && choice.backend === 'embedded') {
    warn(`${settingWords(settings, 'cache', '--cache', settings.cache).head}: an embedded run does not use the result cache, so no text counts as already cached; the Workers AI figures count the texts it holds`);
  }
  let cacheNotRead: string | undefined;
  const cacheThere = settings.cache ? existsSync(settings.cache) : false;
  if (settings.cache && !cacheThere) {
    // Counted as empty without a word, a mistyped folder or a link to a cache that is gone overstated the cost silently.
    const named = settingWords(settings, 'cache', '--cache', settings.cache);
    // A link to nothing, a file on the way: exit 2, as score --cache says of it.
    refuseBlockedFolder(settings.cache, named);
    cacheNotRead = `${named.head}: ${path.resolve(settings.cache)} does not exist, so this estimate counts no text as cached (a run would start an empty cache there): check the path if you meant an existing cache`;
    warn(cacheNotRead);
  }
  // Not read, the estimate is what a run started now would send: that run would not read the cache either.
  const cache =
    settings.cache && cacheThere
      ? await openResultCache(settings.cache, { maxAgeDays: settings.cacheMaxAgeDays }, (inUse) => {
          cacheNotRead = inUse.message;
          warn(`${inUse.message}. This estimate counts no text as cached, as a run started now would read nothing from the cache either`);
        })
      : undefined;
  // Hashes, not texts: the set of distinct texts of a large export would not fit in memory.
  const seen = new Set<string>();
  const estimate: Estimate = {
    rows: 0,
    nonEmpty: 0,
    uniqueTexts: 0,
    alreadyCached: 0,
    longTexts: 0,
    unreadable: 0,
    requests: 0,
    tokens: 0,
    neurons: 0,
    costUsd: 0,
    costUsdBeyondFreeAllowance: 0,
    costUsdAtListPrice: 0,
    rpm: settings.rpm,
    minutes: 0,
    model: named.model,
    backend: choice.backend,
    backendReason: choice.why,
    ...(cacheNotRead !== undefined ? { cacheNotRead } : {}),
  };
  try {
    for await (const record of source.records(source.firstRecordOffset, 0)) {
      if (record.passThrough) continue;
      estimate.rows += 1;
      if (!record.text.ok) {
        // A repeated header is skipped by the run, not failed: not an unreadable row.
        if (readerOutcome(record.text.failure).kind === 'failed') estimate.unreadable += 1;
        continue;
      }
      const fitted = planRow(record.text.value, tokenizer, settings.longText);
      if (fitted.kind === 'empty') continue;
      estimate.nonEmpty += 1;
      if (fitted.kind === 'too_long' || fitted.truncated) estimate.longTexts += 1;
      if (fitted.kind !== 'send') continue;
      const key = updateWithText(createHash('sha256'), fitted.text).digest('base64');
      if (seen.has(key)) continue;
      seen.add(key);
      estimate.uniqueTexts += 1;
      // The run's cache key, and Workers AI's (the figures priced, for comparison too): one look-up when they are one.
      const runCached = named.cacheKey !== undefined && cache?.get(named.cacheKey, fitted.text) !== undefined;
      if (runCached) estimate.alreadyCached += 1;
      if (named.cacheKey === workersKey ? runCached : cache?.get(workersKey, fitted.text) !== undefined) continue;
      estimate.requests += 1;
      estimate.tokens += fitted.tokens;
    }
  } finally {
    await cache?.close();
  }
  estimate.neurons = neuronsFor(estimate.tokens);
  estimate.costUsd = usdForNeurons(Math.max(0, estimate.neurons - FREE_NEURONS_PER_DAY));
  estimate.costUsdBeyondFreeAllowance = estimate.costUsd;
  estimate.costUsdAtListPrice = usdForNeurons(estimate.neurons);
  estimate.minutes = estimate.requests / settings.rpm;
  const priced = pricedAs(settings.model);
  const pricing = priced === undefined ? {} : { pricedAs: priced };
  if (choice.backend === 'workers-ai') return { ...estimate, ...pricing };
  const { requests, tokens, neurons, costUsd, costUsdBeyondFreeAllowance, costUsdAtListPrice, minutes } = estimate;
  const free = { requests: 0, tokens: 0, neurons: 0, costUsd: 0, costUsdBeyondFreeAllowance: 0, costUsdAtListPrice: 0, minutes: 0 };
  return { ...estimate, ...free, ifWorkersAi: { model: settings.model, ...pricing, requests, tokens, neurons, costUsd, costUsdBeyondFreeAllowance, costUsdAtListPrice, minutes } };
}

export function formatEstimate(e: Estimate): string {
  const counts = [
    `rows ${n(e.rows)} · non-empty ${n(e.nonEmpty)} · unique texts ${n(e.uniqueTexts)} · already cached ${n(e.alreadyCached)}`,
    `over 512 tokens ${n(e.longTexts)} · unreadable rows ${n(e.unreadable)}`,
  ];
  if (e.backend !== 'workers-ai') {
    const w = e.ifWorkersAi;
    const model = e.backend === 'local' ? 'the local DistilBERT (ONNX Runtime on this machine)' : 'the embedded offline model';
    return [
      ...counts,
      // Named as the run's summary names it (`model embedded:…: offline, no requests, no cost`).
      `backend: ${model}, ${e.model} (${e.backendReason}): offline, no requests, no tokens, no cost`,
      ...(w ? [`with Workers AI (${w.model}) it would be: ${costLine(w)}; ${timeLine(e.rpm, w.minutes)}`, ...priceLine(w)] : []),
      '',
    ].join('\n');
  }
  return [...counts, `backend: Workers AI, ${e.model} (${e.backendReason})`, costLine(e), ...priceLine(e), timeLine(e.rpm, e.minutes), ''].join('\n');
}

/** Whose price the figures are, when the model asked is not one the tool knows the price of (none otherwise). */
function priceLine(e: Pick<Estimate, 'model' | 'pricedAs'>): string[] {
  if (e.pricedAs === undefined) return [];
  // Worded as score's refusal of an unknown model (classify.ts): a typo of the default is the likeliest.
  return [`'${e.model}' is not a model this tool knows the price of: the neurons and cost are those of ${e.pricedAs} (the default, the model this tool reads)`];
}

function n(value: number): string {
  return groupedNumber(Math.round(value));
}

function costLine(e: Pick<Estimate, 'requests' | 'tokens' | 'neurons' | 'costUsd'>): string {
  const within = e.neurons <= FREE_NEURONS_PER_DAY ? ` (within today's free ${n(FREE_NEURONS_PER_DAY)})` : ` (beyond the free ${n(FREE_NEURONS_PER_DAY)} a day)`;
  // Neurons to three decimals, as the run's summary writes them: a whole number said 0 for a request of 13 tokens.
  return `requests ${n(e.requests)} · tokens to send ${n(e.tokens)} · neurons ${groupedNumber(e.neurons, 3)} · cost $${e.costUsd.toFixed(2)}${within}`;
}

function timeLine(rpm: number, minutes: number): string {
  const seconds = Math.round(minutes * 60);
  const time = seconds >= 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds} s`;
  return `time at ${n(rpm)} requests/min: ${time}`;
}
