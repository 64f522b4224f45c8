import { readFileSync } from 'node:fs';
import { SentimentBatchError } from '../errors.js';
import { startWithin } from '../wording/shown-start.js';

/** One labelled line of GLUE SST-2's train.tsv: a phrase or a full sentence. */
export interface Sst2Example {
  /** Lowercase, space-tokenised text, trimmed. */
  text: string;
  /** 1 = positive, 0 = negative. */
  label: 0 | 1;
}

/** Parses `sentence<TAB>label` lines after a header; blank lines are skipped. */
export function parseSst2(content: string, source: string): Sst2Example[] {
  const lines = content.split(/\r?\n/);
  const header = lines[0]?.trim();
  if (header !== 'sentence\tlabel') {
    throw new SentimentBatchError(
      'input',
      `${source}: expected the GLUE SST-2 header "sentence<TAB>label", got ${JSON.stringify(header === undefined ? undefined : startWithin(header, 60))}`,
    );
  }
  const examples: Sst2Example[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const tab = line.lastIndexOf('\t');
    const label = line.slice(tab + 1).trim();
    if (tab < 0 || (label !== '0' && label !== '1')) {
      throw new SentimentBatchError('input', `${source}:${i + 1}: expected "text<TAB>0|1", got ${JSON.stringify(startWithin(line, 80))}`);
    }
    examples.push({ text: line.slice(0, tab).trim(), label: label === '1' ? 1 : 0 });
  }
  return examples;
}

/** Reads and parses a train.tsv; a missing file is an input error naming the path. */
export function readSst2(path: string): Sst2Example[] {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SentimentBatchError('input', `cannot read SST-2 data at ${path}: ${(error as Error).message}. Pass --data PATH to train.tsv.`, {
      cause: error,
    });
  }
  return parseSst2(content, path);
}
