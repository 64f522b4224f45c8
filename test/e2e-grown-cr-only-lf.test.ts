import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';
import { grownReference } from './support/grown-reference.js';
import { useTestServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const OLD_ROWS = 20;
const ROWS = 30;

/** A CSV of `rows` reviews, every record (the header too) ended by a lone CR, as old Mac exporters write. */
const crOnly = (rows: number, from = 0) =>
  Array.from({ length: rows - from }, (_, i) => `${from + i},"review ${from + i}: ${(from + i) % 3 ? 'good, it works' : 'bad, it broke'}"\r`).join('');

/**
 * A CR-only export (every record ended by a lone CR) whose next night's file is the same bytes, an LF, then the new
 * rows: the LF after the consumed lone CR is read as the line ending the last row lacked (job/same-input.ts, io/ended-
 * since.ts `withoutEndingAt`), so the completed job is continued, not scored afresh. Checked by hand when it was made
 * (lowfix13); this pins it: only the new rows are sent, and the output is byte for byte a fresh run's of the new file.
 */
describe('a CR-only export grown by an LF and rows, or by a CR after a last row without one, is continued', () => {
  const dir = useTempDir();
  const server = useTestServer();

  // The second: its last row written with no CR (an exporter that ends no last line), the next night's file the same
  // bytes, a CR, then the new rows: in CSV that CR ends the row. It was scored afresh ("… goes on with the bytes after
  // them, so it is another record now"), every row paid again, where the LF twin is continued.
  const withCr = `id,review\r${crOnly(OLD_ROWS)}`;
  it.each([
    ['lf', 'grown by an LF and rows', withCr, `${withCr}\n${crOnly(ROWS, OLD_ROWS)}`],
    ['cr', 'its last row without a CR, grown by a CR and rows', withCr.slice(0, -1), `id,review\r${crOnly(ROWS)}`],
  ])('only the new rows are sent; the output is a fresh run of the new file (%s: %s)', async (name, _what, old, grown) => {
    const running = await server.start({ latency: '1-3ms' });
    const env = workersAiEnv(running);
    const run = (from: string, to: string) => runCli(['score', from, '--text-column', 'review', '-o', to, '--rpm', '600000'], { env });
    // The job is the old export's run (<name>-in.csv); the reference, a fresh run of the grown one.
    const input = dir.path(`${name}-in.csv`);
    const output = dir.path(`${name}-out.csv`);
    const freshRun = { bytes: grown, input: dir.path(`${name}-fresh.csv`), output: dir.path(`${name}-fresh.out.csv`) };
    const { fresh, oldRequests, grownRequests } = await grownReference(running, run, { bytes: old, input, output }, freshRun);
    expect(grownRequests).toBe(ROWS);
    expect(oldRequests).toBe(OLD_ROWS);
    writeFileSync(input, grown);
    running.reset();
    const continued = await run(input, output);
    expectCleanError(continued.stderr);
    expect(continued.code).toBe(0);
    expect(continued.stderr).toMatch(/Continuing: the input is the completed job's \d+ bytes with rows appended; its 20 rows are kept/);
    expect(running.stats().total).toBe(ROWS - OLD_ROWS);
    expect(readFileSync(output).equals(fresh)).toBe(true);
  });
});
