import { describe, expect, it } from 'vitest';
import { parseReportArgs } from '../src/config/report-options.js';
import { parseJobFlags } from '../src/config/resolve.js';
import { detectFormat } from '../src/io/format.js';
import type { InputFormat } from '../src/io/format.js';

const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
};

/**
 * A mistyped option got a did-you-mean (`--backnd` → `--backend`) but a mistyped value of a fixed list did not:
 * `--backend=embeded` said only the list. A value near one of the list names it, as a mistyped option does; a short
 * one only when its first letter is the same: `--progress no` is not a typo of `on`, nor `--device gpu` of `cpu`.
 */
describe('a mistyped value of a fixed list gets a did-you-mean', () => {
  it.each([
    [['--backend=embeded'], "--backend expects one of auto, workers-ai, embedded, local, got 'embeded' (did you mean embedded?)"],
    [['--backend', 'Local'], "--backend expects one of auto, workers-ai, embedded, local, got 'Local' (did you mean local?)"],
    [['--format', 'cvs'], "--format expects one of csv, tsv, jsonl, got 'cvs' (did you mean csv?)"],
    [['--log-level', 'warning'], "--log-level expects one of fatal, error, warn, info, debug, trace, silent, got 'warning' (did you mean warn?)"],
    [['--long-text', 'trunc'], "--long-text expects one of truncate, skip, fail, got 'trunc' (did you mean truncate?)"],
    // 'of' is one edit from 'on' and from 'off': the value it begins is meant, not the opposite switch (it said 'on').
    [['--language-check', 'of'], "--language-check expects one of on, off, got 'of' (did you mean off?)"],
    [['--progress', 'of'], "--progress expects one of auto, on, off, got 'of' (did you mean off?)"],
  ])('%j', (argv, message) => {
    expect(refusal(() => parseJobFlags(argv))).toBe(message);
  });

  it.each([
    [['--backend', 'gpu'], "--backend expects one of auto, workers-ai, embedded, local, got 'gpu'"],
    [['--progress', 'no'], "--progress expects one of auto, on, off, got 'no'"],
    [['--language-check', 'no'], "--language-check expects one of on, off, got 'no'"],
    [['--device', 'gpu'], "--device expects one of cpu, cuda, got 'gpu'"],
  ])('no guess for %j', (argv, message) => {
    expect(refusal(() => parseJobFlags(argv))).toBe(message);
  });

  it('report --format and score --format given through a job file', () => {
    expect(refusal(() => parseReportArgs(['x.scored.csv', '--format', 'htm']))).toBe("--format expects one of html, json, got 'htm' (did you mean html?)");
    expect(refusal(() => detectFormat('x.csv', 'jsnol' as InputFormat))).toBe("--format expects one of csv, tsv, jsonl, got 'jsnol' (did you mean jsonl?)");
  });
});
