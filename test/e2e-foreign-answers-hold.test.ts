import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { useTestServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

// Every request answered whole with what is not the model's answer (here a body that is not JSON; a gateway's page,
// an answer of another shape): the hold that keeps new rows back said "the service looks down (the last 8 attempts
// failed)", sending the operator to the network while the base URL answered every request, each a 200 that may be
// billed (2026-12-07).
describe('a base URL answering with what is not the model\'s answer', () => {
  const server = useTestServer();

  it('says so when it holds new rows back, not that the service looks down', async () => {
    const served = await server.start({ malformedRate: 1 });
    const { dir, cleanup } = tempDir();
    try {
      const input = path.join(dir, 'in.csv');
      writeFileSync(input, syntheticCsv(30, { duplicateEvery: 0, emptyEvery: 0 }));
      const run = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'out.csv'), '--log-level', 'warn', '--log-format', 'pretty'], { env: workersAiEnv(served) });
      expect(run.code).toBe(5);
      expect(run.stderr).toContain(
        "the last 8 attempts got an answer that is not the model's: check what answers at the base URL, and any proxy (HTTPS_PROXY / HTTP_PROXY) or gateway on the way: no new row is sent until it answers again",
      );
      expect(run.stderr).not.toContain('the service looks down');
      expect(run.stdout).toContain("the answers are not the model's");
    } finally {
      cleanup();
    }
  });
});
