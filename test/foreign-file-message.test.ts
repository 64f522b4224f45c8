import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { userNameOf } from '../src/process/user-name.js';
import { ForeignFileError } from '../src/state/foreign-file.js';
import { useTempDir } from './support/e2e-dir.js';

/**
 * The one line that names another user's job files in a sticky folder (state/foreign-file.ts): every file, one rm
 * (quoted as a shell reads it back; rm -r with a folder among them), and the uid to run as to continue that job.
 * (The run that meets them end to end: test/e2e-foreign-job-files.test.ts, as root.)
 */
describe("the refusal of another user's files in a sticky folder", () => {
  const dir = useTempDir();

  it('one owner: all the files, one rm -r when a folder is among them, and the uid to continue as', () => {
    const message = new ForeignFileError(
      [
        { file: '/tmp/drop/out.csv.checkpoint.json', owner: 4242 },
        { file: '/tmp/drop/out.csv.journal', owner: 4242 },
        { file: '/tmp/drop/out.csv.answers', owner: 4242, folder: true },
      ],
      0,
    ).message;
    expect(message).toContain('/tmp/drop/out.csv.checkpoint.json, /tmp/drop/out.csv.journal and /tmp/drop/out.csv.answers belong to uid 4242, not to this user (uid 0), in /tmp/drop,');
    expect(message).toContain('remove them (as that user or root: rm -r /tmp/drop/out.csv.checkpoint.json /tmp/drop/out.csv.journal /tmp/drop/out.csv.answers)');
    // No user 4242 in /etc/passwd here: the uid alone.
    expect(message).toMatch(/run the same command as uid 4242$/);
  });

  it('several owners: each file with its own, and no one user to run as', () => {
    const message = new ForeignFileError(
      [
        { file: '/tmp/my drop/out.csv.checkpoint.json', owner: 4242 },
        { file: '/tmp/my drop/out.csv.journal', owner: 4343 },
      ],
      1000,
    ).message;
    expect(message).toContain("/tmp/my drop/out.csv.checkpoint.json (uid 4242) and /tmp/my drop/out.csv.journal (uid 4343) belong to other users, not to this user (uid 1000)");
    expect(message).toContain("rm '/tmp/my drop/out.csv.checkpoint.json' '/tmp/my drop/out.csv.journal')");
    expect(message).not.toContain('run the same command as uid');
  });

  it('a user name is read from the passwd file when it has the uid', () => {
    const passwd = dir.file('passwd', '# comment\nroot:x:0:0:root:/root:/bin/bash\nana:x:1000:1000::/home/ana:/bin/sh\n');
    expect(userNameOf(1000, passwd)).toBe('ana');
    expect(userNameOf(0, passwd)).toBe('root');
    expect(userNameOf(4242, passwd)).toBeUndefined();
    expect(userNameOf(1000, dir.path('none'))).toBeUndefined();
    writeFileSync(passwd, 'broken line\n');
    expect(userNameOf(0, passwd)).toBeUndefined();
  });
});
