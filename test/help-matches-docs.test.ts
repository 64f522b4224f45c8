import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAIN_HELP } from '../src/commands/help.js';
import { DEFAULT_BASE_URL, DEFAULTS, OPTION_SPECS } from '../src/config/options.js';
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

/** A default as the docs or --help write it, with every way of saying "no default" made one word. */
function sameDefault(text: string): string {
  const bare = text.replace(/`/g, '').trim();
  return ['', 'none', 'off', 'all', 'no'].includes(bare) ? 'none' : bare;
}

/** The default `score --help` gives for --`flag`: the word after `(default` (`(default 2000)`, `(default auto: …`). */
function helpDefault(flag: string): string {
  const spec = OPTION_SPECS.find((s) => s.flag === flag);
  if (spec === undefined) throw new Error(`no option --${flag}`);
  const match = /\(default:? ([^ ;)]+)/.exec(spec.help);
  return sameDefault((match?.[1] ?? '').replace(/:$/, ''));
}

/**
 * [flags, default cell] of every option the README's table gives a default: the flags are the backticked `--x` names of
 * its first cell, the cell split at ', ' one part per flag (`6, 30s` for `--max-attempts`, `--timeout`); a part that is
 * words, not one value (`from the extension; …`), is left out.
 */
function readmeDefaults(): Array<[string, string]> {
  const table = read('README.md').split('### Options')[1]!.split('\n\n').find((part) => part.startsWith('| option |'))!;
  return table.split('\n').slice(2).flatMap((row) => {
    const [first = '', cell = ''] = row.split(' | ');
    return pairs(first.split('](')[0]!, cell);
  });
}

/** The same for docs/options.md: each `### ` heading's flags and the `Default: …` line under it. */
function optionsDocDefaults(): Array<[string, string]> {
  return read('docs/options.md').split('\n### ').slice(1).flatMap((section) => {
    const heading = section.split('\n')[0]!;
    const line = /^Default: (.*)\.$/m.exec(section);
    return line === null ? [] : pairs(heading, line[1]!);
  });
}

function pairs(flagsText: string, cell: string): Array<[string, string]> {
  if (cell.trim() === '') return [];
  const flags = [...flagsText.matchAll(/`(?:-o, )?--([a-z-]+)/g)].map((m) => m[1]!);
  const parts = cell.split(', ');
  return flags.slice(0, parts.length).flatMap((flag, i): Array<[string, string]> => {
    const part = parts[i]!.trim();
    return /^`?[^ `]+`?$/.test(part) ? [[flag, part]] : [];
  });
}

describe('option defaults: score --help, the code, the README table and docs/options.md', () => {
  // help-matches-docs checked the exit codes and serve's endpoints, not one default: a README that says `--rpm` is 2000
  // while --help and the code say another is a user's run paced or billed by a figure they never chose.
  it('each default score --help gives is the one the code applies', () => {
    const ms = (value: number): string => (value % 1000 === 0 ? `${value / 1000}s` : `${value}ms`);
    const applied: Record<string, string> = {
      prefix: DEFAULTS.prefix,
      backend: DEFAULTS.backend,
      'base-url': DEFAULT_BASE_URL,
      model: DEFAULTS.model,
      rpm: String(DEFAULTS.rpm),
      concurrency: String(DEFAULTS.concurrency),
      'max-attempts': String(DEFAULTS.maxAttempts),
      timeout: ms(DEFAULTS.timeoutMs),
      'max-errors': DEFAULTS.maxErrors === undefined ? 'none' : String(DEFAULTS.maxErrors),
      'max-error-rate': String(DEFAULTS.maxErrorRate),
      resume: DEFAULTS.resume,
      grace: ms(DEFAULTS.graceMs),
      'checkpoint-interval': ms(DEFAULTS.checkpointIntervalMs),
      'long-text': DEFAULTS.longText,
      cache: DEFAULTS.cache ?? 'none',
      'cache-max-age-days': String(DEFAULTS.cacheMaxAgeDays),
      'log-level': DEFAULTS.logLevel,
      'log-format': DEFAULTS.logFormat,
      progress: DEFAULTS.progress,
    };
    for (const [flag, value] of Object.entries(applied)) expect(helpDefault(flag), `--${flag}`).toBe(value);
  });

  it.each([
    ['README.md', readmeDefaults],
    ['docs/options.md', optionsDocDefaults],
  ] as const)('%s gives each option the default score --help gives', (_file, defaults) => {
    const found = defaults();
    expect(found.length).toBeGreaterThan(15);
    for (const [flag, cell] of found) expect(sameDefault(cell), `--${flag}`).toBe(helpDefault(flag));
  });
});

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
