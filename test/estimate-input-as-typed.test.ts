import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

// `estimate missing.csv` named '/the/working/folder/missing.csv', where score and report name the path as typed.
describe('estimate names the input as it was typed', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('a missing input, as score says it', async () => {
    const line = "sentiment-batch: cannot open input file 'missing.csv': no such file or directory (ENOENT): check the path\n";
    const score = await runCli(['score', 'missing.csv'], { cwd: dir });
    expect(score.stderr).toBe(line);
    const estimate = await runCli(['estimate', 'missing.csv'], { cwd: dir });
    expect(estimate.stderr).toBe(line);
    expect(estimate.code).toBe(3);
  });
});
