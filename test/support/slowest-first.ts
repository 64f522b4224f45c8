import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The end-to-end files that took longest (per-file durations of full runs on the 2-core machine,
 * longest first; e2e-resume moved down when it went from 1,000 rows to 500). A fresh clone has no timings cached, so vitest would order them by file size and
 * some of the longest would start last and end the run alone; these start first.
 */
const SLOWEST = ['e2e-paid-answers', 'e2e-mend', 'e2e-crash-points', 'e2e-checkpoint-proof', 'e2e-lock', 'e2e-cost', 'e2e-job-paths', 'e2e-resume', 'e2e-text-limit', 'e2e-local'];

function rank(spec: TestSpecification): number {
  const index = SLOWEST.findIndex((name) => spec.moduleId.endsWith(`/test/${name}.test.ts`));
  return index < 0 ? SLOWEST.length : index;
}

/** vitest's own order (isolated files first, then cached durations or size), with the files above moved to the front. */
export class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return sorted
      .map((spec, position) => ({ spec, position }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.position - b.position)
      .map(({ spec }) => spec);
  }
}
