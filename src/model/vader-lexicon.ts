/**
 * VADER's word lexicon, read at training time from the `vader-sentiment` npm
 * package (a devDependency) and stored inside the model file, so that scoring
 * needs neither the package nor any file beside the model.
 *
 * Licences: the lexicon is part of VADER (C.J. Hutto and Eric Gilbert,
 * ICWSM 2014), MIT licence; the npm package is Comcast's JavaScript port,
 * Apache-2.0. Both are recorded in NOTICE.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { SentimentBatchError } from '../errors.js';
import type { ModelLexicon } from './model-header.js';
import { parseVaderLexicon } from './lexicon.js';

const PACKAGE = 'vader-sentiment';

/** The lexicon as stored in the model header: single words, valences sorted by word for a byte-stable file. */
export function loadVaderLexicon(): ModelLexicon {
  let manifestPath: string;
  try {
    manifestPath = createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`);
  } catch (error) {
    throw new SentimentBatchError('input', `training needs the npm package ${PACKAGE} (a devDependency): run npm install`, { cause: error });
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version?: string; license?: string };
  const parsed = parseVaderLexicon(readFileSync(path.join(path.dirname(manifestPath), 'vader_lexicon.txt'), 'utf8'));
  const valences: Record<string, number> = {};
  for (const word of [...parsed.keys()].sort()) valences[word] = parsed.get(word) as number;
  return {
    source: `${PACKAGE}@${manifest.version ?? '?'} vader_lexicon.txt (single words)`,
    licence: `VADER lexicon: MIT (C.J. Hutto); npm package: ${manifest.license ?? '?'} (Comcast)`,
    valences,
  };
}
