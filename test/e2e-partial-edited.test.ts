import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowsCheckpointed, runCli, spawnCli, waitFor } from './support/cli.js';
import { killAtRename } from './support/kill-at-rename-env.js';
import { syntheticCsv } from './support/reviews.js';
import { useServedInput } from './support/served-input.js';

const ROWS = 500;

/**
 * A paused job's partial output edited by hand at the same length (one digit of a score, mid-file): the proof reads one
 * row of it (the last), so the edit was carried into the output, exit 0. The checkpoint records the CRC-32 of the bytes
 * it covers (`partialCrc32`), which the resume compares.
 */
describe('a partial output edited in place at the same length', { timeout: 180_000 }, () => {
  const served = useServedInput('in.csv', () => syntheticCsv(ROWS), { latency: '5-15ms', seed: 11 });
  const { env } = served;
  const args = (output: string) => ['score', served.input, '--text-column', 'review', '-o', output, '--rpm', '600000', '--concurrency', '16', '--checkpoint-interval', '100ms'];
  const reference = () => served.path('reference.csv');

  beforeAll(async () => {
    const result = await runCli(args(reference()), { env: env() });
    expect(result.code).toBe(0);
  });

  /** Runs the job until 150 rows are checkpointed, stops it with SIGTERM, and returns the checkpoint's recorded length. */
  async function paused(output: string): Promise<number> {
    const child = spawnCli([...args(output), '--rpm', '6000'], { env: env() });
    await waitFor(() => rowsCheckpointed(output) >= 150, 60_000, 'first checkpoints');
    child.kill('SIGTERM');
    expect((await child.result).code).toBe(130);
    return (JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as { position: { outputBytes: number } }).position.outputBytes;
  }

  /** Changes one digit of a score in the first row that has one after `from`, well before the last row: the length stays. */
  function editDigit(file: string, from: number): void {
    const bytes = readFileSync(file);
    const text = bytes.toString('latin1');
    const at = text.indexOf(',0.', from) + 4;
    expect(at).toBeGreaterThan(from);
    bytes[at] = bytes[at] === 0x37 ? 0x33 : 0x37;
    writeFileSync(file, bytes);
  }

  it('starts over, its answers taken from the journal, and writes a clean run bytes', async () => {
    const output = served.path('edited.csv');
    const length = await paused(output);
    editDigit(`${output}.partial`, Math.floor(length / 3));
    const requestsBefore = served.server.stats().total;
    const rerun = await runCli(args(output), { env: env() });
    expect(rerun.code).toBe(0);
    expect(readFileSync(output).equals(readFileSync(reference()))).toBe(true);
    expect(rerun.stderr).toMatch(/does not match the files: .*edited\.csv\.partial is not as the checkpoint recorded it .*: starting over/);
    // The answers the paused run received are in its journal: the start over sends only the rows it had not written.
    expect(served.server.stats().total - requestsBefore).toBeLessThan(ROWS);
  });

  it('a checkpoint without the field (an older version) resumes without the check', async () => {
    const output = served.path('older.csv');
    await paused(output);
    const file = `${output}.checkpoint.json`;
    const checkpoint = JSON.parse(readFileSync(file, 'utf8')) as { partialCrc32?: number };
    expect(checkpoint.partialCrc32).toEqual(expect.any(Number));
    delete checkpoint.partialCrc32;
    writeFileSync(file, JSON.stringify(checkpoint));
    const rerun = await runCli(args(output), { env: env() });
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toMatch(/resuming from the checkpoint/);
    expect(rerun.stderr).not.toMatch(/starting over/);
    expect(readFileSync(output).equals(readFileSync(reference()))).toBe(true);
  });

  /** The job run to completion and killed (-9) right before its partial output is renamed to the output. */
  async function completedUnrenamed(output: string): Promise<void> {
    const killed = await runCli(args(output), { env: { ...env(), ...killAtRename(output, { when: 'before' }) } });
    expect(killed.signal).toBe('SIGKILL');
    expect((JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as { completed: boolean }).completed).toBe(true);
  }

  it('a completed job killed before its rename, its partial output edited: started over from the journal, not renamed', async () => {
    const output = served.path('unrenamed.csv');
    await completedUnrenamed(output);
    editDigit(`${output}.partial`, Math.floor(readFileSync(`${output}.partial`).length / 3));
    const requestsBefore = served.server.stats().total;
    const rerun = await runCli(args(output), { env: env() });
    expect(rerun.code).toBe(0);
    // Was: "Done", the edited digit renamed into the output (its length and last row were all that was proven).
    expect(rerun.stderr).toMatch(/does not match the files: .*unrenamed\.csv\.partial is not the output the completed job wrote \(its sha256 differs/);
    expect(readFileSync(output).equals(readFileSync(reference()))).toBe(true);
    // Every answer the killed run received is in its journal (not yet removed: the job was not renamed): none is sent again.
    expect(served.server.stats().total - requestsBefore).toBe(0);
  });

  it('a completed job killed before its rename, its partial output untouched: renamed, nothing sent', async () => {
    const output = served.path('unrenamed-clean.csv');
    await completedUnrenamed(output);
    const requestsBefore = served.server.stats().total;
    const rerun = await runCli(args(output), { env: env() });
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).not.toMatch(/starting over/);
    expect(served.server.stats().total - requestsBefore).toBe(0);
    expect(readFileSync(output).equals(readFileSync(reference()))).toBe(true);
  });
});
