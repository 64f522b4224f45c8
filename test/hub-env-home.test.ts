// Where the Hub cache is when HOME is set empty (`env HOME= …`, a service unit's `Environment=HOME=`): os.homedir()
// gives '' then, and the cache was `.cache/huggingface/hub` in the working folder, so a model pulled from one folder
// was 'no local model in the Hub cache /srv/jobs/.cache/huggingface/hub' from another.
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readHubEnv } from '../src/hub/hub-env.js';

const userCache = () => path.join(os.userInfo().homedir, '.cache', 'huggingface', 'hub');

describe('the Hub cache with an empty or odd home', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('HOME set empty: the user\'s home from the system, not the working folder', () => {
    vi.stubEnv('HOME', '');
    expect(readHubEnv({}).cacheDir).toBe(userCache());
  });

  it('a relative XDG_CACHE_HOME is ignored, as the XDG spec says, not resolved against the working folder', () => {
    vi.stubEnv('HOME', os.userInfo().homedir);
    expect(readHubEnv({ XDG_CACHE_HOME: 'cache' }).cacheDir).toBe(userCache());
    expect(readHubEnv({ XDG_CACHE_HOME: '/var/cache/jobs' }).cacheDir).toBe('/var/cache/jobs/huggingface/hub');
  });
});
