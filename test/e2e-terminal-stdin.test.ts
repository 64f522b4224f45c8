import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { hasScript, runOnTerminal } from './support/terminal.js';

/**
 * `score -` with standard input the terminal (the `<` or the pipe forgotten) waited for the export in silence: a run
 * that looked hung. It says once that it reads the export from the terminal, how to end it, and what was likely meant.
 */
const HINT = /reading the export from the terminal \(standard input is not redirected\): type or paste it, then Ctrl-D on a line of its own to end it \(Ctrl-C stops\); to read a file, name it instead of - or redirect it \(< FILE\)/g;
const EXPORT = 'id,review\n1,a wonderful film\n2,an awful plot\n';

describe('score - with standard input', () => {
  const files = useTempDir();

  it.skipIf(!hasScript)('the terminal: said once, then what is typed up to Ctrl-D is the export', async () => {
    const output = files.path('out.csv');
    const args = ['score', '-', '--format', 'csv', '--text-column', 'review', '-o', output, '--backend', 'embedded'];
    const { code, screen } = await runOnTerminal(args, {}, { after: HINT, text: `${EXPORT}\x04` });
    expect(screen.match(HINT)).toHaveLength(1);
    expect(code).toBe(0);
    expect(readFileSync(output, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  // `score /dev/stdin` with standard input the terminal is refused at once (only a file is read twice), but as "a pipe
  // or a device …; pipe it in as standard input instead": it is the terminal, and the file was what was meant.
  it.skipIf(!hasScript)('/dev/stdin the terminal: refused as the terminal, naming the file to give instead (exit 3)', async () => {
    const { code, screen } = await runOnTerminal(['score', '/dev/stdin', '--format', 'csv', '--text-column', 'review', '-o', files.path('dev.csv'), '--backend', 'embedded'], {});
    expect(code).toBe(3);
    expect(screen).toContain("cannot read input '/dev/stdin': it is the terminal (standard input is not redirected), not a file: name the export's file instead");
  });

  it('a pipe: not a word of it', async () => {
    const output = files.path('piped.csv');
    const piped = await runCli(['score', '-', '--format', 'csv', '--text-column', 'review', '-o', output, '--backend', 'embedded'], { input: EXPORT });
    expect(piped.code).toBe(0);
    expect(piped.stderr).not.toMatch(/terminal/);
  });
});
