/**
 * --backend local tokenizes with the package's own WordPiece tokenizer
 * (model/tokenizer/tokenizer.json: bert-base-uncased's vocabulary), not with
 * the model folder's tokenizer.json. A folder whose tokenizer has another
 * vocabulary (another export given with --repo or --model-dir, a vocabulary
 * edited by hand) would be fed token ids that mean other words to its model:
 * every row scored, every score wrong, exit 0. Its tokenizer.json is compared
 * with the package's at load; a folder without one is taken as is.
 */
import { existsSync } from 'node:fs';
import { readGivenTextSync } from '../../paths/read-given-text.js';
import path from 'node:path';
import { SentimentBatchError } from '../../errors.js';
import { defaultTokenizerPath } from '../../tokenizer/locate.js';

interface TokenizerShape {
  model?: { type?: unknown; vocab?: Record<string, unknown> };
  normalizer?: { lowercase?: unknown } | null;
}

export function checkTokenizerFits(dir: string, remedy: string, bundled: string = defaultTokenizerPath()): void {
  const file = path.join(dir, 'tokenizer.json');
  if (!existsSync(file)) return;
  const theirText = readText(file);
  const ourText = readText(bundled);
  // A pulled export's tokenizer.json is the bundled one byte for byte: parsing two 700 KB files at each start is
  // needed only when they differ.
  if (theirText === ourText) return;
  const theirs = readShape(file, theirText);
  const ours = readShape(bundled, ourText);
  const differs = describeDifference(theirs, ours);
  if (differs === undefined) return;
  throw new SentimentBatchError(
    'model_file',
    `${file} is not the tokenizer --backend local encodes texts with (${differs}): this model would be given token ids that mean other words to it, ` +
      `and every score would be wrong; --backend local runs exports of distilbert-base-uncased (bert-base-uncased's vocabulary, as ${bundled}): ${remedy}`,
  );
}

function describeDifference(theirs: TokenizerShape, ours: TokenizerShape): string | undefined {
  if (theirs.model?.type !== ours.model?.type) return `a ${String(theirs.model?.type ?? 'missing')} model, not ${String(ours.model?.type)}`;
  if (Boolean(theirs.normalizer?.lowercase) !== Boolean(ours.normalizer?.lowercase)) return theirs.normalizer?.lowercase ? 'it lowercases texts' : 'it keeps case (a cased vocabulary)';
  const a = theirs.model?.vocab ?? {};
  const b = ours.model?.vocab ?? {};
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return `a vocabulary of ${aKeys.length} tokens, not ${Object.keys(b).length}`;
  const moved = aKeys.find((token) => a[token] !== b[token]);
  return moved === undefined ? undefined : `its token ${JSON.stringify(moved)} is id ${String(a[moved])}, not ${String(b[moved] ?? 'absent')}`;
}

function readText(file: string): string {
  try {
    return readGivenTextSync(file);
  } catch (error) {
    throw new SentimentBatchError('model_file', `${file} cannot be read as a tokenizer (${(error as Error).message})`);
  }
}

function readShape(file: string, text: string): TokenizerShape {
  try {
    return (JSON.parse(text) as TokenizerShape | null) ?? {};
  } catch (error) {
    throw new SentimentBatchError('model_file', `${file} cannot be read as a tokenizer (${(error as Error).message})`);
  }
}
