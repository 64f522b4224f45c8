import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyMountWhy } from '../src/io/empty-mount-input.js';
import { notWritableBy } from '../src/wording/not-writable.js';

// A container started without its data volume (no -v for /data: docker makes an empty volume there, the image's
// empty in/, out/ and cache/ in it), or with -v naming a host folder that does not exist (docker makes it, empty): the
// export is not found, and the line said 'no such file or directory (ENOENT): check the path', of a path the job file
// has right. Found running the image as an operator would, a typo in the -v host path.
describe('an input missing from a mount that holds no file at all', () => {
  let data: string;
  const enoent = Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  const mountinfo = (point: string) => `1 0 8:1 / / rw - overlay overlay rw\n102 1 254:0 /var/lib/docker/volumes/x/_data ${point} rw,relatime - ext4 /dev/vda rw\n`;
  beforeEach(() => {
    data = mkdtempSync(path.join(tmpdir(), 'sb-empty-mount-'));
  });
  afterEach(() => rmSync(data, { recursive: true, force: true }));

  it('says the mount holds no file and to check the -v, in a container', () => {
    for (const folder of ['in', 'out', 'cache']) mkdirSync(path.join(data, folder));
    const input = path.join(data, 'in', 'reviews.csv');
    expect(emptyMountWhy(input, enoent, { container: true, mountinfo: mountinfo(data) })).toBe(
      `no such file or directory (ENOENT): the volume mounted at ${data} holds no file at all, so the right folder is likely not mounted there: ` +
        `check the docker run's -v (or --mount) for ${data}: with none, docker makes an empty volume there, and a host folder ` +
        'that does not exist it makes, empty (give the full path of the folder that holds the export)',
    );
  });

  it('says nothing of a mount that holds a file, outside a container, or off any mount of its own', () => {
    writeFileSync(path.join(data, 'other.csv'), 'x');
    const input = path.join(data, 'reviews.csv');
    expect(emptyMountWhy(input, enoent, { container: true, mountinfo: mountinfo(data) })).toBeUndefined();
    rmSync(path.join(data, 'other.csv'));
    expect(emptyMountWhy(input, enoent, { container: false, mountinfo: mountinfo(data) })).toBeUndefined();
    expect(emptyMountWhy(input, enoent, { container: true, mountinfo: mountinfo('/elsewhere') })).toBeUndefined();
    expect(emptyMountWhy(input, Object.assign(new Error('EACCES'), { code: 'EACCES' }), { container: true, mountinfo: mountinfo(data) })).toBeUndefined();
  });
});

// The same mistake as root's empty host folder (docker makes the missing host path as root): the line said to chown the
// folder mounted there, which an operator did, to the wrong folder, and then found no export in it.
describe('a folder not writable by the image user on a mount that holds no file at all', () => {
  let data: string;
  beforeEach(() => {
    data = mkdtempSync(path.join(tmpdir(), 'sb-empty-mount-'));
  });
  afterEach(() => rmSync(data, { recursive: true, force: true }));

  it('says first that docker may have made it, empty, from a host path that does not exist', () => {
    const mountinfo = `1 0 8:1 / / rw - overlay overlay rw\n102 1 254:0 /srv/dta ${data} rw,relatime - ext4 /dev/vda rw\n`;
    expect(notWritableBy(data, '"summaryJson" in the job file', 1000, { container: true, mountinfo })).toBe(
      `is not writable by uid 1000, the user this container runs as (node; docs/container.md), and holds no file at all: if the -v for ${data} names a host ` +
        'folder that does not exist, docker made it, empty and root\'s: check that path first. Else on the host, chown -R 1000:1000 the folder mounted there, ' +
        'or run the container as the folder\'s owner (--user "$(id -u):$(id -g)"), or write elsewhere ("summaryJson" in the job file)',
    );
    writeFileSync(path.join(data, 'reviews.csv'), 'x');
    expect(notWritableBy(data, undefined, 1000, { container: true, mountinfo })).toBe(
      'is not writable by uid 1000, the user this container runs as (node; docs/container.md): on the host, chown -R 1000:1000 the folder mounted there, ' +
        'or run the container as the folder\'s owner (--user "$(id -u):$(id -g)")',
    );
  });
});
