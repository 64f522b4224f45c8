import { ConfigError } from '../errors.js';
import type { TextInJobFile } from '../io/text-parts.js';

/**
 * report needs the text for its example lists only (with none asked for it reads it where it is there, to count the texts
 * only a number): the default or the run's text column missing (a copy of an output with the reviews taken out, a column
 * named otherwise) need not stop it. Its refusal says so, after what it says of
 * the column, when `advise`: not for a column named with a flag, which --examples 0 still checks.
 */
export async function withExamplesAdvice(advise: boolean, check: () => Promise<void> | void): Promise<void> {
  try {
    await check();
  } catch (error) {
    if (!advise || !(error instanceof ConfigError)) throw error;
    throw new ConfigError(`${error.message}; report needs the text only for its example texts: --examples 0 makes the report without them`, { cause: error });
  }
}

/**
 * The text the run that wrote the file read, as its checkpoint names it: nobody typed a flag for it here, so a
 * message about it says where the name came from, not "--text-column 'review' is not in the header".
 */
export function recordedText(jsonl: boolean): TextInJobFile {
  const kind = jsonl ? 'field' : 'column';
  const flag = jsonl ? '--text-field' : '--text-column';
  const head = (name: string): string => `the text ${kind} ${name} of the run that wrote the file (its checkpoint names it; name another with ${flag})`;
  return {
    given: true,
    words: (name) => ({ head: head(name), inline: head(name), setting: flag }),
    change: (value) => `give ${flag} ${value === undefined ? 'NAME' : `'${value}'`}`,
  };
}
