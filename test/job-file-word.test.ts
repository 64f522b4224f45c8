import { describe, expect, it } from 'vitest';
import { jobFileWord } from '../src/config/job-file-word.js';

describe('the job file named by raw arguments that could not be parsed', () => {
  it('skips the values of flags that take one, wherever they stand', () => {
    // It took r.json, the report's path, for the job file: its "summaryJson" (none) left last night's summary.
    expect(jobFileWord(['--report', 'r.json', 'job.json', '--rmp', '5'])).toBe('job.json');
    expect(jobFileWord(['--summary-json', 's.json', '-o', 'o.json', 'jobs/nightly.JSON'])).toBe('jobs/nightly.JSON');
    expect(jobFileWord(['--report=r.json', 'job.json'])).toBe('job.json');
  });

  it('an unknown flag\'s value is not a job file unless it ends .json; none, or only after --', () => {
    expect(jobFileWord(['--rmp', '5', 'job.json'])).toBe('job.json');
    expect(jobFileWord(['reviews.csv', '--rmp', '5'])).toBeUndefined();
    expect(jobFileWord(['--', '-odd.json'])).toBe('-odd.json');
  });
});
