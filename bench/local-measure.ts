/**
 * One measurement of `npm run bench -- local`, in its own process so that its
 * peak RSS is the scorer's alone (model sessions in every worker included):
 *
 *   node dist/bench/local-measure.js MODEL_DIR TEXTS.json WORKERS INTRA_OP [BATCH]
 *
 * Prints {"perSecond", "textsPerCall", "peakRssMb"} as JSON.
 */
import { readFileSync } from 'node:fs';
import { createLogger } from '../src/log.js';
import { createLocalScorer } from '../src/scoring/local/local-scorer.js';

const [modelDir, textsFile, workers, intraOp, batch] = process.argv.slice(2);
const texts = JSON.parse(readFileSync(textsFile as string, 'utf8')) as string[];
const scorer = await createLocalScorer({
  modelDir: modelDir as string,
  origin: 'flag',
  device: 'cpu',
  threads: { workers: Number(workers), intraOpThreads: Number(intraOp) },
  batch: batch ? Number(batch) : undefined,
  log: createLogger('silent'),
});
try {
  await Promise.all(texts.slice(0, 8).map((t) => scorer.score(t))); // warm-up
  const started = performance.now();
  await Promise.all(texts.map((t) => scorer.score(t)));
  const perSecond = Math.round((texts.length / ((performance.now() - started) / 1000)) * 10) / 10;
  process.stdout.write(`${JSON.stringify({ perSecond, textsPerCall: scorer.batching.texts, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
} finally {
  await scorer.close();
}
