import { describe, expect, it } from 'vitest';
import { tempCopyAdvice } from '../src/job/stdin.js';

describe("the advice for a temp folder that cannot hold standard input's copy", () => {
  // `docker run --read-only … score - -o -` said "mount it writable or write elsewhere (TMPDIR)": a container's /tmp is
  // mounted writable with --tmpfs /tmp (docs/container.md), which the line did not name.
  it('in a container, names --tmpfs /tmp and the Kubernetes emptyDir', () => {
    expect(tempCopyAdvice('estimate then writes nothing', true).again).toBe(
      "then run the same command again, or name the input's file instead of - (estimate then writes nothing); " +
        'in a container with a read-only root filesystem, give it a writable /tmp: docker run --tmpfs /tmp (Kubernetes: an emptyDir volume at /tmp)',
    );
  });

  it('outside a container, says nothing of one', () => {
    expect(tempCopyAdvice('estimate then writes nothing', false).again).toBe("then run the same command again, or name the input's file instead of - (estimate then writes nothing)");
  });
});
