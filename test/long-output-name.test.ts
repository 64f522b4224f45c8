import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useFileTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';

// A file name near NAME_MAX (255 bytes) at -o: the run names files beside it with up to 29 more bytes
// (`<out>.failed-rows.next.tmp-<pid>`). It was exit 74 mid-way, `… failed: name too long (ENAMETOOLONG); check that
// path and the machine, then run the same command again`, naming the lock folder (a name of 232 bytes), or the
// checkpoint's temp file once the partial output was begun (230), which no rerun could ever write. Now exit 2 before any work.
describe('an output name too long for the files kept beside it', () => {
  const { dir, path: inDir, file } = useFileTempDir();
  const input = file('in.csv', syntheticCsv(30));

  const named = (bytes: number, letter: string): string => `${letter.repeat(bytes - 4)}.csv`;

  for (const bytes of [230, 232]) {
    it(`-o of ${bytes} bytes: exit 2 before any work, naming the longest file and the room left`, async () => {
      const name = named(bytes, 'o');
      const ran = await runCli(['score', input, '--text-column', 'review', '--backend', 'embedded', '-o', inDir(name)]);
      expect(ran.stderr).toContain(`: its file name is ${bytes} bytes, and the run writes ${name}.failed-rows.next.tmp-<pid> beside it, up to ${bytes + 29} bytes, over the 255 a file name may have: choose a shorter -o (a name of at most 226 bytes)`);
      expect(ran.code).toBe(2);
      expect(readdirSync(dir).filter((name) => name.startsWith('ooo'))).toEqual([]);
    });
  }

  it('-o of 226 bytes: scored', async () => {
    const output = inDir(named(226, 'k'));
    const ran = await runCli(['score', input, '--text-column', 'review', '--backend', 'embedded', '-o', output]);
    expect(ran.code).toBe(0);
    expect(existsSync(output)).toBe(true);
  });

  it('the default output of an input whose name is long: says to name a shorter one with -o', async () => {
    const long = file(named(244, 'i'), syntheticCsv(30));
    const ran = await runCli(['score', long, '--text-column', 'review', '--backend', 'embedded']);
    expect(ran.stderr).toMatch(/the default output \S+\.scored\.csv: its file name is 251 bytes, .* name a shorter output with -o \(a name of at most 226 bytes\)/);
    expect(ran.code).toBe(2);
  });
});
