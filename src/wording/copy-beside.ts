import path from 'node:path';

/**
 * The name a command's advice gives the copy it writes of `file`, beside it: `in-utf8.csv` of `in.csv.gz`, `in-renamed.tsv`
 * of `in.tsv` (the copy is written uncompressed, so `.gz` is dropped), with `extension` in place of the file's own.
 */
export function copyBeside(file: string, tag: string, extension: string): string {
  const stem = file.replace(/\.gz$/i, '');
  const base = path.basename(stem);
  const dot = base.lastIndexOf('.');
  return path.join(path.dirname(stem), `${dot > 0 ? base.slice(0, dot) : base}-${tag}.${extension}`);
}
