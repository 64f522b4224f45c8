import { copyFileSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';

// BigQuery names its JSON Lines exports .json: `score export-000000000000.json --format jsonl` writes
// export-000000000000.scored.json, and `report` on that output of its own was refused, exit 2, "cannot tell the format
// … from its extension", though the run's checkpoint beside it says JSON Lines.
describe('report on a JSON Lines output named .json, as score names it after a BigQuery export', () => {
  const { file, path: inDir } = useTempDir();

  it("reads it as the run's checkpoint says; a copy with no checkpoint beside it still needs --input-format", async () => {
    const input = file('export-000000000000.json', ['{"id":"1","review":{"body":"Great little speaker"}}', '{"id":"2","review":{"body":"Broke after a week"}}', '{"id":"3","review":{}}'].join('\n') + '\n');
    const score = await runCli(['score', input, '--format', 'jsonl', '--text-field', 'review.body']);
    expect(score.code).toBe(0);
    const scored = inDir('export-000000000000.scored.json');
    const report = await runCli(['report', scored, '-o', inDir('report.json')]);
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
    const figures = JSON.parse(readFileSync(inDir('report.json'), 'utf8')) as { totals: { rows: number; scored: number; skipped: number } };
    expect(figures.totals).toMatchObject({ rows: 3, scored: 2, skipped: 1 });
    const copy = inDir('copy.json');
    copyFileSync(scored, copy);
    const bare = await runCli(['report', copy, '-o', inDir('copy-report.json')]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('it holds one JSON object per line, JSON Lines (as BigQuery names its exports): add --input-format jsonl');
  });
});
