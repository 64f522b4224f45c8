import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRunContext } from '../src/report/run-info.js';
import { tempDir } from './support/cli.js';

async function refusal(file: string, summary: string): Promise<string> {
  try {
    await findRunContext(file, summary);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`--summary ${summary} was accepted`);
}

// `report out.csv --summary PATH` said "cannot read it as a summary JSON written by --summary-json" of a path that
// does not exist, of a file that is not JSON, and of the summary --summary-json wrote for a run that failed before
// it scored (exit 2 or 3: status, exitCode and message, no figures): nothing said which, or what to give instead.
describe('report --summary: what is wrong with the file given', () => {
  let dir: string;
  let cleanup: () => void;
  let scored: string;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    scored = path.join(dir, 'out.csv');
    writeFileSync(scored, 'id,text,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n1,good,POSITIVE,0.9,0.1,,\n');
  });
  afterAll(() => cleanup());

  it('a path with nothing there, or a folder', async () => {
    const missing = path.join(dir, 'nope.json');
    expect(await refusal(scored, missing)).toBe(`--summary ${missing}: cannot read it: no such file or directory (ENOENT): check the path`);
    const folder = path.join(dir, 'sums');
    mkdirSync(folder);
    expect(await refusal(scored, folder)).toBe(`--summary ${folder} is a folder, not a file: give the file --summary-json wrote`);
  });

  it('a file that is not JSON', async () => {
    const notes = path.join(dir, 'notes.txt');
    writeFileSync(notes, 'not json\n');
    expect(await refusal(scored, notes)).toBe(`--summary ${notes} is not JSON: give the file a run wrote with --summary-json`);
  });

  it('the summary of a run that stopped before it scored', async () => {
    const failed = path.join(dir, 'failed.json');
    writeFileSync(failed, JSON.stringify({ status: 'failed', exitCode: 3, message: 'input is empty', input: 'in.csv', finishedAt: '2026-12-04T00:00:00.000Z' }));
    expect(await refusal(scored, failed)).toBe(
      `--summary ${failed} is the summary of a run that ended before it scored (status failed, exit 3): it holds no figures; give the --summary-json of the run that wrote ${scored} (or no --summary)`,
    );
  });

  it('JSON that is no summary', async () => {
    const other = path.join(dir, 'package.json');
    writeFileSync(other, JSON.stringify({ name: 'x' }));
    expect(await refusal(scored, other)).toBe(
      `--summary ${other} is not a summary written by --summary-json (it has no "output", "model" and "totals"): give the --summary-json of the run that wrote ${scored} (or no --summary)`,
    );
  });
});
