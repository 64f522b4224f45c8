/**
 * `npm run train-model [-- --data PATH] [--out PATH] [--seed N]`
 *
 * Trains the embedded sentiment model on GLUE SST-2's train.tsv, prints the
 * accuracy and calibration measured on held-out full sentences, and writes
 * the model file (default: model/sst2-embedded.bin). Deterministic: the same
 * data and seed give the same file, byte for byte.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SentimentBatchError } from '../src/errors.js';
import { defaultModelPath, findPackageRoot } from '../src/model/locate.js';
import { DEFAULT_SPLIT } from '../src/model/split.js';
import { readSst2 } from '../src/model/sst2.js';
import { trainEmbeddedModel } from '../src/model/train.js';
import { loadVaderLexicon } from '../src/model/vader-lexicon.js';

const DEFAULT_SEED = 1;

function parseOptions(argv: string[]): { data: string; out: string; seed: number } {
  const root = findPackageRoot() ?? process.cwd();
  const { values } = parseArgs({
    args: argv,
    options: { data: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' } },
    strict: true,
  });
  const seedText = values.seed ?? String(DEFAULT_SEED);
  const seed = Number(seedText);
  if (!/^\d+$/.test(seedText) || !Number.isSafeInteger(seed) || seed > 0xffffffff) {
    throw new SentimentBatchError('usage', `--seed expects a whole number from 0 to 4294967295, got '${seedText}'`);
  }
  return {
    data: path.resolve(values.data ?? path.join(root, '..', 'shared', 'data', 'sst2', 'train.tsv')),
    out: path.resolve(values.out ?? defaultModelPath()),
    seed,
  };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)} %`;
}

export function main(argv: string[]): void {
  const started = Date.now();
  const options = parseOptions(argv);
  const log = (line: string) => console.log(line);
  const examples = readSst2(options.data);
  log(`read ${examples.length} labelled lines from ${options.data}`);
  const result = trainEmbeddedModel(examples, {
    split: { seed: options.seed, ...DEFAULT_SPLIT },
    dataSource: path.basename(options.data),
    lexicon: loadVaderLexicon(),
    log,
  });
  const h = result.heldOut;
  log('');
  log(`calibration sentences: accuracy ${pct(result.calibrationAccuracy)} (first-stage members)`);
  log(`HELD-OUT full sentences (${h.count}, never seen in training, nor any of their sub-phrases):`);
  log(`  accuracy ${pct(h.accuracy)}   (members alone: ${h.memberAccuracy.map(pct).join(', ')})`);
  log(`  log-loss ${h.logLoss.toFixed(4)} calibrated, ${h.uncalibratedLogLoss.toFixed(4)} uncalibrated; ECE ${h.ece.toFixed(4)}`);
  log('  reliability (confidence of the predicted label -> how often it was right):');
  for (const bin of h.reliability) {
    if (bin.count === 0) continue;
    log(`    [${bin.from.toFixed(1)}, ${bin.to.toFixed(1)}): ${String(bin.count).padStart(4)} texts, mean confidence ${pct(bin.meanConfidence)}, accuracy ${pct(bin.accuracy)}`);
  }
  mkdirSync(path.dirname(options.out), { recursive: true });
  writeFileSync(options.out, result.file);
  log(`wrote ${options.out} (${(result.file.length / 1024).toFixed(0)} KiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    if (error instanceof SentimentBatchError) {
      console.error(`train-model: ${error.message}`);
      process.exit(error.exitCode);
    }
    throw error;
  }
}
