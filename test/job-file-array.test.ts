// A JSON export (an array of records) given to `run`: before, 'job file x.json must hold a JSON object, got [' and
// then the whole file, all 5 MB of a 100,000-record array on stderr, with no word that it was an export.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJobFile } from '../src/config/resolve.js';
import { ConfigError } from '../src/errors.js';
import { tempDir } from './support/cli.js';

describe('run given a file that holds JSON but not a job', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const refusal = (file: string): ConfigError => {
    try {
      readJobFile(file);
    } catch (error) {
      return error as ConfigError;
    }
    throw new Error('not refused');
  };

  it('names an array of records an export, with the way to convert and score it, and does not print it', () => {
    const file = path.join(dir, 'reviews.json');
    writeFileSync(file, JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ id: i, text: `review number ${i} is fine` }))));
    const error = refusal(file);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `run takes a job file (JSON), and ${file} holds a JSON array of 2,000 records, an export: ` +
        `write one record per line (jq -c '.[]' ${file} > ${file.replace(/\.json$/, '.jsonl')}), then score it with sentiment-batch score ${file.replace(/\.json$/, '.jsonl')} (with the same options)`,
    );
  });

  it('shows any other value that is not an object cut short, on one line', () => {
    const file = path.join(dir, 'long.json');
    writeFileSync(file, JSON.stringify('x'.repeat(5000)));
    const error = refusal(file);
    expect(error.message.startsWith(`job file ${file} must hold a JSON object ({"input": …, "textColumn": …}), got 'xxx`)).toBe(true);
    expect(error.message.length).toBeLessThan(300);
    expect(error.message).toContain('…');
  });
});
