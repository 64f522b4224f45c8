/**
 * docs/container.md's one-file-per-night script (test/support/nightly-script.ts) on a cumulative export against the
 * project's server: each night's file holds every earlier row (re-sorted, one edited) plus the new ones, and the script
 * must pay only for the texts no earlier night was answered for.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './support/cli.js';
import { csv, day, runScript, scriptLines } from './support/nightly-script.js';
import { useTestServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

describe("docs/container.md's nightly script, a cumulative export", () => {
  const server = useTestServer();

  // The script had no --cache: dated outputs share no checkpoint, so every night paid for every row of the whole
  // export again (7 nights from 5,000 rows, +300 a night: 41,296 requests where the new and edited texts were 6,801).
  it('sends only the texts no earlier night was answered for', async () => {
    const served = await server.start();
    const env = workersAiEnv(served);
    const { dir, cleanup } = tempDir();
    try {
      mkdirSync(path.join(dir, 'in'));
      mkdirSync(path.join(dir, 'out'));
      const old = Array.from({ length: 40 }, (_, i) => `review number ${i} was fine`);
      const tonight = (texts: string[]) => writeFileSync(path.join(dir, 'in', `reviews-${day(0)}.csv`), csv(texts));
      tonight(old);
      const first = await runScript(dir, env);
      expect(scriptLines(first.stdout, [day(0)])).toEqual([`${day(0)} exited 0: complete`]);
      expect(served.stats().total).toBe(40);
      // The next night: a new dated export whose name and output share nothing with last night's (moved away here, as
      // the clock cannot be moved), holding last night's rows newest first, one of them edited, and 10 new ones.
      for (const name of readdirSync(path.join(dir, 'out'))) rmSync(path.join(dir, 'out', name));
      const edited = old.map((text, i) => (i === 7 ? `${text} then it broke` : text)).reverse();
      tonight([...Array.from({ length: 10 }, (_, i) => `a new review ${i} lovely`), ...edited]);
      const second = await runScript(dir, env);
      expect(scriptLines(second.stdout, [day(0)])).toEqual([`${day(0)} exited 0: complete`]);
      expect(served.stats().total - 40).toBe(11);
      expect(second.status).toBe(0);
    } finally {
      cleanup();
    }
  });
});
