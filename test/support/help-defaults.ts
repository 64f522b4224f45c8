/**
 * The defaults a `--help` page states, read the way a user reads them: each option's row (with the lines that continue
 * it) and the words after `(default`, `(default:` or `; default`. Shared by the checks of every command's help against
 * its code and its docs (test/help-matches-docs.test.ts).
 */

/** One option's stated default: the words as written, and the one value they come to, when they come to one. */
export interface StatedDefault {
  words: string;
  /** `20` of `20, at most 1000`; `text` of `the run's, else text`; undefined for words that are no value (`from the extension`). */
  value: string | undefined;
}

/** flag → its stated default, for each option row of `help` that states one. */
export function helpDefaults(help: string): Map<string, StatedDefault> {
  const rows = new Map<string, string>();
  let current: string | undefined;
  for (const line of help.split('\n')) {
    const start = /^ {2,}(?:-[a-z], )?--([a-z-]+)\b/.exec(line);
    if (start) {
      current = start[1]!;
      rows.set(current, line);
    } else if (current !== undefined && /^ {6,}\S/.test(line)) {
      // A description carried on to the next line (serve's --arrival-jitter), indented past the option names.
      rows.set(current, `${rows.get(current)!} ${line.trim()}`);
    } else {
      current = undefined;
    }
  }
  const found = new Map<string, StatedDefault>();
  for (const [flag, row] of rows) {
    const match = /[(;] ?default:? ([^;)]*)/.exec(row);
    if (match) found.set(flag, stated(match[1]!.trim()));
  }
  return found;
}

function stated(words: string): StatedDefault {
  const bare = words.replace(/`/g, '');
  const single = /^[^ ,]+$/;
  // `auto: Workers AI when …` and `20, at most 1000` lead with their value; `the run's, else text` ends with it.
  const lead = /^([^ ,:]+)(?::|,) /.exec(bare)?.[1];
  const fallback = /, else (\S+)$/.exec(bare)?.[1];
  const value = single.test(bare) ? bare : lead ?? fallback;
  return { words, value: value === undefined ? undefined : sameDefault(value) };
}

/** A default as the docs or --help write it, with every way of saying "no default" made one word. */
export function sameDefault(text: string): string {
  const bare = text.replace(/`/g, '').trim();
  return ['', 'none', 'off', 'all', 'no'].includes(bare) ? 'none' : bare;
}
