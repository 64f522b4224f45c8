import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Figures } from '../src/report/index.js';
import { runCli, tempDir } from './support/cli.js';

// Exports pad cells ("Kettle " from a fixed-width column, " Kettle" after a comma and a space): one product, one group.
// Counted apart, the page showed Kettle three times, each with a third of its rows and an interval three times as wide.
describe('report --by: the groups shown', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('sb-report-padded-')));
  afterEach(() => cleanup());

  it('counts "Kettle", " Kettle " and "Kettle  " as one group; a value of only spaces as missing', async () => {
    const csv = path.join(dir, 'reviews.scored.csv');
    writeFileSync(
      csv,
      'id,product,text,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n' +
        '1,Kettle,good,POSITIVE,0.9,0.1,false,\n' +
        '2," Kettle ",fine,POSITIVE,0.8,0.2,false,\n' +
        '3,"Kettle  ",bad,NEGATIVE,0.1,0.9,false,\n' +
        '4,Lamp,ok,POSITIVE,0.7,0.3,false,\n' +
        '5,"   ",meh,NEGATIVE,0.2,0.8,false,\n',
    );
    const out = path.join(dir, 'r.json');
    const r = await runCli(['report', csv, '--by', 'product', '--format', 'json', '-o', out]);
    expect(r.code).toBe(0);
    const groups = (JSON.parse(readFileSync(out, 'utf8')) as Figures).groups!;
    expect(groups.shown.map((g) => [g.group, g.rows, g.positive])).toEqual([
      ['Kettle', 3, 2],
      ['Lamp', 1, 1],
    ]);
    expect(groups.distinct).toBe(2);
    expect(groups.missing).toBe(1);
  });

  // --groups N shows the N largest groups (their shares are the ones worth reading); a Fan of 1 row is left out, counted.
  it('--groups 2 shows the two largest groups, worst share first, and counts the rows of the others', async () => {
    const csv = path.join(dir, 'reviews.scored.csv');
    const rows = [['Kettle', 'POSITIVE'], ['Kettle', 'POSITIVE'], ['Kettle', 'NEGATIVE'], ['Lamp', 'NEGATIVE'], ['Lamp', 'NEGATIVE'], ['Fan', 'POSITIVE']];
    writeFileSync(
      csv,
      'id,product,text,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n' +
        rows.map(([product, label], i) => `${i + 1},${product},review ${i + 1},${label},${label === 'POSITIVE' ? '0.9,0.1' : '0.2,0.8'},false,\n`).join(''),
    );
    const out = path.join(dir, 'r.json');
    const r = await runCli(['report', csv, '--by', 'product', '--groups', '2', '--format', 'json', '-o', out]);
    expect(r.code).toBe(0);
    const groups = (JSON.parse(readFileSync(out, 'utf8')) as Figures).groups!;
    expect(groups.shown.map((g) => [g.group, g.rows, g.positive])).toEqual([
      ['Lamp', 2, 0],
      ['Kettle', 3, 2],
    ]);
    expect(groups.notShownRows).toBe(1);
  });
});
