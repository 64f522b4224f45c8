/**
 * Why an input named with a byte that is not UTF-8 (`rev\xff.csv`, a Latin-1 name) is not found: Node decodes the
 * command line as UTF-8, putting U+FFFD where such a byte was, so the path it opens is another name than the file's.
 * Undefined unless the open found nothing and the path holds U+FFFD.
 */
export function notUtf8NameWhy(path: string, error: unknown): string | undefined {
  if ((error as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT' || !path.includes('\uFFFD')) return undefined;
  return (
    'no such file or directory (ENOENT): its name holds \uFFFD where the command line had a byte that is not UTF-8, which Node ' +
    `cannot pass on: rename the file to a UTF-8 name, or pipe it in (sentiment-batch score - --format ${pipedFormat(path)} -o OUT < FILE)`
  );
}

/** The --format of the piped file, from its name's extension (`caf\xe9.jsonl` is JSON Lines): csv when it says none. */
function pipedFormat(path: string): string {
  const extension = /\.(tsv|jsonl|ndjson)(\.gz)?$/i.exec(path)?.[1]?.toLowerCase();
  return extension === undefined ? 'csv' : extension === 'tsv' ? 'tsv' : 'jsonl';
}
