// A plain http:// base URL to another machine sent the API token unencrypted with every request, with no word: the run
// warns once at start-up (job/backend.ts), unless the host is this machine or the token is a stand-in's (< 16 characters).
import { describe, expect, it } from 'vitest';
import { plainHttpWarning } from '../src/scoring/base-url.js';

const REAL = 'Zq8Xv3Lm9Np2Rt7Wy4Kc6Hb1Jd5Fg0AeX9kLm2P'; // 40 characters, as Cloudflare's

describe('the warning for a plain http:// base URL', () => {
  it('is given for another machine, naming the origin and never the token', () => {
    for (const url of ['http://serve:8787/client/v4', 'http://10.0.0.5:8787/client/v4', 'http://gateway.corp.example/client/v4', 'http://[fd00::5]:8787', 'http://127.0.0.1.nip.io/x']) {
      const warning = plainHttpWarning(url, REAL);
      expect(warning, url).toBe(`the base URL ${new URL(url).origin} is plain http:// to a host other than localhost: the API token crosses the network unencrypted with every request; use https://`);
      expect(warning).not.toContain(REAL);
    }
  });

  it('is not given for https://, this machine, the default URL, or a stand-in token shorter than 16 characters', () => {
    for (const url of ['https://api.cloudflare.com/client/v4', 'https://10.0.0.5/x', 'http://127.0.0.1:8787/client/v4', 'http://127.3.4.5:8787', 'http://localhost:8787/client/v4', 'http://LOCALHOST:8787', 'http://[::1]:8787/client/v4']) {
      expect(plainHttpWarning(url, REAL), url).toBeUndefined();
    }
    expect(plainHttpWarning(undefined, REAL)).toBeUndefined();
    expect(plainHttpWarning('http://workers-ai:8787/client/v4', 'local')).toBeUndefined();
    expect(plainHttpWarning('http://serve:8787/client/v4', 'fifteen-chars-x')).toBeUndefined();
    expect(plainHttpWarning('http://serve:8787/client/v4', 'sixteen-chars-xx')).toBeDefined();
  });
});
