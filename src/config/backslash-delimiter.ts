import { ConfigError } from '../errors.js';

/** How the message names the settings: flags (`--delimiter '\'`), or a job file's keys. */
export interface BackslashDelimiterNames {
  delimiter: string;
  escape: string;
  /** --quote none: the backslash is then the only escape there is, so only another delimiter will do. */
  quoteNone: boolean;
  /** How --quote none is named (`--quote none`, or the job file's key); default the flag. */
  quote?: string;
}

/**
 * `--delimiter '\'` with `--escape backslash`: a backslash cannot both make the next character plain and separate
 * cells. Accepted before, the header `id\text` read with --quote none as one column 'id<TAB>ext' (`\t` a tab), and the
 * message said the file looked tab-separated; with quotes the output's cells ran together. Refused before anything is
 * read (score, estimate and report), exit 2. The default escape reads a backslash as text: a backslash-separated
 * file reads with it. With --quote none, whose only escape is the backslash, it is refused whatever the escape: asked
 * first, as the refusal of --quote none without an escape sent to add --escape backslash, which this then refused.
 */
export function refuseBackslashDelimiter(delimiter: string | undefined, escape: string | undefined, names: BackslashDelimiterNames): void {
  if (delimiter !== '\\') return;
  if (escape !== 'backslash' && names.quoteNone) {
    throw new ConfigError(
      `${names.delimiter} and ${names.quote ?? '--quote none'} cannot go together: a file that quotes nothing needs the backslash escape (--escape backslash), ` +
        "and a backslash that escapes the next character cannot also separate cells; give another delimiter (MySQL's INTO OUTFILE writes a tab by default)",
    );
  }
  if (escape !== 'backslash') return;
  const instead = names.quoteNone ? 'give another delimiter (MySQL\'s INTO OUTFILE writes a tab by default)' : 'give another delimiter, or the default escape (a quote inside a quoted cell doubled, "")';
  throw new ConfigError(`${names.delimiter} and ${names.escape} cannot go together: a backslash that escapes the next character cannot also separate cells; ${instead}`);
}
