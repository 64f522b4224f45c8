import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, cleanEnv } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';

/**
 * The README's first command is `npm ci && npm run demo`, "score fixtures/reviews.csv with the embedded model (no
 * account, no network)". A reader whose shell already exports Cloudflare credentials (a Workers developer) must get
 * that too: `--backend auto` would pick Workers AI, send the sample's reviews out and pay for them.
 */
describe('npm run demo', () => {
  const tmp = useTempDir();

  it('scores with the embedded model and sends nothing, even with Cloudflare credentials in the environment', async () => {
    let requests = 0;
    // A Workers AI stand-in that refuses every token: a run that asks it stops with exit 4.
    const server = createServer((req, res) => {
      requests += 1;
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ result: null, success: false, errors: [{ code: 10000, message: 'Authentication error' }], messages: [] }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      // The script's paths are relative to the clone: run it in a folder holding the clone's dist/ and fixtures/, so
      // that its out/ is this test's.
      const dir = path.dirname(tmp.path('x'));
      symlinkSync(path.join(REPO_ROOT, 'dist'), path.join(dir, 'dist'));
      symlinkSync(path.join(REPO_ROOT, 'fixtures'), path.join(dir, 'fixtures'));
      const script = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.demo;
      const child = spawn('sh', ['-c', `${script} --summary-json summary.json`], {
        cwd: dir,
        env: cleanEnv({
          CLOUDFLARE_ACCOUNT_ID: 'dev',
          CLOUDFLARE_API_TOKEN: 'dev',
          CLOUDFLARE_BASE_URL: `http://127.0.0.1:${port}/client/v4`,
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(child, 'close')) as [number | null];
      expect({ code, stderr: code === 0 ? '' : stderr.slice(-600) }).toEqual({ code: 0, stderr: '' });
      expect(requests).toBe(0);
      const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as { model: string; totals: { read: number } };
      expect(summary.model).toBe('embedded:sst2-nblr-lex-v5');
      expect(summary.totals.read).toBe(30);
    } finally {
      server.close();
    }
  });
});
