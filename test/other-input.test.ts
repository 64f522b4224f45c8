import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { refuseOtherInputsOutput } from '../src/job/other-input.js';
import type { Checkpoint, InputIdentity } from '../src/state/checkpoint.js';
import { useTempDir } from './support/e2e-dir.js';

const GZ: InputIdentity = { size: 120, mtimeMs: 1, headHash: 'a', tailHash: 'b' };
const PLAIN: InputIdentity = { size: 300, mtimeMs: 2, headHash: 'c', tailHash: 'd' };
// `true`: the checkpoint is of this input's file or bytes (job/same-input.ts decides; here given).

/**
 * The default output x.scored.csv that x.csv and x.csv.gz share: a checkpoint there naming the other input is refused
 * while that input is there (the CLI: test/e2e-replace-refusals.test.ts); the cases that are one job go on.
 */
describe('a checkpoint at the default output naming another input', () => {
  const { file, path: at } = useTempDir();
  const checkpointOf = (input: string, identity: InputIdentity, completed = true, requests = 0) => ({ input: { path: input, identity }, completed, totals: { requests } }) as unknown as Checkpoint;
  const run = (cache = false) => ({ input: 'x.csv', outputPath: at('x.scored.csv'), checkpointPath: at('x.scored.csv.checkpoint.json'), outputSetting: '-o', cache });

  it('is refused while that input is beside the output, completed or not', () => {
    file('x.csv.gz', 'gz');
    expect(() => refuseOtherInputsOutput(checkpointOf('x.csv.gz', GZ), false, run())).toThrow(/is the output of another input, x\.csv\.gz \(.*that job is completed\): scoring x\.csv there would replace it/);
    expect(() => refuseOtherInputsOutput(checkpointOf('x.csv.gz', GZ, false), false, run())).toThrow(/that job is not finished/);
    // The default output named as derived from the input as given (x.scored.csv beside x.csv), with its checkpoint: they
    // were the absolute paths, where the summary says `Done: x.scored.csv`.
    const typed = path.relative(process.cwd(), at('x.scored.csv'));
    expect(() => refuseOtherInputsOutput(checkpointOf('x.csv.gz', GZ), false, { ...run(), typedOutput: typed })).toThrow(
      `the default output ${typed} is the output of another input, x.csv.gz (its checkpoint ${typed}.checkpoint.json says so; that job is completed)`,
    );
  });

  // --restart drops an unfinished job's paid answers (its journal, <output>.answers): the line offered it beside -o as
  // if the two cost the same, where -o keeps them for that job.
  it('an unfinished job that paid for requests: -o keeps them, --restart drops them (not with --cache, nor a job that paid nothing)', () => {
    file('x.csv.gz', 'gz');
    const choice = (checkpoint: Checkpoint, cache = false) => {
      try {
        refuseOtherInputsOutput(checkpoint, false, run(cache));
      } catch (error) {
        return (error as Error).message.replace(/^.*would replace it\. /, '');
      }
      return 'not refused';
    };
    expect(choice(checkpointOf('x.csv.gz', GZ, false, 1200))).toBe(
      "Name this run's output with -o, which keeps the 1,200 requests that job paid for, or run with --restart to replace it on purpose and drop them (a text among them is sent again)",
    );
    expect(choice(checkpointOf('x.csv.gz', GZ, false, 1))).toMatch(/which keeps the 1 request that job paid for/);
    const plain = "Name this run's output with -o, or run with --restart to replace it on purpose";
    expect(choice(checkpointOf('x.csv.gz', GZ, false, 1200), true)).toBe(plain);
    expect(choice(checkpointOf('x.csv.gz', GZ, false, 0))).toBe(plain);
    expect(choice(checkpointOf('x.csv.gz', GZ, true, 1200))).toBe(plain);
  });

  it('goes on for the same name (a new export), the same bytes under another name, and an input no longer there (gzip x.csv)', () => {
    file('x.csv.gz', 'gz');
    expect(() => refuseOtherInputsOutput(checkpointOf('/elsewhere/x.csv', GZ), false, run())).not.toThrow();
    expect(() => refuseOtherInputsOutput(checkpointOf('x.csv.gz', PLAIN), true, run())).not.toThrow();
    expect(() => refuseOtherInputsOutput(checkpointOf('x.tsv', GZ), false, run())).not.toThrow();
  });

  it('an input no longer there whose checkpoint records the bytes it read: refused when this input is not those bytes', () => {
    const withConsumed = { ...checkpointOf('x.tsv', GZ), consumed: [{ end: 12, sha256: 'e'.repeat(64) }] } as Checkpoint;
    expect(() => refuseOtherInputsOutput(withConsumed, false, run())).toThrow(/another input, x\.tsv \(.*\), no longer beside it, and x\.csv is not the bytes that job read: scoring x\.csv there/);
    expect(() => refuseOtherInputsOutput(withConsumed, true, run())).not.toThrow();
  });
});
