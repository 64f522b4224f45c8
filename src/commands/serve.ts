import { createEmbeddedScorer } from '../scoring/embedded.js';
import { parseServeArgs, runServe, serveHelp } from '../server/index.js';
import { loadTokenizer } from '../tokenizer/index.js';
import type { CommandIo } from './score.js';

/**
 * `serve`: the Workers AI-compatible local server, scoring with the embedded
 * model and counting tokens (for neurons and the 512-token window) with the
 * real DistilBERT tokenizer.
 */
export async function serveCommand(argv: string[], io: CommandIo): Promise<number> {
  const options = parseServeArgs(argv);
  if (options.help) {
    io.stdout.write(`${serveHelp}\n`);
    return 0;
  }
  const tokenizer = loadTokenizer();
  const scorer = createEmbeddedScorer();
  // runServe shuts the server down on the first signal itself; the process-wide handler must not exit first.
  const releaseSignals = io.onSignal(() => undefined);
  try {
    await runServe(
      { ...options, server: { ...options.server, countTokens: (text: string) => tokenizer.countTokens(text) } },
      scorer,
      (line) => io.stdout.write(`${line}\n`),
    );
  } finally {
    releaseSignals();
    await scorer.close();
  }
  return 0;
}
