import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, warnMessages } from './support/cli.js';
import { scoreInProcess } from './support/score-in-process.js';

// `report --by order_id` on a column whose values are all distinct drew the 20 largest groups of one row each, with no
// hint that the column is an id, nor which column would have grouped.
describe('report --by on a column that looks like an id', () => {
  let dir: string;
  let cleanup: () => void;
  let scored: string;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    const input = path.join(dir, 'orders.csv');
    const stores = ['north', 'south', 'east'];
    const rows = Array.from({ length: 40 }, (_, i) => `o-${1000 + i},${stores[i % 3]},"${i % 2 === 0 ? 'great product, works well' : 'broke after a day, awful'} ${i}"`);
    writeFileSync(input, `order_id,store,text\n${rows.join('\n')}\n`);
    scored = path.join(dir, 'orders.scored.csv');
    const r = await scoreInProcess([input, '-o', scored]);
    expect(r.code).toBe(0);
  });
  afterAll(() => cleanup());

  it('says so on the terminal, the page and in the JSON, naming the columns that would group', async () => {
    const hint = "'order_id' looks like an id: 40 distinct values for 40 rows, so each group is a row or two; columns that would group: 'store'";
    const html = path.join(dir, 'r.html');
    const r = await runCli(['report', scored, '--by', 'order_id', '-o', html]);
    expect(r.code).toBe(0);
    // A warning: on standard error, as report's others (standard output is the Report: line alone).
    expect(warnMessages(r.stderr)).toContain(hint);
    expect(r.stdout).not.toContain('looks like an id');
    expect(readFileSync(html, 'utf8')).toContain(hint.replace(/'/g, '&#39;'));
    const json = path.join(dir, 'r.json');
    expect((await runCli(['report', scored, '--by', 'order_id', '-o', json])).code).toBe(0);
    expect((JSON.parse(readFileSync(json, 'utf8')) as { groups: { idHint?: string } }).groups.idHint).toBe(hint);
  });

  it('score --report --report-by says it too, below its report line', async () => {
    const again = path.join(dir, 'again.csv');
    const r = await runCli(['score', path.join(dir, 'orders.csv'), '-o', again, '--report', path.join(dir, 'again.html'), '--report-by', 'order_id']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Report: .*again\.html \(positive [\d.]+ %\)\n  'order_id' looks like an id: 40 distinct values for 40 rows, so each group is a row or two; columns that would group: 'store'\n/m);
  });

  // A JSONL file was told of its 'columns' (columns that would group: 'stars'), which a JSONL record has none of.
  it('names fields, not columns, for a JSONL file', async () => {
    const input = path.join(dir, 'orders.jsonl');
    const stores = ['north', 'south', 'east'];
    const records = Array.from({ length: 40 }, (_, i) => JSON.stringify({ order: { id: `o-${1000 + i}` }, store: stores[i % 3], text: `${i % 2 === 0 ? 'great product' : 'awful, broke'} ${i}` }));
    writeFileSync(input, `${records.join('\n')}\n`);
    const output = path.join(dir, 'orders.scored.jsonl');
    expect((await scoreInProcess([input, '-o', output])).code).toBe(0);
    const r = await runCli(['report', output, '--by', 'order.id', '-o', path.join(dir, 'orders.html')]);
    expect(r.code).toBe(0);
    expect(warnMessages(r.stderr)).toContain("'order.id' looks like an id: 40 distinct values for 40 rows, so each group is a row or two; fields that would group: 'store'");
  });

  it('says nothing of a column that groups', async () => {
    const json = path.join(dir, 'store.json');
    const r = await runCli(['report', scored, '--by', 'store', '-o', json]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('looks like an id');
    expect((JSON.parse(readFileSync(json, 'utf8')) as { groups: { idHint?: string } }).groups.idHint).toBeUndefined();
  });
});
