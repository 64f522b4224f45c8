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
const REFUSED = JSON.stringify({ result: null, success: false, errors: [{ code: 10000, message: 'Authentication error' }], messages: [] });

/** A stand-in that answers the nth request as `answers[n]` says: ok, refused, or never (held until the client gives up). */
async function stub(answers: ReadonlyArray<'ok' | 'refused' | 'hang'>): Promise<{ url: string; close: () => void }> {
  let arrivals = 0;
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const answer = answers[arrivals++] ?? 'refused';
    req.resume();
    if (answer === 'hang') {
      held.push(res);
      return;
    }
    res.writeHead(answer === 'ok' ? 200 : 401, { 'content-type': 'application/json' });
    res.end(answer === 'ok' ? OK : REFUSED);
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

  const run = async (answers: ReadonlyArray<'ok' | 'refused' | 'hang'>, name: string): Promise<{ code: number | null; stdout: string; stderr: string; summary: Figures; checkpoint: Figures }> => {
    const server = await stub(answers);
    try {
      const output = inDir(`${name}.csv`);
      const r = await runCli(['score', input(), '-o', output, '--concurrency', '2', '--summary-json', inDir(`${name}.json`)], {
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
});
