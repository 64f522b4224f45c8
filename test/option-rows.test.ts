import { describe, expect, it } from 'vitest';
import { scoreHelp } from '../src/commands/help.js';
import { reportHelp } from '../src/config/report-options.js';
import { optionRows } from '../src/wording/option-rows.js';

/** Where each option row's description starts (the rows of the "Options:" list). */
function descriptionColumns(help: string): number[] {
  const list = help.slice(help.indexOf('Options:\n') + 'Options:\n'.length).split('\n\n')[0] as string;
  return list.split('\n').filter((row) => row !== '').map((row) => {
    const match = /^ {2}(?:-\w, | {4})--[\w-]+(?: VALUE)? +/.exec(row);
    expect(match, row).not.toBeNull();
    return (match as RegExpExecArray)[0].length;
  });
}

describe('help pages: one column for every option description', () => {
  it.each([
    ['score', scoreHelp('score')],
    ['run', scoreHelp('run')],
    ['estimate', scoreHelp('estimate')],
    ['report', reportHelp()],
  ])('%s --help', (_name, help) => {
    const columns = descriptionColumns(help);
    expect(columns.length).toBeGreaterThan(5);
    expect(new Set(columns).size).toBe(1);
    expect(help).toMatch(/\n {2}-h, --help +this help\n/);
  });

  it('widens the column past the longest name, and keeps -h, --help last', () => {
    const rows = optionRows([
      { flag: 'a', help: 'short' },
      { flag: 'a-very-long-option-name-indeed', help: 'long' },
    ]).split('\n');
    expect(rows).toEqual([
      // 43 = the long name (42 characters) and one space
      `      ${'--a VALUE'.padEnd(43 - 4)} short`,
      '      --a-very-long-option-name-indeed VALUE  long',
      `  ${'-h, --help'.padEnd(43)} this help`,
    ]);
  });
});
