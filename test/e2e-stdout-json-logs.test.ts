import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, everyLineJson, runCli } from './support/cli.js';

/**
 * With -o - the records go to standard output and the summary for a person to standard error. With JSON logs asked
 * for by name, that summary block was six plain lines among the JSON ones on standard error, which a collector parsing
 * every line as JSON could not read, on every night's run; the log's own "summary" line holds the same figures. It is
 * left out then; under `auto` (and pretty) the block stays, as test/e2e-flags.test.ts checks.
 */
describe('-o - with --log-format json', () => {
  it('every line on standard error is JSON, the summary among them; the records alone on standard output', async () => {
    const input = path.join(REPO_ROOT, 'fixtures/reviews.csv');
    const r = await runCli(['score', input, '--text-column', 'review', '-o', '-', '--log-format', 'json']);
    expect(r.code).toBe(0);
    const lines = everyLineJson(r.stderr);
    expect(lines.filter((line) => line.msg === 'summary')).toEqual([expect.objectContaining({ level: 30, summary: expect.objectContaining({ status: 'done', exitCode: 0 }) })]);
    expect(r.stdout.split('\n')[0]).toMatch(/^id,/);
    expect(r.stdout).not.toMatch(/Done:/);
  });
});
