import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAIN_HELP } from '../src/commands/help.js';
import { ExitCode } from '../src/errors.js';
import { serveHelp } from '../src/server/serve-command.js';

// The --help texts are what a user on the machine reads; the README and docs what they read before. A code or an
// endpoint one lists and the other leaves out sends a scheduler or a test script after something the other denies.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');

/** The codes of the README's exit-code table: its rows start `| [N](docs/exit-codes.md#exit-N) |`. */
function readmeExitCodes(): number[] {
  return [...read('README.md').matchAll(/^\| \[(\d+)\]\(docs\/exit-codes\.md#exit-\d+\) \|/gm)].map((m) => Number(m[1]));
}

/** The codes `sentiment-batch --help` lists under "Exit codes:", each at the start of an indented line. */
function helpExitCodes(): number[] {
  const section = MAIN_HELP.slice(MAIN_HELP.indexOf('Exit codes:'));
  return [...section.matchAll(/^ {2}(\d+) /gm)].map((m) => Number(m[1]));
}

/** The text of code `code`'s entry in `sentiment-batch --help`, its lines joined, spaces collapsed. */
function helpEntry(code: number): string {
  const section = MAIN_HELP.slice(MAIN_HELP.indexOf('Exit codes:'));
  const entry = section.split(/\n(?= {2}\d+ )/).find((part) => part.startsWith(`  ${code} `));
  return (entry ?? '').split('\n\n')[0]!.replace(/\s+/g, ' ');
}

/** The meaning cell of code `code`'s row of the README's exit-code table, backticks dropped. */
function readmeMeaning(code: number): string {
  const row = read('README.md').split('\n').find((line) => line.startsWith(`| [${code}](docs/exit-codes.md#exit-${code}) |`));
  return (row ?? '').split(' | ')[1]!.replace(/`/g, '');
}

describe('--help texts against the docs', () => {
  // A scheduler's operator reading --help on the machine met exit 3 as "could not be read or parsed" and exit 4 as
  // credentials: a file still being written, a --resume require with no checkpoint, or a proxy's certificate
  // (the cases the README's table lists) sent them after the wrong cause.
  it.each([
    [3, ['cannot be read or parsed', 'changed while it was read', '--resume require without a matching checkpoint']],
    [4, ['token rejected', 'no permission', 'unknown model', 'a TLS certificate not trusted', 'model pull']],
  ] as const)('--help names every case the README table lists for exit %i', (code, cases) => {
    for (const words of cases) {
      expect(readmeMeaning(code), `README, exit ${code}`).toContain(words);
      expect(helpEntry(code), `--help, exit ${code}`).toContain(words);
    }
  });

  it('sentiment-batch --help lists the exit codes the README table lists, which hold every code the command exits with', () => {
    const readme = readmeExitCodes();
    expect(readme.length).toBeGreaterThan(5);
    expect(helpExitCodes()).toEqual(readme);
    for (const code of Object.values(ExitCode)) expect(readme).toContain(code);
  });

  it('serve --help names every control endpoint docs/server.md lists', () => {
    const table = read('docs/server.md').split('## Control endpoints')[1]!.split('\n## ')[0]!;
    const endpoints = [...table.matchAll(/^\| `(GET|POST) (\/__[a-z/]+)`/gm)].map((m) => [m[1]!, m[2]!] as const);
    expect(endpoints.length).toBeGreaterThan(4);
    const helpPart = serveHelp.slice(serveHelp.indexOf('Control endpoints:'));
    for (const [method, route] of endpoints) {
      expect(helpPart, `${method} ${route}`).toMatch(new RegExp(`\\b(${method}|GET\\|POST) ${route}\\b`));
    }
  });
});
