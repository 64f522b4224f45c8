import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreHelp } from '../src/commands/help.js';
import { MODEL_HELP } from '../src/commands/model.js';
import { reportHelp } from '../src/config/report-options.js';
import { serveHelp } from '../src/server/serve-command.js';
import { builtCli, cleanEnv, REPO_ROOT } from './support/cli.js';

// The README and docs show commands to copy: a flag one of them spells that the command does not take (renamed,
// moved to another command) fails as written, exit 2, for the user who trusted the page. help-matches-docs compares
// the exit codes, serve's endpoints and the option defaults; this compares every flag of every command in the pages'
// code blocks with that command's own --help.

const COMMANDS = ['score', 'run', 'estimate', 'report', 'serve', 'model'] as const;
type Command = (typeof COMMANDS)[number];

/** What `sentiment-batch COMMAND --help` prints; estimate's from the built command, whose option list is its own. */
const HELP: Record<Command, () => string> = {
  score: () => scoreHelp('score'),
  run: () => scoreHelp('run'),
  estimate: () => execFileSync(process.execPath, [builtCli(), 'estimate', '--help'], { env: cleanEnv(), encoding: 'utf8' }),
  report: reportHelp,
  serve: () => serveHelp,
  model: () => MODEL_HELP,
};

const flagsOf = new Map<Command, Set<string>>();
/** The flags a command's --help lists. */
function helpFlags(command: Command): Set<string> {
  let flags = flagsOf.get(command);
  if (flags === undefined) {
    flags = new Set([...HELP[command]().matchAll(/(?<![\w-])(--[a-z][a-z0-9-]*|-[a-z])\b/g)].map((m) => m[1]!));
    flagsOf.set(command, flags);
  }
  return flags;
}

/** The lines of the fenced code blocks of a page, a line continued with `\` joined to the next. */
function codeLines(file: string): string[] {
  const blocks = [...readFileSync(path.join(REPO_ROOT, file), 'utf8').matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
  return blocks.flatMap((block) => block.replace(/\\\n\s*/g, ' ').split('\n'));
}

/**
 * Each `sentiment-batch COMMAND …` in a line (also `npx sentiment-batch`, `node …/cli.js`, an image tag
 * `sentiment-batch:0.1.0`), with the flags it is given: up to a pipe, a redirection, `;`, `&&` or a comment.
 */
function invocations(line: string): Array<{ command: Command; flags: string[] }> {
  const found: Array<{ command: Command; flags: string[] }> = [];
  const pattern = /(?:sentiment-batch(?::[\w.-]+)?|dist\/bin\/cli\.js) (score|run|estimate|report|serve|model)\b([^|;&>#]*)/g;
  for (const match of line.matchAll(pattern)) {
    const flags = [...match[2]!.matchAll(/(?:^|\s)(--[a-z][a-z0-9-]*|-[a-z])(?=[\s=]|$)/g)].map((m) => m[1]!);
    found.push({ command: match[1] as Command, flags });
  }
  return found;
}

const PAGES = ['README.md', ...readdirSync(path.join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

describe('the commands the README and docs show', () => {
  it('finds commands to check', () => {
    const count = PAGES.flatMap((page) => codeLines(page).flatMap(invocations)).length;
    expect(count).toBeGreaterThan(20);
  });

  it.each(PAGES)('%s: every flag of a command in a code block is one that command takes', (page) => {
    for (const line of codeLines(page)) {
      for (const { command, flags } of invocations(line)) {
        for (const flag of flags) expect(helpFlags(command).has(flag), `${page}: ${command} ${flag} in: ${line.trim()}`).toBe(true);
      }
    }
  });
});
