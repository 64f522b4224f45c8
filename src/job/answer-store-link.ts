import { lstatSync } from 'node:fs';

/**
 * A symbolic link at `<output>.answers` (put there by hand): the store was written and read through it, and never
 * removed (only a folder is: kept-answers.ts removeKeptAnswers). No file of a job is written through a link planted at
 * its path (docs/durability.md, "Files are opened safely"): it is not followed, so nothing is kept or read there, the
 * lines say why, and the link is left as it was, as a file put at that path is. The words, or undefined for no link;
 * `named`: the store as the lines name it (after the output as the user gave it: wording/typed-path.ts).
 */
export function storeLinkWords(storePath: string, named = storePath): string | undefined {
  if (lstatSync(storePath, { throwIfNoEntry: false })?.isSymbolicLink() !== true) return undefined;
  return `${named} is a symbolic link, which is never followed (no file of the job is written through one): remove it, or move what it points to there`;
}
