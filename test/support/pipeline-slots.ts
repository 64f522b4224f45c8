import type { PipelineOptions } from '../../src/job/pipeline.js';

/**
 * The runPipeline options a test of what is written or thrown does not look at: writing from the start, a window of
 * 16, no checkpoint due within the test, a 200 ms grace. A test spreads these first and gives after them the ones it
 * does look at (`window: 32`). The position is a new object each call: runPipeline advances it in place.
 */
export function quietPipelineSlots(): Pick<PipelineOptions, 'position' | 'window' | 'checkpointIntervalMs' | 'checkpoint' | 'graceMs'> {
  return {
    position: { inputOffset: 0, outputBytes: 0, nextIndex: 0 },
    window: 16,
    checkpointIntervalMs: 60_000,
    checkpoint: async () => undefined,
    graceMs: 200,
  };
}
