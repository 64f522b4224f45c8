import { cpSync, utimesSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inputIdentity } from '../src/io/open-input.js';
import { refuseJobFileTarget } from '../src/report/report-target.js';
import { useTempDir } from './support/e2e-dir.js';

const LATER = new Date('2027-01-02T03:04:05Z');
/** Over 128 KiB: its head and tail are hashed apart from its middle. */
const EXPORT = `id,review\n${Array.from({ length: 4000 }, (_, i) => `${i},review number ${i} of the export\n`).join('')}`;

/**
 * `report -o` must not overwrite the job's input wherever it is: a file with the size and modification time the
 * checkpoint recorded was refused, but a copy made without its file times (cp -r, a download), which the job itself
 * now continues from (job/same-input.ts), was overwritten. The size and the first and last 64 KiB tell it too.
 */
describe('report -o on a copy of the input made without its file times', () => {
  const dir = useTempDir();

  it('is refused as the input, and a file of the same size with other bytes at its ends is not', async () => {
    const input = dir.file('in.csv', EXPORT);
    const identity = await inputIdentity(input);
    const copy = dir.path('copy.csv');
    cpSync(input, copy);
    utimesSync(copy, LATER, LATER);
    const job = { inputs: ['/elsewhere/in.csv'], inputIdentity: identity };
    expect(() => refuseJobFileTarget(copy, dir.path('out.csv'), job)).toThrow(/^-o .*copy\.csv would overwrite the input \/elsewhere\/in\.csv of the run that wrote .*out\.csv; choose another path$/);
    const other = dir.file('other.csv', EXPORT.replace('review number 3999', 'review number 9993'));
    utimesSync(other, LATER, LATER);
    expect(() => refuseJobFileTarget(other, dir.path('out.csv'), job)).not.toThrow();
    const otherHead = dir.file('other-head.csv', EXPORT.replace('review number 1 ', 'review number 9 '));
    expect(() => refuseJobFileTarget(otherHead, dir.path('out.csv'), job)).not.toThrow();
  });
});
