import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

// Well over 512 DistilBERT tokens (about 1,200), and plainly positive.
const LONG = 'The staff were lovely and the breakfast was great. '.repeat(120).trim();
const CSV = `id,review\n1,Great little hotel.\n2,"${LONG}"\n3,Awful service.\n`;

/** The label and error cells of each data row. */
function outcomes(file: string): { label: string; error: string }[] {
  const rows = parse(readFileSync(file)) as string[][];
  return rows.slice(1).map((r) => ({ label: r[2] as string, error: r[6] as string }));
}

describe('--long-text with the embedded model: the same rows as with Workers AI', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  async function score(policy: string | undefined): Promise<{ code: number | null; stdout: string; rows: { label: string; error: string }[] }> {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, CSV);
    const output = path.join(dir, `out-${policy ?? 'default'}.csv`);
    const args = ['score', input, '--backend', 'embedded', '--text-column', 'review', '-o', output];
    if (policy) args.push('--long-text', policy);
    const result = await runCli(args);
    return { code: result.code, stdout: result.stdout, rows: outcomes(output) };
  }

  it('skips a text over 512 tokens under --long-text skip', async () => {
    const { code, rows } = await score('skip');
    expect(code).toBe(0);
    expect(rows[0]?.label).toBe('POSITIVE');
    expect(rows[1]).toEqual({ label: '', error: expect.stringMatching(/^text_too_long/) });
    expect(rows[2]?.label).toBe('NEGATIVE');
  });

  it('fails it under --long-text fail', async () => {
    const { rows, stdout } = await score('fail');
    expect(rows[1]).toEqual({ label: '', error: expect.stringMatching(/^text_too_long/) });
    expect(stdout).toMatch(/failed 1/);
    expect(rows[0]?.label).toBe('POSITIVE');
  });

  it('scores the whole text under the default (truncate): the local model has no window to cut to', async () => {
    const { code, rows } = await score(undefined);
    expect(code).toBe(0);
    expect(rows.map((r) => r.label)).toEqual(['POSITIVE', 'POSITIVE', 'NEGATIVE']);
    expect(rows.every((r) => r.error === '')).toBe(true);
  });
});
