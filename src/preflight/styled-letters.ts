/**
 * Reviews written in the letters of Unicode's mathematical alphabets (`𝐆𝐫𝐞𝐚𝐭 𝐚𝐩𝐩`, `𝘓𝘰𝘷𝘦 𝘪𝘵`): bold or italic text
 * pasted from a social-media font generator. They are English (or whatever language they spell) in another font, but
 * neither model reads them as the letters they look like: the embedded model's tokeniser keeps each as a symbol no
 * word of its lexicon is (it calls `𝐓𝐞𝐫𝐫𝐢𝐛𝐥𝐞 𝐚𝐩𝐩` POSITIVE, 0.58, and `Terrible app` NEGATIVE, 0.99), and Workers AI's
 * WordPiece vocabulary has none of them (its normaliser lowercases but does not apply NFKC). NFKC turns them into the
 * plain letters; the job scores the text as the export holds it, so it says so at start-up, once, with that way, and
 * in the summary, as the other-language warning is (and turned off with it: --language-check off).
 * The language check reads them through NFKC (other-language.ts): bold German is German, bold English is said here.
 */

import { sampledShare } from './sampled-share.js';

const LETTER = /\p{L}/gu;
/**
 * Mathematical Alphanumeric Symbols' letters: the alphabets font generators copy from. Its digits (U+1D7CE–1D7FF, `𝟏𝟐𝟑`)
 * are no letters: a rating so written says nothing of the words.
 */
const STYLED_LETTER = /(?=\p{L})[\u{1D400}-\u{1D7FF}]/gu;
/** Two such letters side by side: a word, where a formula's variables stand one by one (`𝑥² + 𝑦² = 𝑧²`). */
const STYLED_WORD = /(?:(?=\p{L})[\u{1D400}-\u{1D7FF}]){2}/u;

/** Fewer are a formula's variables (`𝑥² + 1`), not words. */
const MIN_STYLED = 3;

/** Whether most of a text's letters are mathematical ones (one bold word in a plain review is emphasis, and read as such). */
export function looksStyledLetters(text: string): boolean {
  const styled = text.match(STYLED_LETTER)?.length ?? 0;
  if (styled < MIN_STYLED || !STYLED_WORD.test(text)) return false;
  const letters = text.match(LETTER)?.length ?? 0;
  return styled * 2 > letters;
}

/**
 * The warning for texts sampled from the first records, or undefined when fewer than one in ten are written so (the
 * language warning's threshold). `subject` names the text column or field as the user gave it; `turnOff`, how to turn
 * the check off (as the language warning's: other-language.ts).
 */
export function styledLettersWarning(texts: readonly string[], subject: string, turnOff = 'run with --language-check off'): string | undefined {
  const styled = sampledShare(texts, looksStyledLetters, 10);
  if (styled === undefined) return undefined;
  return (
    `${subject} is written in Unicode's mathematical letters (bold or italic text from a font generator) in ${styled.count} of the first ${styled.of} texts ('${styled.first}'): ` +
    'neither model reads them as the letters they look like, so such a text gets a label from almost nothing; normalise the texts to NFKC ' +
    "before scoring (Python: unicodedata.normalize('NFKC', text)), which turns them into plain letters (docs/input-formats.md#letters-from-a-font-generator); " +
    `to score such texts as they are without this warning, ${turnOff}`
  );
}
