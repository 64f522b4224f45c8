import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cleanEnv } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';

/** The user who plants a file, and the user whose job meets it (neither root: root may remove anyone's file). */
const PLANTER = 1000;
const VICTIM = 65534;

/**
 * A job starting afresh in a sticky folder unlinks whatever is at a name it writes (the partial output, a temp file
 * `<name>.tmp-<pid>` of an atomic write) and creates it anew. Another user's file there may not be unlinked by a user
 * other than root: Node's rm then tried rmdir and said ENOTDIR, and the run ended (exit 74) with `a part of the path
 * …out.csv.partial is not a folder (a file, or a symbolic link to nothing): fix the path`, naming neither the owner nor
 * a way out (operator18). Needs root, to plant as one user and run as another.
 */
describe.skipIf(process.geteuid?.() !== 0)("another user's file at a name a fresh job creates, in a sticky folder", () => {
  const dir = useTempDir();

  it('is refused naming its owner and the way out (before: "is not a folder")', () => {
    const input = dir.file('in.csv', syntheticCsv(20, { duplicateEvery: 0, emptyEvery: 0 }));
    chmodSync(input, 0o644);
    chmodSync(path.dirname(input), 0o755);
    const shared = dir.path('shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    const partial = path.join(shared, 'out.csv.partial');
    writeFileSync(partial, 'id,review\n');
    chownSync(partial, PLANTER, PLANTER);

    const result = spawnSync(process.execPath, [CLI, 'score', input, '--text-column', 'review', '-o', path.join(shared, 'out.csv'), '--backend', 'embedded', '--progress', 'off'], {
      uid: VICTIM,
      gid: VICTIM,
      cwd: shared,
      env: cleanEnv(),
      encoding: 'utf8',
    });
    expect(result.stderr).not.toContain('is not a folder');
    expect(result.stderr).toContain(`${partial} belongs to uid ${PLANTER}, not to this user (uid ${VICTIM})`);
    expect(result.stderr).toContain(`rm ${partial}`);
    expect(result.status).toBe(74);
    expect(existsSync(path.join(shared, 'out.csv'))).toBe(false);
  });
});
