import { describe, expect, it } from 'vitest';
import { ConfigError, ExitCode } from '../src/errors.js';
import { startServer } from '../src/server/index.js';
import { TestScorer } from './support/test-scorer.js';

describe('serve --host', () => {
  it('a host name that does not resolve is a usage error naming it, not an internal error', async () => {
    const refused = await startServer({ scorer: new TestScorer(), host: 'nosuchhost.invalid', port: 0 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).exitCode).toBe(ExitCode.Usage);
    expect((refused as Error).message).toMatch(/^--host nosuchhost\.invalid cannot be resolved to an address \((ENOTFOUND|EAI_AGAIN|EAI_FAIL)\)/);
  });
});
