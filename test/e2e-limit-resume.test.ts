import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCheckpoint } from '../src/state/checkpoint.js';
import { runCli } from './support/cli.js';
import { killAtRename } from './support/kill-at-rename-env.js';
import { limitJobFixture } from './support/limit-job-fixture.js';

/**
 * A paused job resumed with --limit added, raised or removed started over: the limit is one of the settings the
 * checkpoint hashes, though the rows written are the first rows of the new limit's output too. 300 rows paused after
 * 100 requests, then `--limit 250`: 250 requests where 150 do (found by operator17, /work/scratch/op17 `limit-hi`). The
 * job now continues when the rows done are within the new limit; below them it starts over, the line saying so.
 */
describe('--limit changed on a paused job', () => {
  const job = limitJobFixture();
  const { env, score, messages } = job;

  /** A fresh output with the job paused after 100 requests (`limit`: under that --limit), and its rows done. */
  async function paused(...limit: string[]): Promise<{ output: string; done: number }> {
    return pausedAfter('100', ...limit);
  }

  async function pausedAfter(requests: string, ...more: string[]): Promise<{ output: string; done: number }> {
    const output = job.output('out');
    job.server.reset();
    const result = await runCli(score(output, '--max-requests', requests, ...more), { env: env() });
    expect(result.code, result.stderr).toBe(75);
    const loaded = await readCheckpoint(`${output}.checkpoint.json`);
    if (loaded.kind !== 'ok') throw new Error(`no checkpoint: ${loaded.kind}`);
    job.server.reset();
    return { output, done: loaded.checkpoint.position.nextIndex };
  }

  /** The output of a clean run under `limit`. */
  async function clean(...limit: string[]): Promise<string> {
    const output = job.output('clean');
    const result = await runCli(score(output, ...limit), { env: env() });
    expect(result.code, result.stderr).toBe(0);
    job.server.reset();
    return readFileSync(output, 'utf8');
  }

  it.each([
    ['raised', ['--limit', '150'], ['--limit', '250'], 250],
    ['added', [], ['--limit', '250'], 250],
    ['removed', ['--limit', '150'], [], 300],
  ])('%s: the job continues, its output byte for byte a clean run under the new limit', async (_name, before, after, rows) => {
    const { output, done } = await paused(...before);
    expect(done).toBeGreaterThan(0);
    const resumed = await runCli(score(output, ...after), { env: env() });
    expect(resumed.code, resumed.stderr).toBe(0);
    const said = messages(resumed.stderr);
    expect(said.some((msg) => msg.includes('starting over')), said.join('\n')).toBe(false);
    expect(said.some((msg) => msg.includes(`the ${done} records done are within it: the job continues`)), said.join('\n')).toBe(true);
    // Only the rows not done are sent (those the journal kept answers for, not even them).
    expect(job.server.stats().total).toBeLessThanOrEqual(rows - done);
    expect(resumed.stdout).toContain(`whole job across resumes: rows ${rows}: scored ${rows}`);
    expect(readFileSync(output, 'utf8')).toBe(await clean(...after));
  });

  // Continued under another limit, a run rewrites the journal under its settings hash before its checkpoint: killed
  // between the two (kill -9 right before the checkpoint's rename), the checkpoint kept the old hash, and a run under a
  // third limit matched neither: the answers a killed run had journaled were paid again (review60 suspected it; against
  // serve, 300 rows: 235 requests for the 235 rows left where 217 do).
  it('killed before its first checkpoint, then run under a third limit: the journal of the paused job is still read', async () => {
    const { output, done } = await pausedAfter('5');
    // Continued, then paused again by 60 more requests, and killed right before that pause's checkpoint (its second
    // rename, the first the one made as it starts): those 60 answers are in the journal alone. No periodic checkpoint
    // in between: under load the 60 took over the default 2 s, the kill hit a periodic one with answers still to come,
    // and the third run rightly paid for those (138 requests against the 135 bound, lowfix68).
    const beforePause = { ...killAtRename(`${output}.checkpoint.json`, { when: 'before' }), SB_TEST_KILL_RENAME_NTH: '2' };
    const journaled = await runCli(score(output, '--max-requests', '60', '--checkpoint-interval', '1h'), { env: { ...env(), ...beforePause } });
    expect(journaled.signal, journaled.stderr).toBe('SIGKILL');
    job.server.reset();
    const relimited = await runCli(score(output, '--limit', '250'), { env: { ...env(), ...killAtRename(`${output}.checkpoint.json`, { when: 'before' }) } });
    expect(relimited.signal, relimited.stderr).toBe('SIGKILL');
    expect(job.server.stats().total).toBe(0);
    const third = await runCli(score(output, '--limit', '200'), { env: env() });
    expect(third.code, third.stderr).toBe(0);
    const said = messages(third.stderr);
    expect(said, said.join('\n')).toContain('answers the last run received are kept from the journal: their texts are not sent again');
    // None of the 5 + 60 rows paid for is sent again.
    expect(job.server.stats().total).toBeLessThanOrEqual(200 - done - 60);
    expect(readFileSync(output, 'utf8')).toBe(await clean('--limit', '200'));
  });

  it('lowered below the rows done: it starts over, the line says why', async () => {
    const { output, done } = await paused();
    const resumed = await runCli(score(output, '--limit', '50'), { env: env() });
    expect(resumed.code, resumed.stderr).toBe(0);
    const line = messages(resumed.stderr).find((msg) => msg.includes('starting over')) ?? '';
    expect(line).toContain(`record limit: none then, 50 now, below the ${done} records done`);
    expect(resumed.stdout).toContain('rows 50: scored 50');
    expect(readFileSync(output, 'utf8')).toBe(await clean('--limit', '50'));
  });

  // Was: `the 1 records done are within it`, `below the 1 records done`.
  it('one record done is said in the singular', async () => {
    const one = await pausedAfter('1', '--concurrency', '1');
    expect(one.done).toBe(1);
    const resumed = await runCli(score(one.output, '--limit', '250'), { env: env() });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(messages(resumed.stderr)).toContain('the record limit changed (none then, 250 now); the 1 record done is within it: the job continues');
    const again = await pausedAfter('1', '--concurrency', '1');
    const equal = await runCli(score(again.output, '--limit', '1'), { env: env() });
    expect(equal.code, equal.stderr).toBe(0);
    expect(messages(equal.stderr).find((msg) => msg.includes('starting over'))).toContain('record limit: none then, 1 now, equal to the 1 record done');
  });
});
