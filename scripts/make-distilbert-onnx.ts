/**
 * `npm run make-distilbert -- --size tiny|full --out DIR`
 *
 * Writes a model folder laid out like the Hub export the local backend reads
 * (config.json, tokenizer.json, tokenizer_config.json, onnx/model_quantized.onnx)
 * holding a DistilBERT with random weights: `tiny` is the committed test
 * fixture (fixtures/tiny-distilbert), `full` is DistilBERT-base size with the
 * quantized export's int8 operators, for `npm run bench -- local`.
 * Deterministic: the same size gives the same bytes.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultTokenizerPath } from '../src/tokenizer/index.js';
import { FULL_SIZE, TINY, buildDistilbertOnnx, configJson, type DistilbertShape } from './onnx/distilbert-graph.js';

export const ONNX_FILE = path.join('onnx', 'model_quantized.onnx');

/** Writes the model folder; returns the ONNX file's size in bytes. */
export function writeModelFolder(dir: string, shape: DistilbertShape): number {
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  const onnx = buildDistilbertOnnx(shape);
  writeFileSync(path.join(dir, ONNX_FILE), onnx);
  writeFileSync(path.join(dir, 'config.json'), configJson(shape));
  const tokenizer = defaultTokenizerPath();
  copyFileSync(tokenizer, path.join(dir, 'tokenizer.json'));
  copyFileSync(path.join(path.dirname(tokenizer), 'tokenizer_config.json'), path.join(dir, 'tokenizer_config.json'));
  return onnx.byteLength;
}

function main(argv: string[]): void {
  const { values } = parseArgs({ args: argv, options: { size: { type: 'string', default: 'tiny' }, out: { type: 'string' } }, strict: true });
  const shape = values.size === 'tiny' ? TINY : values.size === 'full' ? FULL_SIZE : undefined;
  if (!shape || !values.out) {
    process.stderr.write('usage: make-distilbert-onnx --size tiny|full --out DIR\n');
    process.exitCode = 2;
    return;
  }
  const bytes = writeModelFolder(values.out, shape);
  process.stdout.write(`wrote ${path.join(values.out, ONNX_FILE)} (${(bytes / 1e6).toFixed(2)} MB, ${values.size})\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
