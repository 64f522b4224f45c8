import { describe, expect, it } from 'vitest';
import { readAccessRemedy } from '../src/wording/not-readable.js';

describe('what to do about a file this user may not read', () => {
  // In the image (uid 1000, /.dockerenv) an export written by root, mode 0600, said "chmod a+r /data/in/reviews.csv":
  // the container's path, which the container's user cannot change; the fix is on the host, as a folder's is.
  it('in the container as its user: on the host, for the file mounted there', () => {
    expect(readAccessRemedy('/data/in/reviews.csv', 'that user', true)).toBe(
      'give that user read access to it: on the host, chmod a+r the file mounted at /data/in/reviews.csv, or chown 1000 it',
    );
  });

  it('elsewhere: chmod a+r the file', () => {
    expect(readAccessRemedy('/srv/in/reviews.csv', 'that user', false)).toBe('give that user read access to it (chmod a+r /srv/in/reviews.csv)');
  });
});
