/**
 * Reading the embedded model's file, for the scorer (scoring/embedded.ts, which checks it all when loaded and decodes its weights at its first text) and for `estimate`,
 * which only names the model: a module of its own so that naming it loads none of the scoring code.
 */
import { readFileSync } from 'node:fs';
import { SentimentBatchError } from '../errors.js';
import { decodeModelHeader, type DecodedModel } from '../model/format.js';
import { defaultModelPath } from '../model/locate.js';

const REMEDY = 'Run `npm run train-model` to rebuild it, or reinstall sentiment-batch to restore the shipped file.';

/** Reads `path` and decodes it with `decode`; a missing or unusable file throws a `model_file` error naming it. */
export function readModelFile<T>(path: string, decode: (bytes: Uint8Array) => T): T {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
    throw new SentimentBatchError('model_file', `cannot read the embedded model file ${path}: ${reason}. ${REMEDY}`, { cause: error });
  }
  try {
    return decode(bytes);
  } catch (error) {
    throw new SentimentBatchError('model_file', `the embedded model file ${path} is not usable: ${(error as Error).message}. ${REMEDY}`, {
      cause: error,
    });
  }
}

/** e.g. `embedded:sst2-nblr-lex-v5`: the name `score` gives the model in its log and summary. */
export function embeddedModelIdOf(header: DecodedModel['header']): string {
  return `embedded:sst2-${header.name}-v${header.modelVersion}`;
}

/**
 * The id of the model file `score` would load, read from its header without decoding its weights (format.ts
 * decodeModelHeader: the checksum, header and section sizes are checked, not the sections' contents).
 */
export function embeddedModelId(path: string = defaultModelPath()): string {
  return embeddedModelIdOf(readModelFile(path, decodeModelHeader));
}
