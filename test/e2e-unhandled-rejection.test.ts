/**
 * A promise rejection nobody handles (a bug of ours or of a library: ioredis's own re-subscribe, closed under it,
 * was one) ends the CLI as its other internal errors do: "sentiment-batch: internal error (a bug, please report
 * it): …", exit 1. It used to be Node's bare crash print (the source line, a caret, the stack, "Node.js v20…").
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, spawnCli } from './support/cli.js';

describe('an unhandled rejection in the CLI', () => {
  it('is an internal error in the CLI\'s words, exit 1', async () => {
    const hook = path.join(REPO_ROOT, 'test/support/unhandled-rejection.mjs');
    // `serve` runs until stopped: only the rejection ends it.
    const child = spawnCli(['serve', '--port', '0'], { env: { NODE_OPTIONS: `--import ${hook}` } });
    const stopper = setTimeout(() => child.kill('SIGKILL'), 30_000);
    try {
      const ended = await child.result;
      expect({ code: ended.code, signal: ended.signal }).toEqual({ code: 1, signal: null });
      expect(ended.stderr).toMatch(/^sentiment-batch: internal error \(a bug, please report it\): Error: a deliberate unhandled rejection\n\s+at /m);
      expect(ended.stderr).not.toContain('Node.js v');
    } finally {
      clearTimeout(stopper);
    }
  }, 60_000);
});
