import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtCli, cleanEnv, REPO_ROOT } from './support/cli.js';

const FIXTURE = path.join(REPO_ROOT, 'fixtures/reviews.csv');
const NO_TRACE = /\n\s+at /;

// estimate's answer is all it gives, on standard output. Closed (`>&-`: Node puts /dev/null in its place) or /dev/null,
// it went nowhere, exit 0: refused before any work, exit 2, as `score -o -` refuses it (io/discarded-stdout.ts).
describe('estimate with standard output that keeps nothing', () => {
  it('closed or /dev/null: exit 2, one line saying so; a pipe is written as before', () => {
    const args = ['estimate', FIXTURE, '--text-column', 'review'];
    const devNull = spawnSync(process.execPath, [builtCli(), ...args], { env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const closed = spawnSync('sh', ['-c', 'exec >&-; exec "$@"', 'sh', process.execPath, builtCli(), ...args], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    for (const ended of [devNull, closed]) {
      expect(ended.stderr).not.toMatch(NO_TRACE);
      expect(ended.stderr).toBe(
        'sentiment-batch: estimate prints its figures on standard output, which is /dev/null (or was closed, which Node replaces with /dev/null), so they would be thrown away: send them to a file or a pipe (> estimate.txt, --json > estimate.json)\n',
      );
      expect(ended.status).toBe(2);
    }
    const piped = spawnSync(process.execPath, [builtCli(), ...args], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    expect(piped.status).toBe(0);
    expect(piped.stdout).toMatch(/^rows \d+/);
  });
});
