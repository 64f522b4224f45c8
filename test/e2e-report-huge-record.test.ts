import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES } from '../src/io/oversized-record.js';
import type { Figures } from '../src/report/index.js';
import { oversizedJsonlOutcome } from '../src/report/scored-jsonl-rows.js';
import { lastCells } from '../src/report/scored-rows.js';
import { runCli, tempDir } from './support/cli.js';

// Over the 16 MiB a record is read whole: the reader keeps only its end as text.
const BIG = 'great '.repeat(Math.ceil((MAX_RECORD_BYTES + 2 * 1024 * 1024) / 6));

describe('report: a CSV record over 16 MiB counts as the scored file says', () => {
  let dir: string;
  let cleanup: () => void;
  const at = (name: string) => path.join(dir, name);
  const figuresOf = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Figures;
  beforeAll(() => ({ dir, cleanup } = tempDir('sb-report-huge-')));
  afterAll(() => cleanup());

  it('a row score refused as record_too_large is failed by record_too_large, as score counted it (was ragged_row)', async () => {
    writeFileSync(at('huge.csv'), `id,review\n1,good\n2,bad\n3,"${BIG}"\n4,"fine, really"\n`);
    const run = await runCli(['score', at('huge.csv'), '--text-column', 'review', '--backend', 'embedded', '--summary-json', at('huge.summary.json')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/failed by code: record_too_large 1/);
    for (const source of [[], ['--summary', at('huge.summary.json')]]) {
      const report = await runCli(['report', at('huge.scored.csv'), ...source, '-o', at('huge.json')]);
      expect(report.code).toBe(0);
      const { totals } = figuresOf(at('huge.json'));
      expect(totals).toMatchObject({ rows: 4, scored: 3, failed: 1, skipped: 0, failedByCode: { record_too_large: 1 } });
    }
  });

  it('a record over 16 MiB holding an answer (a wide row, its text short) counts as scored, with its label and score', async () => {
    const header = 'id,notes,review,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error';
    const rows = ['1,,good,POSITIVE,0.9,0.1,,', `2,"${BIG}",meh,NEGATIVE,0.25,0.75,,`, '3,,"bad, ""really""",,,,,"http_500: the service said ""no"", twice"'];
    writeFileSync(at('wide.scored.csv'), `${header}\r\n${rows.join('\r\n')}\r\n`);
    const report = await runCli(['report', at('wide.scored.csv'), '--text-column', 'review', '-o', at('wide.json')]);
    expect(report.code).toBe(0);
    const figures = figuresOf(at('wide.json'));
    expect(figures.totals).toMatchObject({ rows: 3, scored: 2, failed: 1, failedByCode: { http_500: 1 } });
    expect(figures.totals.positive.positive).toBe(1);
    expect(figures.histogram.find((bin) => bin.from <= 0.25 && 0.25 < bin.to)?.rows).toBe(1);
  });
});

describe('report: a JSONL line over 16 MiB counts as the scored file says', () => {
  let dir: string;
  let cleanup: () => void;
  const at = (name: string) => path.join(dir, name);
  beforeAll(() => ({ dir, cleanup } = tempDir('sb-report-huge-jsonl-')));
  afterAll(() => cleanup());

  it('a line score refused counts as record_too_large; a wide line holding an answer counts as scored', async () => {
    writeFileSync(at('huge.jsonl'), `{"text":"good"}\n{"text":"bad","notes":"${BIG}"}\n`);
    expect((await runCli(['score', at('huge.jsonl'), '--backend', 'embedded'])).code).toBe(0);
    expect((await runCli(['report', at('huge.scored.jsonl'), '-o', at('huge.json')])).code).toBe(0);
    expect((JSON.parse(readFileSync(at('huge.json'), 'utf8')) as Figures).totals).toMatchObject({ rows: 2, scored: 1, failed: 1, failedByCode: { record_too_large: 1 } });

    const lines = ['{"text":"good","sentiment":{"label":"POSITIVE","positive":0.9,"negative":0.1}}', `{"text":"meh","notes":"${BIG}","sentiment":{"label":"NEGATIVE","positive":0.25,"negative":0.75}}  `];
    writeFileSync(at('wide.scored.jsonl'), `${lines.join('\r\n')}\r\n`);
    expect((await runCli(['report', at('wide.scored.jsonl'), '-o', at('wide.json')])).code).toBe(0);
    const figures = JSON.parse(readFileSync(at('wide.json'), 'utf8')) as Figures;
    expect(figures.totals).toMatchObject({ rows: 2, scored: 2, failed: 0 });
    expect(figures.totals.positive.positive).toBe(1);
  });

  it('reads the answer at the line\'s end, the last such key; anything else keeps record_too_large', () => {
    const failed = { ok: false as const, failure: { code: 'record_too_large', message: '' } };
    const outcome = (raw: string, prefix = 'sentiment') => oversizedJsonlOutcome({ raw, text: failed }, prefix);
    expect(outcome('x","s":"no","s":{"label":"POSITIVE","positive":0.9,"negative":0.1}}\n', 's')).toEqual({ kind: 'scored', label: 'POSITIVE', positive: 0.9 });
    expect(outcome('…","sentiment":{"error":{"code":"record_too_large","message":"m"}}\n')).toEqual({ kind: 'error', code: 'record_too_large' });
    expect(outcome('…","sentiment":{"error":{"code":"http_500","message":"m"}}}')).toEqual({ kind: 'error', code: 'http_500' });
    expect(outcome('…"sentiment":{"label":"POSITIVE","positive":0.9,"negative":0.1}}\n')).toEqual({ kind: 'error', code: 'record_too_large' });
    expect(outcome('…","other":1}\n')).toEqual({ kind: 'error', code: 'record_too_large' });
  });
});

describe('lastCells: the last cells of a record read from its end', () => {
  it('reads plain and quoted cells, doubled quotes, delimiters and line breaks inside quotes, any line ending', () => {
    expect(lastCells('x,POSITIVE,0.9,0.1,,\n', ',', 5)).toEqual(['POSITIVE', '0.9', '0.1', '', '']);
    expect(lastCells('cut text",,,,,"code: a ""b"", c\nd"\r\n', ',', 5)).toEqual(['', '', '', '', 'code: a "b", c\nd']);
    expect(lastCells('…,"a""",""""\r', ',', 2)).toEqual(['a"', '"']);
    expect(lastCells('a\tb\tc', '\t', 2)).toEqual(['b', 'c']);
  });
  it('gives up on a text that does not hold the cells whole, each after a delimiter', () => {
    expect(lastCells('0.9,0.1\n', ',', 2)).toBeUndefined();
    expect(lastCells('0.9,0.1\n', ',', 3)).toBeUndefined();
    expect(lastCells('x",a\n', ',', 2)).toBeUndefined();
  });
});
