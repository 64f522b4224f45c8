// serve's token: compared in constant time on every route it guards (the model endpoint compared it with `!==`, whose
// time tells how many leading bytes of a guess were right), and read from --token-file or SENTIMENT_BATCH_SERVE_TOKEN
// as well as --token (visible to `ps` on the machine, and kept in the shell's history).
import * as crypto from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { MODEL_ID } from '../src/server/index.js';
import { parseServeArgs } from '../src/server/serve-command.js';
import { tempDir } from './support/cli.js';
import { useTestServer } from './support/server.js';

// Every timingSafeEqual the server makes goes through this spy (the real one still answers).
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof crypto>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

const { start } = useTestServer();
const SERVE_TOKEN_VARIABLE = 'SENTIMENT_BATCH_SERVE_TOKEN';

describe('the model endpoint with a token', () => {
  it('compares the Authorization header in constant time (timingSafeEqual), right and wrong alike', async () => {
    const s = await start({ token: 'secret-token' });
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    const post = async (authorization: string): Promise<number> => {
      const res = await request(`${s.baseURL}/accounts/acc/ai/run/${MODEL_ID}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: '{"text":"good"}' });
      await res.body.dump();
      return res.statusCode;
    };
    expect(await post('Bearer secret-tokeX')).toBe(401);
    expect(await post('Bearer s')).toBe(401);
    expect(await post('Bearer secret-token')).toBe(200);
    expect(spy).toHaveBeenCalledTimes(3);
  });
});

describe('where serve reads its token', () => {
  const { dir, cleanup } = tempDir('sb-serve-token-');
  afterEach(() => {
    delete process.env[SERVE_TOKEN_VARIABLE];
  });
  afterAll(cleanup);
  it('--token, as before', () => {
    expect(parseServeArgs(['--token', 't0k'], {}).server.token).toBe('t0k');
  });
  it('--token-file: the file\'s text, its last line break dropped', () => {
    const file = path.join(dir, 'token');
    writeFileSync(file, 'from-a-file\n');
    expect(parseServeArgs(['--token-file', file], {}).server.token).toBe('from-a-file');
    writeFileSync(file, '\n');
    expect(() => parseServeArgs(['--token-file', file], {})).toThrow(`--token-file: '${file}' is empty`);
    expect(() => parseServeArgs(['--token-file', path.join(dir, 'none')], {})).toThrow(/--token-file: cannot read '.*none'/);
  });
  it('SENTIMENT_BATCH_SERVE_TOKEN, removed from the environment once read', () => {
    process.env[SERVE_TOKEN_VARIABLE] = 'from-the-environment';
    expect(parseServeArgs([]).server.token).toBe('from-the-environment');
    expect(process.env[SERVE_TOKEN_VARIABLE]).toBeUndefined();
    expect(() => parseServeArgs([], { [SERVE_TOKEN_VARIABLE]: '  ' })).toThrow(`${SERVE_TOKEN_VARIABLE} is set to only white space`);
  });
  it('two of them at once are refused, naming both', () => {
    const file = path.join(dir, 'token2');
    writeFileSync(file, 'x');
    expect(() => parseServeArgs(['--token', 'a', '--token-file', file], {})).toThrow('the token is given twice (--token and --token-file)');
    expect(() => parseServeArgs(['--token', 'a'], { [SERVE_TOKEN_VARIABLE]: 'b' })).toThrow(`the token is given twice (--token and ${SERVE_TOKEN_VARIABLE})`);
  });
});
