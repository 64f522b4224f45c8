import { realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { onOwnMount } from '../src/wording/mounted-file.js';
import { readAccessRemedy } from '../src/wording/not-readable.js';

// Whatever machine runs the tests, it is taken for a container: the advice for one is what is checked.
vi.mock('../src/wording/in-container.js', async (original) => ({ ...(await original<typeof import('../src/wording/in-container.js')>()), inContainer: () => true }));

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

describe('the host advice needs a file on a mount of its own', () => {
  const mountinfo = [
    '600 500 0:50 / / rw,relatime - overlay overlay rw,lowerdir=/l,upperdir=/u',
    '601 600 0:51 / /tmp rw,nosuid - tmpfs tmpfs rw',
    '602 600 8:1 /srv/exports /data/in ro,relatime - ext4 /dev/sda1 rw',
    '603 600 8:1 /home/me/token /run/secrets/cf\\040token ro - ext4 /dev/sda1 rw',
  ].join('\n');

  it('a bind mount (a folder or a single file) is; the root filesystem and a tmpfs are not', () => {
    expect(onOwnMount('/data/in/reviews.csv', mountinfo)).toBe(true);
    expect(onOwnMount('/run/secrets/cf token', mountinfo)).toBe(true);
    expect(onOwnMount('/work/reviews.csv', mountinfo)).toBe(false);
    expect(onOwnMount('/tmp/reviews.csv', mountinfo)).toBe(false);
    expect(onOwnMount('/data/input.csv', mountinfo)).toBe(false);
    // /proc unreadable: the advice as it was.
    expect(onOwnMount('/work/reviews.csv', null)).toBe(true);
  });

  // A Kubernetes Secret or ConfigMap volume (jobs/kubernetes/cronjob.yaml's token, its job file) is a tmpfs the kubelet
  // fills and mounts read-only: not made in the container, and chmod there is refused (a read-only filesystem).
  it('a tmpfs mounted read-only (a Secret, a ConfigMap) is', () => {
    const kubelet = [
      '1404 1380 0:233 / / rw,relatime - overlay overlay rw,lowerdir=/l,upperdir=/u',
      '1422 1404 0:236 / /var/run/secrets/sentiment-batch ro,relatime - tmpfs tmpfs rw,size=524288k',
      '1423 1404 0:237 / /tmp rw,relatime - tmpfs tmpfs rw',
    ].join('\n');
    expect(onOwnMount('/var/run/secrets/sentiment-batch/api-token', kubelet)).toBe(true);
    expect(onOwnMount('/tmp/reviews.csv', kubelet)).toBe(false);
  });

  // A container that is not the image (a devcontainer, a CI job) whose user is uid 1000: a file made inside it by
  // root, mode 0600, was told "on the host, chmod a+r the file mounted at /tmp/…" (setpriv --reuid 1000 on this
  // machine, which has /.dockerenv), though no mount holds it and nothing on the host is to change.
  it('as uid 1000 in a container, a file on no mount of its own gets chmod, not the host', () => {
    const uid = vi.spyOn(process, 'getuid').mockReturnValue(1000);
    try {
      const file = path.join(realpathSync(os.tmpdir()), 'review61-no-mount.csv');
      const place = onOwnMount(file) ? 'a mount' : 'no mount';
      expect(place).toBe('no mount');
      expect(readAccessRemedy(file, 'that user')).toBe(`give that user read access to it (chmod a+r ${file})`);
    } finally {
      uid.mockRestore();
    }
  });
});
