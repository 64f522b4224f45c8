/**
 * PostgreSQL's COPY text format and MySQL's INTO OUTFILE write a NULL as `\N` and escape with backslashes (`\n` a line
 * break, `\t` a tab); the first quotes nothing, the second (ENCLOSED BY '"') quotes every cell but a NULL. Read with the
 * default quoting, such a NULL review is scored as the text `\N` (a row scored where none was written, Workers AI paid
 * for it) and an escaped line break as a backslash and an n. Nothing else in the file tells such an export from another
 * (only a quote problem did, stray-quote.ts), so a text column that is exactly `\N` in a sampled row is said at
 * start-up, with the flags that read it; the rows are read as before.
 */

const NULL_TEXT = '\\N';

/**
 * The warning for the texts of the first records (as the job would send them, read with --escape quote), or undefined
 * when none is `\N`. `subject` names the text column as given; `unquoted`: the first lines quote no cell
 * (unquoted-look.ts), which --quote none reads, else only --escape backslash is needed.
 */
export function backslashNullWarning(texts: readonly string[], subject: string, unquoted = true): string | undefined {
  const nulls = texts.filter((text) => text.trim() === NULL_TEXT).length;
  if (nulls === 0) return undefined;
  const [flags, keys, writers] = unquoted
    ? ['--quote none --escape backslash', '"quote": "none" and "escape": "backslash"', "PostgreSQL's COPY text format, MySQL's INTO OUTFILE"]
    : ['--escape backslash', '"escape": "backslash"', "MySQL's INTO OUTFILE ... ENCLOSED BY '\"'"];
  return (
    `${subject} is \\N in ${nulls} of the first ${texts.length} rows: the NULL of an export that ${unquoted ? 'quotes nothing and ' : ''}escapes with ` +
    `backslashes (${writers}), which the default reading scores as the text '\\N' (and a \\n in a review as a backslash and an n); read it ` +
    `with ${flags} (in a job file ${keys}), where ${unquoted ? 'a' : 'an unquoted'} \\N is no text, skipped`
  );
}
