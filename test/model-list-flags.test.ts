import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modelCommand } from '../src/commands/model.js';
import { ConfigError } from '../src/errors.js';
import { runCli } from './support/cli.js';

// `model list --repo x/y --revision v1 --model-dir DIR` listed the whole Hub cache, exit 0: pull's options were
// parsed for list too and dropped unread, so whoever meant to list one repo or a folder was told nothing of it.
const cache = mkdtempSync(path.join(tmpdir(), 'model-list-flags-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));
const io = () => ({ stdout: process.stdout, stderr: process.stderr, env: { HF_HUB_CACHE: cache } as NodeJS.ProcessEnv, onSignal: () => () => undefined });

describe('model list refuses the options of model pull', () => {
  it.each([
    [['--repo', 'x/y'], '--repo'],
    [['--revision', 'v1'], '--revision'],
    [['--model-dir', cache], '--model-dir'],
    [['--repo=x/y', '--model-dir', cache], '--repo, --model-dir'],
  ])('model list %j: exit 2 naming %s', async (flags, named) => {
    await expect(modelCommand(['list', ...flags], io())).rejects.toThrow(
      new ConfigError(`${named}: ${named.includes(',') ? 'options' : 'an option'} of model pull that model list does not take (it lists every model in the Hub cache, ${cache}); see sentiment-batch model --help`),
    );
  });

  it('an unknown one gets the did-you-mean of the other commands; pull still takes its own', async () => {
    await expect(modelCommand(['list', '--helpp'], io())).rejects.toThrow(/^unknown option '--helpp' for model list \(did you mean --help\?\); see sentiment-batch model list --help$/);
    await expect(modelCommand(['pull', '--revison', 'main'], io())).rejects.toThrow(/^unknown option '--revison' for model pull \(did you mean --revision\?\); see sentiment-batch model pull --help$/);
  });

  it('from the command line: one line, exit 2', async () => {
    const result = await runCli(['model', 'list', '--revision', 'v1'], { env: { HF_HUB_CACHE: cache } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`sentiment-batch: --revision: an option of model pull that model list does not take (it lists every model in the Hub cache, ${cache}); see sentiment-batch model --help\n`);
  });
});
