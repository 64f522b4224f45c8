import type { JobSettings } from '../config/options.js';
import type { Logger } from '../log.js';
import type { RequestLimiter } from '../scoring/limiter.js';
import type { Scorer } from '../scoring/scorer.js';
import { createLimiter } from './create-limiter.js';
import { openRunInput, type RunInput } from './run-input.js';
import { setupStep, stopInSetup } from './setup-stop.js';
import type { StopController } from './stop.js';

/** What a run opens before it decides how to start: the input, the model and the request limiter. */
export interface RunParts extends RunInput {
  scorer: Scorer;
  /** Remote scorers only. */
  limiter: RequestLimiter | undefined;
}

/**
 * Opens the input, then the scorer and its limiter; a stop or an error while the model loads releases what was opened
 * before it is thrown. The caller closes the parts once the run ends.
 */
export async function openRunParts(
  settings: JobSettings,
  inputPath: string,
  options: {
    log: Logger;
    stop: StopController;
    resumable: boolean;
    checkpointPath: string;
    /** The output file, undefined for `-o -`. */
    output: string | undefined;
    createScorer: (settings: JobSettings, log: Logger) => Scorer | Promise<Scorer>;
  },
): Promise<RunParts> {
  const { log, stop, resumable, checkpointPath, output } = options;
  const { source, identity, fileId, match, consumed } = await openRunInput(settings, inputPath, { log, stop, resumable, checkpointPath });
  const scorer = await options.createScorer(settings, log);
  stop.paidRequests = scorer.remote;
  let limiter: RequestLimiter | undefined;
  try {
    // A signal while the model loaded, or the tokenizer and cache below: stopped there, nothing written.
    stopInSetup(stop, output);
    limiter = scorer.remote ? await setupStep(stop, (abort) => createLimiter(settings, log, abort)) : undefined;
  } catch (error) {
    await source.release();
    await scorer.close();
    throw error;
  }
  return { source, identity, fileId, match, consumed, scorer, limiter };
}
