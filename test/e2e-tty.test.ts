import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { hasScript, runOnTerminal } from './support/terminal.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const TOKEN = 'tty-Token-1234567890abcdef';

describe.skipIf(!hasScript)('on a terminal (pseudo-terminal through script)', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), token: TOKEN, latency: '20-40ms' });
  });
  afterEach(async () => {
    await server.close();
    cleanup();
  });

  it('shows readable log lines, a progress line with retries and 429s as they happen, and the summary once', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(200, { duplicateEvery: 0, emptyEvery: 0 }));
    // The first answers are 429s asking for a short wait: the progress line must count them, and the retries once
    // they are sent, while the run goes on.
    server.enqueue([{ status: 429, code: 3040, retryAfter: 0.2 }, { status: 429, code: 3040, retryAfter: 0.2 }, { status: 429, code: 3040, retryAfter: 0.2 }]);
    const env = workersAiEnv(server, { account: 'acct123', token: TOKEN });
    const { code, screen } = await runOnTerminal(['score', input, '--text-column', 'review', '-o', path.join(dir, 'out.csv'), '--concurrency', '2', '--rpm', '100000'], env);
    expect(code).toBe(0);
    // Readable, not JSON.
    expect(screen).not.toMatch(/\{"level"/);
    expect(screen).toMatch(/\d\d:\d\d:\d\d INFO {2}scoring with Workers AI/);
    // The progress line, redrawn in place, counting the 429s.
    const redraws = screen.split('\r\x1b[K').filter((part) => /rows\/s/.test(part));
    expect(redraws.length).toBeGreaterThan(0);
    expect(redraws.some((part) => /[1-9]\d* retries · [1-9]\d* × 429/.test(part))).toBe(true);
    // No redraw shows a collapsed rate while rows are being answered.
    expect(redraws.every((part) => !/ 0(\.0)? rows\/s/.test(part) || /^0 rows/.test(part))).toBe(true);
    // The summary once.
    expect(screen.match(/Done: /g)).toHaveLength(1);
    expect(screen).not.toMatch(/"summary"|msg=summary| INFO {2}summary/);
  });

  it('--log-format json forces JSON lines on a terminal', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(5));
    const { code, screen } = await runOnTerminal(['score', input, '--text-column', 'review', '-o', path.join(dir, 'out.csv'), '--log-format', 'json', '--backend', 'embedded'], {});
    expect(code).toBe(0);
    expect(screen).toMatch(/\{"level":30,"time":\d+,"backend":"embedded"/);
  });
});
