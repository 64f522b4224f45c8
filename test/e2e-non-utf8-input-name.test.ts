import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cleanEnv } from './support/cli.js';
import { useFileTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';

// An input whose file name is not UTF-8 (`rev\xff.csv`, a Latin-1 name from an old system): Node reads the command line
// as UTF-8, so the name it opens holds U+FFFD where the byte was, and the run said only `cannot open input file
// 'rev�.csv': no such file or directory (ENOENT): check the path`, the file being there. The line now says why.
describe('an input whose file name is not UTF-8', () => {
  const { dir } = useFileTempDir();

  it('exit 3, saying the name is not UTF-8 and how to score the file anyway', () => {
    writeFileSync(Buffer.from(path.join(dir, 'rev\xff.csv'), 'latin1'), syntheticCsv(10));
    // Only a shell passes the byte itself: Node's spawn encodes its arguments as UTF-8.
    const ran = spawnSync('sh', ['-c', `exec "$0" "$1" score "$(printf 'rev\\377.csv')" --text-column review --backend embedded`, process.execPath, CLI], { cwd: dir, env: cleanEnv(), encoding: 'utf8' });
    expect(ran.stderr).toContain(
      "cannot open input file 'rev\uFFFD.csv': no such file or directory (ENOENT): its name holds \uFFFD where the command line had a byte that is not UTF-8, which Node cannot pass on: rename the file to a UTF-8 name, or pipe it in (sentiment-batch score - --format csv -o OUT < FILE)",
    );
    expect(ran.status).toBe(3);
  });

  // `caf\xe9.jsonl`: the pipe it is told to use names the format its extension says, not csv (review66).
  it('names the format of a JSON Lines input in the pipe it offers', () => {
    writeFileSync(Buffer.from(path.join(dir, 'caf\xe9.jsonl'), 'latin1'), '{"text":"good"}\n');
    const ran = spawnSync('sh', ['-c', `exec "$0" "$1" score "$(printf 'caf\\351.jsonl')" --backend embedded`, process.execPath, CLI], { cwd: dir, env: cleanEnv(), encoding: 'utf8' });
    expect(ran.stderr).toContain('or pipe it in (sentiment-batch score - --format jsonl -o OUT < FILE)');
    expect(ran.status).toBe(3);
  });
});
