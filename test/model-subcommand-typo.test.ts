import { describe, expect, it } from 'vitest';
import { modelCommand } from '../src/commands/model.js';
import { ConfigError } from '../src/errors.js';
import { runCli } from './support/cli.js';

// `model pul` said "unknown model command 'pul'; expected pull or list" without the did-you-mean a misspelt
// command (`scroe`), flag or job-file key gets.
const io = () => ({ stdout: process.stdout, stderr: process.stderr, env: {} as NodeJS.ProcessEnv, onSignal: () => () => undefined });

describe("model's own commands, misspelt", () => {
  it.each([
    ['pul', 'pull'],
    ['pulll', 'pull'],
    ['lst', 'list'],
    ['lis', 'list'],
  ])("'model %s' suggests %s", async (typed, near) => {
    await expect(modelCommand([typed], io())).rejects.toThrow(
      new ConfigError(`unknown model command '${typed}' (did you mean ${near}?); expected pull or list (see 'sentiment-batch model --help')`),
    );
  });

  it('a word near neither gets no guess', async () => {
    await expect(modelCommand(['download'], io())).rejects.toThrow(new ConfigError("unknown model command 'download'; expected pull or list (see 'sentiment-batch model --help')"));
  });

  it('the command is named before its flags are read: the first mistake first', async () => {
    await expect(modelCommand(['pul', '--revison', 'main'], io())).rejects.toThrow(/^unknown model command 'pul' \(did you mean pull\?\)/);
  });

  it('from the command line: one line, exit 2', async () => {
    const result = await runCli(['model', 'pul']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("sentiment-batch: unknown model command 'pul' (did you mean pull?); expected pull or list (see 'sentiment-batch model --help')\n");
  });
});
