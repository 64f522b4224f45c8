import { describe, expect, it } from 'vitest';
import { halfCredentials, refuseHalfCredentials } from '../src/config/credentials.js';
import { DEFAULTS, type JobSettings } from '../src/config/options.js';
import { ConfigError } from '../src/errors.js';
import { chooseBackend } from '../src/job/backend.js';

const settings = (over: Partial<JobSettings>): JobSettings => ({ ...DEFAULTS, input: 'in.csv', output: 'out.csv', ...over });

describe('half-set Cloudflare credentials under --backend auto', () => {
  it('names what is set, as it was set, and what is missing', () => {
    expect(halfCredentials(settings({ accountId: 'acct' }))).toBe(
      'only CLOUDFLARE_ACCOUNT_ID is set: Workers AI needs CLOUDFLARE_API_TOKEN too. Set it (or CLOUDFLARE_API_TOKEN_FILE), or pass --backend embedded to score offline on purpose',
    );
    expect(halfCredentials(settings({ apiToken: 'tok', apiTokenFrom: 'CLOUDFLARE_API_TOKEN' }))).toBe(
      'only CLOUDFLARE_API_TOKEN is set: Workers AI needs CLOUDFLARE_ACCOUNT_ID too. Set it (or --account-id), or pass --backend embedded to score offline on purpose',
    );
    expect(halfCredentials(settings({ apiToken: 'tok', apiTokenFrom: 'CLOUDFLARE_API_TOKEN_FILE' }))).toMatch(/^only CLOUDFLARE_API_TOKEN_FILE is set: Workers AI needs CLOUDFLARE_ACCOUNT_ID too/);
    expect(halfCredentials(settings({ accountId: 'acct', given: new Set(['accountId']) }))).toMatch(/^only --account-id is set: /);
    const jobFile = { path: 'jobs/nightly.json', keys: new Set(['accountId'] as const) };
    expect(halfCredentials(settings({ accountId: 'acct', given: new Set(['accountId']), jobFile }))).toMatch(/^only "accountId" in job file jobs\/nightly\.json is set: Workers AI needs CLOUDFLARE_API_TOKEN too/);
  });

  it('is no mistake with both, with neither, or with a backend chosen on purpose', () => {
    expect(halfCredentials(settings({}))).toBeUndefined();
    expect(halfCredentials(settings({ accountId: 'acct', apiToken: 'tok' }))).toBeUndefined();
    for (const backend of ['embedded', 'local'] as const) expect(halfCredentials(settings({ backend, accountId: 'acct' }))).toBeUndefined();
    expect(() => refuseHalfCredentials(settings({ backend: 'embedded', apiToken: 'tok' }))).not.toThrow();
    expect(() => refuseHalfCredentials(settings({ apiToken: 'tok' }))).toThrow(ConfigError);
  });

  it('chooseBackend: never the embedded model for half of them (estimate prices Workers AI and says why); the embedded one with none', () => {
    const half = chooseBackend(settings({ accountId: 'acct' }));
    expect(half).toMatchObject({ backend: 'workers-ai', halfConfigured: true });
    expect(half.why).toMatch(/^only CLOUDFLARE_ACCOUNT_ID is set: .*; score refuses to start until then$/);
    expect(chooseBackend(settings({}))).toEqual({ backend: 'embedded', why: 'no Cloudflare credentials are set', halfConfigured: false });
    expect(chooseBackend(settings({ accountId: 'a', apiToken: 't', apiTokenFrom: 'CLOUDFLARE_API_TOKEN_FILE' })).why).toBe('CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN_FILE are set');
    expect(chooseBackend(settings({ backend: 'embedded', accountId: 'acct' })).backend).toBe('embedded');
  });
});
