/**
 * Reviews written in another language than English. Both models read English (the embedded one is trained on SST-2,
 * English film-review sentences; Workers AI's is distilbert-…-sst-2-english), and label any other text from the few
 * words it shares with English: `Sehr gut verarbeitet, schnelle Lieferung.` ("very well made, fast delivery") comes out
 * NEGATIVE, `Очень плохо, не рекомендую.` ("very bad, not recommended") POSITIVE. Such a run ended exit 0 with a label on
 * every row and no word of it. The job cannot translate, so it says so at start-up, once, with what to do; the rows are
 * scored as before.
 *
 * A text looks like another language when most of its letters are of another script than Latin (Cyrillic, Han, Arabic…),
 * or when it holds at least two common words of German, French, Spanish, Italian, Portuguese or Dutch and more of them
 * than of English's. The lists leave out every word that is also English or a name in English reviews (`die`, `war`,
 * `hat`, `ai`, `com`, `las`, `los`, `el`, `todo`), so an English review that names `Las Vegas` or `Hotel de Paris` is
 * not taken for another language.
 */

import { ENGLISH_WORDS, OTHER_WORDS } from './other-language-words.js';
import { sampledShare } from './sampled-share.js';

const LETTER = /\p{L}/gu;
const LATIN_LETTER = /\p{Script=Latin}/gu;
const WORD = /\p{L}+(?:['’]\p{L}+)*/gu;

/** Whether a text looks written in another language than English (see the file's comment for how it is told). */
export function looksOtherLanguage(text: string): boolean {
  const letters = text.match(LETTER)?.length ?? 0;
  if (letters === 0) return false;
  const latin = text.match(LATIN_LETTER)?.length ?? 0;
  if (latin * 2 < letters) return true;
  let other = 0;
  let english = 0;
  for (const word of text.toLowerCase().replace(/’/g, "'").match(WORD) ?? []) {
    if (OTHER_WORDS.has(word)) other += 1;
    else if (ENGLISH_WORDS.has(word)) english += 1;
  }
  return other >= 2 && other > english;
}

/**
 * The warning for texts sampled from the first records (as the job would send them), or undefined when fewer than one
 * in ten look written in another language: an English export with a few reviews in other languages says nothing, as its
 * figures hardly move. `subject` names the text column or field as the user gave it.
 */
export function otherLanguageWarning(texts: readonly string[], subject: string): string | undefined {
  const other = sampledShare(texts, looksOtherLanguage, 10);
  if (other === undefined) return undefined;
  return (
    `${subject} looks written in another language than English in ${other.count} of the first ${other.of} texts ('${other.first}'): ` +
    'both models read English only and label such a text from the few words it shares with English, often wrongly, though every row ' +
    'gets a label; translate those reviews before scoring, or leave them out of the figures (docs/input-formats.md#reviews-in-other-languages)'
  );
}
