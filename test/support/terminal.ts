import { spawn, spawnSync } from 'node:child_process';
import { builtCli, cleanEnv } from './cli.js';

/** util-linux `script` gives the CLI a pseudo-terminal; without it the tests that use one skip (CI installs bsdutils). */
export const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * What is typed on the terminal once the screen matches `after` (`text`, Ctrl-D included where wanted). Until then the
 * terminal stays open with nothing typed: standard input is the terminal and nobody has ended it yet. A screen that
 * does not match within `withinMs` (default 15 s) ends the terminal's input instead, so a run waiting in silence ends.
 */
export interface Typing {
  after: RegExp;
  text: string;
  withinMs?: number;
}

/**
 * Runs the built CLI on a pseudo-terminal (standard input, output and error all the terminal); returns what the terminal
 * showed. Without `typing` the terminal's input ends at once (script passes the end of its own input on).
 */
export function runOnTerminal(args: string[], env: Record<string, string>, typing?: Typing): Promise<{ code: number | null; screen: string }> {
  const quoted = [process.execPath, builtCli(), ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-q', '-e', '-c', quoted, '/dev/null'], { env: cleanEnv({ ...env, COLUMNS: '200' }), stdio: ['pipe', 'pipe', 'pipe'] });
  if (typing === undefined) child.stdin.end();
  let screen = '';
  let typed = false;
  const giveUp = typing === undefined ? undefined : setTimeout(() => {
    typed = true;
    child.stdin.end();
  }, typing.withinMs ?? 15_000);
  const seen = (chunk: string): void => {
    screen += chunk;
    if (typing !== undefined && !typed && typing.after.test(screen)) {
      typed = true;
      child.stdin.write(typing.text);
    }
  };
  child.stdout.setEncoding('utf8').on('data', seen);
  child.stderr.setEncoding('utf8').on('data', seen);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(giveUp);
      child.stdin.destroy();
      resolve({ code, screen });
    }),
  );
}
