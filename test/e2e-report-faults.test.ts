import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { faultLine } from './support/fault-line.js';
import { canMount, useTmpfsMounts } from './support/mount.js';
import { syntheticCsv } from './support/reviews.js';

/**
 * A full disk while the report or the summary file is written: the previous
 * report stays whole (temp file, then rename), the line names the file and the
 * flag that moves it, and --summary-json says the scored output is complete.
 */
const MOUNT = canMount();

/** Fills what is left of a small filesystem, so the next write of any size fails. */
function fill(folder: string): void {
  const chunk = Buffer.alloc(1024);
  for (let i = 0; i < 1024; i++) {
    try {
      writeFileSync(path.join(folder, `filler-${i}`), chunk);
    } catch {
      return;
    }
  }
}

describe.skipIf(!MOUNT)('report and summary file on a full disk (root: tmpfs)', () => {
  let dir: string;
  let cleanup: () => void;
  let small: string;
  let scored: string;
  let input: string;
  // Registered first, so it runs after the unmounts (afterAll hooks run last-registered first).
  afterAll(() => cleanup());
  const mount = useTmpfsMounts(() => dir);

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('sb-report-faults-'));
    input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(3_000));
    scored = path.join(dir, 'scored.csv');
    expect((await runCli(['score', input, '--text-column', 'review', '-o', scored])).code).toBe(0);
    small = path.join(dir, 'small.csv');
    writeFileSync(small, readFileSync(scored, 'utf8').split('\n').slice(0, 50).join('\n') + '\n');
  }, 60_000);

  it('report -o: a second report that does not fit leaves the first one whole and no temp file; the line names the file and -o, no checkpoint', async () => {
    const disk = mount('report', '64k');
    const target = path.join(disk, 'r.html');
    expect((await runCli(['report', small, '--text-column', 'review', '-o', target])).code).toBe(0);
    const first = readFileSync(target);
    fill(disk);
    const line = faultLine(await runCli(['report', scored, '--text-column', 'review', '--rating', 'stars', '-o', target]));
    expect(line).toBe(`sentiment-batch: no space left on the device holding ${target}: free some space or write elsewhere (-o), then run the same command again`);
    expect(readFileSync(target).equals(first)).toBe(true);
    expect(readdirSync(disk).filter((name) => name.includes('.tmp-'))).toEqual([]);
  }, 60_000);

  it('score --report: the output is complete, exit 74 naming --report, and --summary-json says outputComplete with the report not written', async () => {
    const disk = mount('score-report', '64k');
    fill(disk);
    const out = path.join(dir, 'sr');
    mkdirSync(out);
    const output = path.join(out, 'out.csv');
    const summaryJson = path.join(out, 's.json');
    const report = path.join(disk, 'r.html');
    const result = await runCli(['score', input, '--text-column', 'review', '-o', output, '--report', report, '--summary-json', summaryJson]);
    expect(result.stdout).toMatch(/^Done: /);
    const line = faultLine(result);
    expect(line).toMatch(new RegExp(`^sentiment-batch: no space left on the device holding ${report}: free some space or write elsewhere \\(--report\\), then run the same command again \\(the output is complete: it is not scored again, only the report is written\\)$`));
    expect(readFileSync(output).equals(readFileSync(scored))).toBe(true);
    const summary = JSON.parse(readFileSync(summaryJson, 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({ status: 'failed', exitCode: 74, outputComplete: true, report: { path: report, written: false }, message: line.replace('sentiment-batch: ', '') });
    expect((summary.totals as { scored: number }).scored).toBeGreaterThan(0);
    expect(readdirSync(disk).filter((name) => name.includes('.tmp-'))).toEqual([]);
  }, 60_000);

  it('--summary-json on a full disk: the line names the file and --summary-json, no checkpoint', async () => {
    const disk = mount('summary', '64k');
    fill(disk);
    const summaryJson = path.join(disk, 's.json');
    const line = faultLine(await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'sj', 'out.csv'), '--summary-json', summaryJson]));
    expect(line).toBe(`sentiment-batch: no space left on the device holding ${summaryJson}: free some space or write elsewhere (--summary-json), then run the same command again`);
  }, 60_000);
});
