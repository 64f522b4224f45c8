/**
 * Short reviews per second through the real CLI with the embedded model:
 * `sentiment-batch score --backend embedded` as a child process on a CSV of
 * seeded synthetic short reviews, wall-clock time including start-up, model
 * load, CSV parsing and writing (one core: the pipeline is single-threaded).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, runNode } from './support.js';

export async function cliThroughput(reviews: readonly string[]): Promise<{ rows: number; seconds: number; rowsPerSecond: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-embedded-cli-'));
  try {
    const input = path.join(dir, 'short.csv');
    writeFileSync(input, 'id,review\n' + reviews.map((r, i) => `${i},"${r.replace(/"/g, '""')}"`).join('\n') + '\n');
    const started = performance.now();
    const result = await runNode([CLI, 'score', input, '--backend', 'embedded', '--text-column', 'review', '-o', path.join(dir, 'out.csv'), '--progress', 'off'], {
      ...process.env,
      CLOUDFLARE_ACCOUNT_ID: '',
      CLOUDFLARE_API_TOKEN: '',
    });
    const seconds = (performance.now() - started) / 1000;
    if (result.code !== 0) throw new Error(`the CLI exited with ${String(result.code)}: ${result.stderr.slice(0, 500)}`);
    return { rows: reviews.length, seconds, rowsPerSecond: Math.round(reviews.length / seconds) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
