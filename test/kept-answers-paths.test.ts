import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveSettings } from '../src/config/resolve.js';
import { PathClashError } from '../src/errors.js';
import { tempDir } from './support/cli.js';

/**
 * `<output>.answers`, the store a job that started over keeps an unfinished job's answers in (job/kept-answers.ts), is
 * among the job's own files that --summary-json and --report must not name, as its checkpoint, journal and failed-rows
 * list are: a summary written there was a file where the next start-over needs a folder (no answers kept), and one
 * written into it went with the store when the job completed.
 */
describe('--summary-json and --report at the answer store of -o', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    writeFileSync(path.join(dir, 'in.csv'), 'review\ngood\n');
  });
  afterEach(() => cleanup());

  const resolve = (flags: Record<string, unknown>) => () =>
    resolveSettings({ flags: { input: path.join(dir, 'in.csv'), output: path.join(dir, 'out.csv'), text: ['review'], ...flags }, env: {} });

  // A run on standard input copies it to `<output>.stdin` before it scores it (job/stdin.ts): a report written there
  // would be overwritten by the copy, or the copy by it. Refused as the store is.
  it('on standard input, refuses the copy of standard input too', () => {
    const output = path.join(dir, 'out.csv');
    const copy = `${output}.stdin`;
    expect(resolve({ input: '-', format: 'csv', report: copy })).toThrow(PathClashError);
    expect(resolve({ input: '-', format: 'csv', report: copy })).toThrow(`--report ${copy} would overwrite the copy of standard input ${copy} of -o ${output}; choose another --report`);
  });

  it('refuses the store itself: it would overwrite the answer store of -o', () => {
    const store = path.join(dir, 'out.csv.answers');
    const output = path.join(dir, 'out.csv');
    expect(resolve({ summaryJson: store })).toThrow(PathClashError);
    expect(resolve({ summaryJson: store })).toThrow(`--summary-json ${store} would overwrite the answer store ${store} of -o ${output}; choose another --summary-json`);
    expect(resolve({ report: store })).toThrow(`--report ${store} would overwrite the answer store ${store} of -o ${output}; choose another --report`);
  });

  it('refuses a file inside it: removed with the store when the job completes', () => {
    const store = path.join(dir, 'out.csv.answers');
    const inside = path.join(store, 'summary.json');
    expect(resolve({ summaryJson: inside })).toThrow(
      `--summary-json ${inside} lies in the answer store ${store} of -o ${path.join(dir, 'out.csv')}, removed when the job completes; choose another --summary-json`,
    );
  });

  it('takes a name beside it', () => {
    expect(resolve({ summaryJson: path.join(dir, 'out.csv.answers.json') })).not.toThrow();
  });
});
