import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';

/**
 * A wrong API token with requests in flight: the service answered 401 (code 10000) to one, and the fatal stop cut the
 * other off. That one was kept as maybe billed: 0.0335 neurons in the checkpoint beside the summary's "neurons billable
 * 0", and the next run at another -o said the unfinished job had "paid for" requests. Every request of a run carries
 * the same token, checked before the model runs: the one cut off was refused too, if it got there, and is not counted.
 * A run whose token the service had accepted (a token revoked during the run) keeps its cut-off request as maybe billed.
 */
const OK = JSON.stringify({ result: [{ label: 'POSITIVE', score: 0.9 }, { label: 'NEGATIVE', score: 0.1 }], success: true, errors: [], messages: [] });
const UNWELL = JSON.stringify({ result: null, success: false, errors: [{ code: 3043, message: 'Internal server error' }], messages: [] });
const REFUSED = JSON.stringify({ result: null, success: false, errors: [{ code: 10000, message: 'Authentication error' }], messages: [] });

type Answer = 'ok' | 'refused' | 'hang' | 'unwell';

/** A stand-in that answers the nth request as `answers[n]` says: ok, refused, 500, or never (held until the client gives up). */
async function stub(answers: ReadonlyArray<Answer>): Promise<{ url: string; close: () => void }> {
  let arrivals = 0;
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const answer = answers[arrivals++] ?? 'refused';
    req.resume();
    if (answer === 'hang') {
      held.push(res);
      return;
    }
    res.writeHead(answer === 'ok' ? 200 : answer === 'unwell' ? 500 : 401, { 'content-type': 'application/json' });
    res.end(answer === 'ok' ? OK : answer === 'unwell' ? UNWELL : REFUSED);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/client/v4`, close: () => (server.closeAllConnections(), server.close()) };
}

interface Figures {
  totals: { requests: number; neurons: number };
  run: { billableNeurons: number; totals: { neurons: number } };
}

describe('a refused token with a request in flight', () => {
  const { file, path: inDir } = useTempDir();
  const input = () => file('in.csv', 'id,text\n1,great product\n2,awful support\n3,fine I guess\n4,love it\n');

  const run = async (answers: ReadonlyArray<Answer>, name: string, extra: string[] = [], source = input()): Promise<{ code: number | null; stdout: string; stderr: string; summary: Figures; checkpoint: Figures }> => {
    const server = await stub(answers);
    try {
      const output = inDir(`${name}.csv`);
      const r = await runCli(['score', source, '-o', output, '--concurrency', '2', '--summary-json', inDir(`${name}.json`), ...extra], {
        env: { CLOUDFLARE_ACCOUNT_ID: 'acct', CLOUDFLARE_API_TOKEN: 'wrong', CLOUDFLARE_BASE_URL: server.url },
      });
      const summary = JSON.parse(readFileSync(inDir(`${name}.json`), 'utf8')) as Figures;
      const checkpoint = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Figures;
      return { ...r, summary, checkpoint };
    } finally {
      server.close();
    }
  };

  it('counts the request cut off as refused too: the checkpoint and the summary both say 0 neurons', async () => {
    const r = await run(['hang', 'refused'], 'refused');
    expect(r.code).toBe(4);
    expect(r.summary.totals.requests).toBe(2);
    expect(r.checkpoint.totals.neurons).toBe(0);
    expect(r.summary.totals.neurons).toBe(0);
    expect(r.summary.run.billableNeurons).toBe(0);
    expect(r.stderr + r.stdout).toContain('neurons billable 0 ');
  });

  it('keeps it as maybe billed when the service had answered a request of the run', async () => {
    const r = await run(['ok', 'hang', 'refused'], 'revoked');
    expect(r.code).toBe(4);
    expect(r.summary.totals.requests).toBe(3);
    expect(r.summary.run.billableNeurons).toBeGreaterThan(0);
    expect(r.checkpoint.totals.neurons).toBeGreaterThan(r.summary.run.billableNeurons);
  });

  /**
   * The mend that follows a resumed run is scored by a scorer of its own: whether the run had answers was its own, so
   * the request it had in flight when the service refused the token was released as surely refused, though the
   * resumed pass of the same run had been answered (the token revoked during the run), as the pass's own is kept.
   */
  it('keeps it as maybe billed in the mend after a resumed pass that was answered', async () => {
    const six = file('six.csv', 'id,text\n1,great product\n2,awful support\n3,fine I guess\n4,love it\n5,never again\n6,works well\n');
    // First run: rows 2 and 3 fail transiently (500, one attempt) and are listed; the budget pauses the job after 4
    // requests. Second run: rows 5 and 6 answered, then the mend sends rows 2 and 3 again: one held, one refused.
    const server = await stub(['ok', 'unwell', 'unwell', 'ok', 'ok', 'ok', 'hang', 'refused']);
    const output = inDir('mend.csv');
    const score = async (extra: string[]) => {
      const r = await runCli(['score', six, '-o', output, '--concurrency', '2', '--summary-json', inDir('mend.json'), ...extra], {
        env: { CLOUDFLARE_ACCOUNT_ID: 'acct', CLOUDFLARE_API_TOKEN: 'revoked', CLOUDFLARE_BASE_URL: server.url },
      });
      const summary = JSON.parse(readFileSync(inDir('mend.json'), 'utf8')) as Figures;
      const checkpoint = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Figures;
      return { ...r, summary, checkpoint };
    };
    try {
      const paused = await score(['--concurrency', '1', '--max-attempts', '1', '--max-requests', '4', '--max-error-rate', '1']);
      expect(paused.code).toBe(75);
      const r = await score([]);
      expect(r.code).toBe(4);
      expect(r.stdout).toMatch(/resum/i);
      expect(r.summary.run.totals).toMatchObject({ requests: 4 });
      expect(r.summary.run.billableNeurons).toBeGreaterThan(0);
      // Was: the held request released, the run's neurons those of its 2 answers only (the pass's rule would keep it).
      expect(r.summary.run.totals.neurons).toBeGreaterThan(r.summary.run.billableNeurons);
      expect(r.checkpoint.totals.neurons).toBeGreaterThan(paused.checkpoint.totals.neurons + r.summary.run.billableNeurons);
    } finally {
      server.close();
    }
  });
});
