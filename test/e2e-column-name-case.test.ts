import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

// A column is found by its name as written (or the same name in another Unicode form), never by a name that differs
// in case: exports hold "Title" beside "title" or "Text" beside "text" for different things, and the run must not
// pick one for the user. It stops before any work and names the column it may have meant.
describe('--text-column and a header name that differs only in case (built CLI, embedded model)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('sb-column-case-')));
  afterEach(() => cleanup());

  it("--text-column review against a header 'Review': exit 2, the name suggested, no output", async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'Review,id\ngood film,1\nbad film,2\n');
    const output = path.join(dir, 'out.csv');
    const r = await runCli(['score', input, '--text-column', 'review', '-o', output]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("sentiment-batch: --text-column 'review' is not in the header; the columns are: 'Review', 'id' (did you mean 'Review'?)\n");
    expect(existsSync(output)).toBe(false);
  });

  it("the default text column 'text' against a header 'Text': exit 2 too", async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'Text,id\ngood film,1\nbad film,2\n');
    const r = await runCli(['score', input, '-o', path.join(dir, 'out.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the text column 'text' (the default; name yours with --text-column) is not in the header; the columns are: 'Text', 'id' (did you mean 'Text'?)");
  });
});
