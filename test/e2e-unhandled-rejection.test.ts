/**
 * A promise rejection nobody handles (a bug of ours or of a library: ioredis's own re-subscribe, closed under it,
 * was one) ends the CLI as its other internal errors do: "sentiment-batch: internal error (a bug, please report
 * it): …", exit 1. It used to be Node's bare crash print (the source line, a caret, the stack, "Node.js v20…").
 */
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { REPO_ROOT, spawnCli } from './support/cli.js';

/** What the hook writes on stderr when the process outlives the rejection it raised. */
const WENT_ON = 'unhandled-rejection.mjs: the process went on after the rejection';

describe('an unhandled rejection in the CLI', () => {
  it('is an internal error in the CLI\'s words, exit 1', async () => {
    const hook = path.join(REPO_ROOT, 'test/support/unhandled-rejection.mjs');
    // `serve` runs until stopped: only the rejection ends it. One that outlives it says so (the hook's WENT_ON line):
    // it is stopped then, not after a fixed wait that a slow start on a loaded machine could outlast.
    const child = spawnCli(['serve', '--port', '0'], { env: { NODE_OPTIONS: `--import ${hook}`, UNHANDLED_REJECTION_WENT_ON: WENT_ON } });
    onTestFinished(() => void child.kill('SIGKILL'));
    child.stderr?.on('data', () => {
      if (child.said().stderr.includes(WENT_ON)) child.kill('SIGKILL');
    });
    const ended = await child.result;
    expect(ended.stderr).not.toContain(WENT_ON);
    expect({ code: ended.code, signal: ended.signal }).toEqual({ code: 1, signal: null });
    expect(ended.stderr).toMatch(/^sentiment-batch: internal error \(a bug, please report it\): Error: a deliberate unhandled rejection\n\s+at /m);
    expect(ended.stderr).not.toContain('Node.js v');
  }, 60_000);
});
