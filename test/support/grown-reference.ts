import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { CliResult } from './cli.js';
import { syntheticCsv } from './reviews.js';

/** The server the runs are sent to: what counts their requests (src/server's RunningServer). */
interface CountingServer {
  reset(): void;
  stats(): { total: number };
}

/** An export's bytes and where a run of it reads them and writes its output (folders made as needed). */
export interface ExportRun {
  bytes: string | Buffer;
  input: string;
  output: string;
}

/** An export's run in a folder of its own: `<folder>/in.csv` scored to `<folder>/out.csv`. */
export const runInFolder = (folder: string, bytes: string | Buffer): ExportRun => ({ bytes, input: path.join(folder, 'in.csv'), output: path.join(folder, 'out.csv') });

export interface GrownReference {
  /** The output of the grown export's fresh run: what a continued job's output must be, byte for byte. */
  fresh: Buffer;
  /** The requests each fresh run sent. */
  oldRequests: number;
  grownRequests: number;
  /** The requests the appended rows cost (the grown run's less the old run's): all a continued job may send. */
  appendedRequests: number;
}

/**
 * What a grown export's run is held to: a run of the old export, then a fresh run of the grown one, each counted from a
 * reset server and each ending 0. The old run may be the job itself (its files are then the job's, to grow next) or
 * one in a folder of its own; either way the server is left reset after the grown run, with its faults as they were.
 */
export async function grownReference(server: CountingServer, run: (input: string, output: string) => Promise<CliResult>, old: ExportRun, grown: ExportRun): Promise<GrownReference> {
  const requests = async ({ bytes, input, output }: ExportRun): Promise<number> => {
    mkdirSync(path.dirname(input), { recursive: true });
    mkdirSync(path.dirname(output), { recursive: true });
    writeFileSync(input, bytes);
    server.reset();
    expect((await run(input, output)).code).toBe(0);
    return server.stats().total;
  };
  const oldRequests = await requests(old);
  const grownRequests = await requests(grown);
  server.reset();
  return { fresh: readFileSync(grown.output), oldRequests, grownRequests, appendedRequests: grownRequests - oldRequests };
}

/** The same for a synthetic export (test/support/reviews.ts) of `rows` rows grown to `grown`: `<dir>/fresh-old`, then `<dir>/fresh`. */
export function syntheticGrownReference(server: CountingServer, run: (input: string, output: string) => Promise<CliResult>, dir: string, rows: number, grown: number): Promise<GrownReference> {
  return grownReference(server, run, runInFolder(path.join(dir, 'fresh-old'), syntheticCsv(rows)), runInFolder(path.join(dir, 'fresh'), syntheticCsv(grown)));
}
