import { existsSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { borrowedNameHint } from './guessed-flags.js';

/** A flag as the parser needs it: its long name, an optional one-letter alias, and whether it takes a value. */
export interface FlagSpec {
  flag: string;
  short?: string;
  boolean?: boolean;
  /**
   * Its value is a name a person chose (a column, a field, a file), which may hold a space: words typed unquoted after
   * it get the advice on quotes. Not for a value of fixed words (--format csv), a number or a URL: the words after
   * `--format csv part-00000 part-00001` are inputs, and the advice to write --format 'csv part-00000 part-00001' misled.
   */
  named?: boolean;
}

export interface ParsedArgv {
  /** Every value each string flag was given, in order (the caller decides whether the last wins). */
  strings: Map<string, string[]>;
  booleans: Set<string>;
  positionals: string[];
}

/**
 * `--delimiter ;` typed bare: the shell ends the command at the `;` (a `|` pipes it, a `&` backgrounds it), so the flag
 * arrives last with no value, and "needs a value" read as if nothing had been typed.
 */
const BARE_DELIMITER = ": a shell ends a command at a bare ; or | (and & sends it to the background), so --delimiter ; passes nothing: quote the character, --delimiter ';'";

/**
 * Our own small parser instead of node's parseArgs, for two reasons: its
 * messages (unbalanced quotes, no suggestion) and its refusal of a value that
 * starts with a dash (`--rpm -5` was "ambiguous"). Here a flag that takes a
 * value always takes the next argument, so `--rpm -5` reaches the validator
 * ("expects a positive integer, got '-5'") and `-o -` means standard output.
 * `command` names the help to point at in messages.
 */
export function parseArgv(argv: readonly string[], specs: readonly FlagSpec[], command: string, positionalsAllowed = 1): ParsedArgv {
  const byName = new Map(specs.map((spec) => [spec.flag, spec]));
  const byShort = new Map(specs.filter((spec) => spec.short).map((spec) => [spec.short as string, spec]));
  const result: ParsedArgv = { strings: new Map(), booleans: new Set(), positionals: [] };
  // The words that came right after a flag's value, given as a word of its own: the rest of a value with a space.
  let spaced: { name: string; value: string; at: number; words: string[] } | undefined;
  let lastValue: { name: string; value: string; at: number } | undefined;
  const unknown = (written: string): ConfigError => {
    const name = written.replace(/^-+/, '');
    // A borrowed name first: report's `--input x.csv` was asked 'did you mean --input-format?', a prefix of no help.
    const hint = borrowedNameHint(name, new Set(byName.keys()), command, positionalsAllowed > 0) || didYouMean(name, [...byName.keys()], (near) => `--${near}`);
    return new ConfigError(`unknown option '${written}' for ${command}${hint}; see sentiment-batch ${command} --help`);
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      result.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      result.positionals.push(arg);
      // A number is no word of a name: `--latency 80 250ms` is a range typed with a space, not one value to quote.
      if (lastValue !== undefined && !FILE_LIKE.test(arg) && !/^\d/.test(arg) && !/^\d/.test(lastValue.value)) {
        spaced ??= { ...lastValue, words: [] };
        if (spaced.at === lastValue.at) spaced.words.push(arg);
      } else lastValue = undefined;
      continue;
    }
    lastValue = undefined;
    let spec: FlagSpec | undefined;
    let inline: string | undefined;
    let written: string;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      written = eq === -1 ? arg : arg.slice(0, eq);
      if (eq !== -1) inline = arg.slice(eq + 1);
      spec = byName.get(written.slice(2));
    } else {
      // -o VALUE, -oVALUE, -h
      written = arg.slice(0, 2);
      spec = byShort.get(arg.slice(1, 2));
      if (arg.length > 2) inline = arg.slice(2);
      if (spec === undefined && /^-\d/.test(arg)) {
        throw new ConfigError(`unexpected value '${arg}' with no option before it (see sentiment-batch ${command} --help)`);
      }
      // A long option typed with one dash, as find or java take them: `-output out.csv` was -o with the path 'utput'
      // (then "takes one input, got 2"), `-help` "--help takes no value", `-text-column` "unknown option '-t'".
      const long = arg.slice(1).split('=')[0] as string;
      if (long.length > 1 && byName.has(long)) {
        throw new ConfigError(`unknown option '-${long}' for ${command}: a long option takes two dashes, --${long}; see sentiment-batch ${command} --help`);
      }
      if (spec === undefined && long.length > 1) throw unknown(`-${long}`);
    }
    if (spec === undefined) throw unknown(written);
    const name = `--${spec.flag}`;
    // `-o=out.csv` took '=out.csv' as the path (a folder named '=out.csv'): a short option's value follows it
    // directly or after a space. A value that really starts with '=' can still be given as --output==x.
    if (!arg.startsWith('--') && inline?.startsWith('=')) {
      throw new ConfigError(`${written}${inline}: a short option takes its value after a space (${written} ${inline.slice(1)}) or as ${name}=${inline.slice(1)}`);
    }
    if (spec.boolean) {
      if (inline !== undefined) throw new ConfigError(`${name} takes no value, got '${inline}'`);
      // `--day-first yes` was read as a second input file ("report takes one scored file, got 2"), and `--restart false`
      // would have turned the flag on. A file named 'yes' can still be given as ./yes.
      const next = argv[i + 1];
      if (next !== undefined && SWITCH_WORD.test(next)) {
        throw new ConfigError(`${name} takes no value, got '${next}': write ${name} alone to turn it on, or leave it out`);
      }
      result.booleans.add(spec.flag);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined) throw new ConfigError(`${name} needs a value${spec.flag === 'delimiter' ? BARE_DELIMITER : ''} (see sentiment-batch ${command} --help)`);
      // `--output --rpm 5` or `--text-column -o out.csv`: the next word is one
      // of this command's own options, so the value was forgotten. Only a word
      // that would itself parse as a known option counts: `--rpm -5` and
      // `-o -` still take the word as the value, and `--text-column=-o` names
      // a column that really starts with a dash.
      if (isKnownOption(value, byName, byShort)) {
        throw new ConfigError(`${name} needs a value, got the option ${value} (write ${name}=VALUE for a value that starts with a dash)`);
      }
      i += 1;
      lastValue = spec.named ? { name, value, at: i } : undefined;
    }
    const list = result.strings.get(spec.flag) ?? [];
    list.push(value);
    result.strings.set(spec.flag, list);
  }
  // `--text-column Review Text`, unquoted: 'Text' was a second input ("score takes one input, got 2: wide.csv Text").
  // Unless the words are a file's name with spaces (`--text-column body Reviews - Sheet1.csv`): the command says that.
  // --help asked for is printed, as it was before this advice: added to a failed command to see its options.
  const helpAsked = result.booleans.has('help');
  if (spaced !== undefined && !helpAsked && result.positionals.length > positionalsAllowed && !existsSync(result.positionals.join(' '))) throw unquotedSpace(spaced, command);
  return result;
}

/** A word that names a file (an export, a job file, `-`, a path): not the rest of a value, even right after one. */
const FILE_LIKE = /^-$|[/\\]|\.[A-Za-z0-9]{1,8}$/;

function unquotedSpace(spaced: { name: string; value: string; words: string[] }, command: string): ConfigError {
  const rest = spaced.words.join(' ');
  const whole = `${spaced.value} ${rest}`;
  const quoted = whole.includes("'") ? JSON.stringify(whole) : `'${whole}'`;
  const own = spaced.words.length === 1 ? 'a word of its own' : 'words of their own';
  return new ConfigError(
    `'${rest}' follows ${spaced.name} ${spaced.value} as ${own}: a value with a space needs quotes, ${spaced.name} ${quoted}; see sentiment-batch ${command} --help`,
  );
}

/** The words a person writes for on or off, as other tools' flags take them. */
const SWITCH_WORD = /^(yes|no|true|false|on|off|y|n|1|0)$/i;

/** Whether `word` would parse as one of the known options: `--flag`, `--flag=…`, `-x` or `-xVALUE`. */
function isKnownOption(word: string, byName: ReadonlyMap<string, FlagSpec>, byShort: ReadonlyMap<string, FlagSpec>): boolean {
  if (word.startsWith('--')) return byName.has(word.slice(2).split('=')[0] as string);
  return word.length >= 2 && word.startsWith('-') && byShort.has(word.slice(1, 2));
}
