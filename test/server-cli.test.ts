import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { MODEL_ID, parseServeArgs, runServe, serveHelp, type ServeCliOptions } from '../src/server/index.js';
import { resolveServerOptions } from '../src/server/options.js';
import { runCli } from './support/cli.js';
import { TestScorer } from './support/test-scorer.js';

const dir = mkdtempSync(path.join(tmpdir(), 'serve-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function faultsFile(content: string): string {
  const file = path.join(dir, `faults-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, content);
  return file;
}

function configError(argv: string[]): string {
  try {
    parseServeArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

describe('parseServeArgs', () => {
  it('has the documented defaults', () => {
    expect(parseServeArgs([])).toEqual({ help: false, port: 8787, host: '127.0.0.1', server: {} });
    expect(parseServeArgs(['-h']).help).toBe(true);
  });

  it('reads every flag', () => {
    const options = parseServeArgs([
      '--port', '0', '--host', '0.0.0.0', '--token', 't0k', '--rpm', '2000', '--daily-neurons', '10000',
      '--long-text', 'truncate', '--result-shape', 'items', '--label-order', 'fixed', '--max-body-bytes', '2048',
      '--seed', '42', '--latency', '80-250ms', '--fail-rate', '0.02', '--capacity-burst-rate', '0.01',
      '--capacity-burst-length', '7', '--drop-rate', '0.01', '--malformed-rate', '0.01', '--truncate-rate=0.01', '--hang-rate', '0.001',
    ]);
    expect(options).toEqual({
      help: false,
      port: 0,
      host: '0.0.0.0',
      server: {
        token: 't0k', rpm: 2000, dailyNeurons: 10000, longText: 'truncate', resultShape: 'items', labelOrder: 'fixed',
        maxBodyBytes: 2048, seed: 42, latency: '80-250ms', failRate: 0.02, capacityBurstRate: 0.01, capacityBurstLength: 7,
        dropRate: 0.01, malformedRate: 0.01, truncateRate: 0.01, hangRate: 0.001,
      },
    });
  });

  it('says what was expected and what was given', () => {
    expect(configError(['--rpm', 'fast'])).toBe("--rpm expects a positive integer, got 'fast'");
    expect(configError(['--rpm', '0'])).toBe("--rpm expects a positive integer, got '0'");
    expect(configError(['--rpm', '1.5'])).toBe("--rpm expects a positive integer, got '1.5'");
    expect(configError(['--port', '70000'])).toBe("--port expects an integer from 0 to 65535, got '70000'");
    expect(configError(['--fail-rate', '1.5'])).toBe("--fail-rate expects a number between 0 and 1, got '1.5'");
    expect(configError(['--daily-neurons=-3'])).toBe("--daily-neurons expects a positive number, got '-3'");
    expect(configError(['--latency', 'slow'])).toBe("--latency expects 100ms, 80-250ms or 1.5s, got 'slow'");
    expect(configError(['--long-text', 'cut'])).toBe("--long-text expects reject or truncate, got 'cut'");
    expect(configError(['--token', ''])).toBe("--token expects a non-empty value, got ''");
    expect(configError(['--fail-rate', '0.6', '--hang-rate', '0.6'])).toMatch(/must be at most 1/);
    expect(configError(['--rmp', '3'])).toBe("unknown option '--rmp' for serve (did you mean --rpm?); see sentiment-batch serve --help");
    expect(configError(['--rpm', '-5'])).toBe("--rpm expects a positive integer, got '-5'");
  });

  it('names the likely value of a mistyped choice, as the other commands do (didYouMeanValue)', () => {
    expect(configError(['--long-text', 'truncated'])).toBe("--long-text expects reject or truncate, got 'truncated' (did you mean truncate?)");
    expect(configError(['--label-order', 'fixd'])).toBe("--label-order expects by-score or fixed, got 'fixd' (did you mean fixed?)");
    expect(configError(['--result-shape', 'item'])).toBe("--result-shape expects array or items, got 'item' (did you mean items?)");
    // startServer's own options, as a test or the SDK passes them.
    const scorer = new TestScorer();
    expect(() => resolveServerOptions({ scorer, labelOrder: 'by_score' as 'fixed' })).toThrow(
      "startServer: labelOrder expects 'by-score' or 'fixed', got 'by_score' (did you mean by-score?)",
    );
  });

  it('reads --faults FILE, with flags overriding the file', () => {
    const file = faultsFile(JSON.stringify({ seed: 9, failRate: 0.5, latency: '10ms', rules: [{ textIncludes: 'BADROW', respond: { status: 400, code: 5006 } }] }));
    const options = parseServeArgs(['--faults', file, '--fail-rate', '0.1']);
    expect(options.server).toEqual({ seed: 9, failRate: 0.1, latency: '10ms', rules: [{ textIncludes: 'BADROW', respond: { status: 400, code: 5006 } }] });
  });

  it('refuses a bad faults file with a message naming it', () => {
    const missing = path.join(dir, 'missing.json');
    expect(configError(['--faults', missing])).toBe(`--faults: cannot read '${missing}': no such file or directory (ENOENT): check the path`);
    // In the words every file the command reads gets (wording/unreadable-file.ts): a folder was told "(EISDIR: illegal
    // operation on a directory, read); check the path".
    expect(configError(['--faults', dir])).toBe(`--faults: cannot read '${dir}': it is a folder, not a file (EISDIR); give the path of a file`);
    expect(configError(['--faults', faultsFile('{ nope')])).toMatch(/is not valid JSON/);
    // A named pipe nothing writes to: refused at once (it was waited on for ever). For the old code, a writer comes
    // after 5 s and writes nothing, so that the test fails rather than hold this process for ever.
    const pipe = path.join(dir, 'faults-pipe.json');
    execFileSync('mkfifo', [pipe]);
    const rescuer = spawn('sh', ['-c', 'sleep 5; exec 3>"$0"', pipe], { stdio: 'ignore' });
    try {
      expect(configError(['--faults', pipe])).toBe(`--faults: cannot read '${pipe}': it is a named pipe, not a file, and nothing writes to it (reading it would wait for ever); give the path of a file, or start what writes to it first`);
    } finally {
      rescuer.kill('SIGKILL');
    }
    expect(configError(['--faults', faultsFile('{"failrate": 0.1}')])).toMatch(/unknown setting 'failrate' \(did you mean failRate\?\); expected one of /);
    expect(configError(['--faults', faultsFile('{"rules": [{"respond": {"status": 500}}]}')])).toMatch(/rules\[0\] needs textIncludes or textEquals/);
  });
});

describe('runServe', () => {
  function startServe(options: ServeCliOptions, signal?: AbortSignal) {
    const lines: string[] = [];
    let announce: (url: string) => void = () => {};
    const listening = new Promise<string>((resolve) => (announce = resolve));
    const done = runServe(options, new TestScorer(), (line) => {
      lines.push(line);
      const match = /CLOUDFLARE_BASE_URL=(\S+)/.exec(line);
      if (match?.[1]) announce(match[1]);
    }, signal);
    return { lines, listening, done };
  }

  it('prints the base URL, serves, and stops when asked', async () => {
    const stop = new AbortController();
    const serve = startServe(parseServeArgs(['--port', '0', '--rpm', '5']), stop.signal);
    const baseURL = await serve.listening;
    expect(baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
    const res = await request(`${baseURL}/accounts/a/ai/run/${MODEL_ID}`, { method: 'POST', body: '{"text":"good"}' });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    stop.abort();
    await serve.done;
    expect(serve.lines.at(-1)).toBe('Server closed after 1 requests (1 answered 200).');
    await expect(request(`${baseURL}/accounts/a/ai/run/${MODEL_ID}`, { method: 'POST', body: '{"text":"good"}' })).rejects.toThrow();
  });

  // --host 0.0.0.0 printed 'listening on http://127.0.0.1:PORT', as if it listened on loopback alone.
  it('--host 0.0.0.0: says it listens on all interfaces, and prints a URL that works from this machine', async () => {
    const stop = new AbortController();
    const serve = startServe(parseServeArgs(['--port', '0', '--host', '0.0.0.0']), stop.signal);
    const baseURL = await serve.listening;
    try {
      expect(serve.lines[0]).toMatch(/ listening on all interfaces \(--host 0\.0\.0\.0\), port (\d+): from this machine http:\/\/127\.0\.0\.1:\1$/);
      expect(serve.lines[1]).toMatch(/^Point clients at it: CLOUDFLARE_BASE_URL=http:\/\/127\.0\.0\.1:\d+\/client\/v4 \(from another machine or a container, with this machine's address in place of 127\.0\.0\.1\)$/);
      const res = await request(`${baseURL}/accounts/a/ai/run/${MODEL_ID}`, { method: 'POST', body: '{"text":"good"}' });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
    } finally {
      // Stopped whatever failed: a server left running would hold the SIGTERM handler the next test counts.
      stop.abort();
      await serve.done;
    }
  });

  it('shuts down cleanly on SIGTERM and removes its signal handlers', async () => {
    const before = process.listenerCount('SIGTERM');
    const serve = startServe(parseServeArgs(['--port', '0']));
    await serve.listening;
    expect(process.listenerCount('SIGTERM')).toBe(before + 1); // so the signal below reaches runServe, not the default handler
    process.kill(process.pid, 'SIGTERM');
    await serve.done;
    expect(serve.lines).toContain('SIGTERM: shutting down');
    expect(process.listenerCount('SIGTERM')).toBe(before);
    expect(process.listenerCount('SIGINT')).toBe(0);
  });

  it('prints the help without starting', async () => {
    const lines: string[] = [];
    await runServe(parseServeArgs(['--help']), new TestScorer(), (line) => lines.push(line));
    expect(lines).toEqual([serveHelp]);
  });
});

// serve --help said "without both the job scores with the embedded model instead": a new user who set only the token
// (the account id left for later) read that as the embedded model scoring, and met exit 2 instead. The help says what
// score does with one of the two, checked here against score itself.
describe('serve --help on the credentials', () => {
  it('says only one of the two is refused (exit 2), as score refuses it', async () => {
    const run = await runCli(['score', '-', '--format', 'csv', '-o', '-'], { env: { CLOUDFLARE_API_TOKEN: 'dev' }, input: 'text\nfine\n' });
    expect(run.code).toBe(2);
    const help = serveHelp.replace(/\s+/g, ' ');
    expect(help).not.toMatch(/without both the job scores with the embedded model/);
    expect(help).toMatch(/only one of them\b.*exit 2/);
    expect(help).toMatch(/neither.*embedded model/);
  });
});
