/** What a help page needs of a flag to list it. */
export interface ListedOption {
  flag: string;
  short?: string;
  boolean?: boolean;
  help: string;
}

const HELP_ROW: ListedOption = { flag: 'help', short: 'h', boolean: true, help: 'this help' };

/**
 * A help page's options list, `-h, --help` last, with every description in one
 * column: at 30 characters, or one past the longest name when a name is longer
 * (`--checkpoint-interval VALUE` once pushed its own description out of line).
 */
export function optionRows(options: readonly ListedOption[]): string {
  const all = [...options, HELP_ROW];
  const names = all.map((o) => `${o.short ? `-${o.short}, ` : '    '}--${o.flag}${o.boolean ? '' : ' VALUE'}`);
  const width = Math.max(30, ...names.map((name) => name.length + 1));
  return all.map((o, i) => `  ${(names[i] as string).padEnd(width)} ${o.help}`).join('\n');
}
