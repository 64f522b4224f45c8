import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReportArgs } from '../src/config/report-options.js';
import { runCli, tempDir } from './support/cli.js';
import { refusal } from './support/refusal.js';

// --format means the input's format to score and estimate, and the page's format to report; estimate prints JSON
// with --json, report with --format json. Each command's refusal of the other's meaning named only its own values
// ("--format expects one of html, json, got 'tsv'"), not the flag the user was looking for.
describe('--format and --json given with the meaning another command has', () => {
  it('report --format csv|tsv|jsonl names --input-format', () => {
    for (const format of ['csv', 'tsv', 'jsonl']) {
      expect(refusal(() => parseReportArgs(['x.scored.tsv', '--format', format]))).toBe(
        `--format ${format}: report's --format is the report's own, html or json; the scored file's format is --input-format ${format}`,
      );
    }
    // Anything else keeps the plain line.
    expect(refusal(() => parseReportArgs(['x.scored.csv', '--format', 'pdf']))).toBe("--format expects one of html, json, got 'pdf'");
  });

  it('report --json names --format json', () => {
    expect(refusal(() => parseReportArgs(['x.scored.csv', '--json']))).toBe(
      "unknown option '--json' for report: it writes JSON with --format json (or -o NAME.json); see sentiment-batch report --help",
    );
  });

  describe('estimate --format json', () => {
    let dir: string;
    let cleanup: () => void;
    beforeAll(() => ({ dir, cleanup } = tempDir()));
    afterAll(() => cleanup());

    it('names --json', async () => {
      const input = path.join(dir, 'r.csv');
      writeFileSync(input, 'id,text\n1,good\n');
      const r = await runCli(['estimate', input, '--format', 'json']);
      expect(r.stderr).toBe(
        "sentiment-batch: --format json: estimate's --format is the input's, csv, tsv or jsonl; it prints its figures as JSON with --json\n",
      );
      expect(r.code).toBe(2);
    });
  });
});
