import { closeSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { refuseDiscardedStdout } from '../src/io/discarded-stdout.js';

// `score x.csv -o - > /dev/null` is refused before any work (every record would be thrown away, every request paid
// for); `> /dev/zero` was not, though /dev/zero throws away what is written as /dev/null does (so do /dev/random and
// /dev/urandom: a write only stirs the entropy pool). /dev/full refuses writes (ENOSPC): exit 74 when written, not refused here.
describe('-o - into a device that throws writes away', () => {
  const refusal = (device: string): unknown => {
    const fd = openSync(device, 'w');
    try {
      refuseDiscardedStdout({ output: '-' }, fd);
      return undefined;
    } catch (error) {
      return error;
    } finally {
      closeSync(fd);
    }
  };

  it.each(['/dev/zero', '/dev/random', '/dev/urandom'])('refuses %s, naming it', (device) => {
    const error = refusal(device);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      `-o -: standard output is ${device} (it keeps nothing written to it), so every scored record would be thrown away: send it to a file or a pipe (> scored.csv, | next-step), or name the file with -o`,
    );
  });

  it('still says that a closed standard output is /dev/null', () => {
    expect((refusal('/dev/null') as Error).message).toMatch(/^-o -: standard output is \/dev\/null \(or was closed, which Node replaces with \/dev\/null\), so every scored record/);
  });

  it('leaves /dev/full to its write fault (exit 74 when written)', () => {
    expect(refusal('/dev/full')).toBeUndefined();
  });
});
