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

import { sampledShare } from './sampled-share.js';

// Common words of those languages that an English review does not hold (accents as written, and without them).
const OTHER_WORDS = new Set(
  [
    // German
    'und', 'nicht', 'sehr', 'ist', 'ich', 'das', 'der', 'für', 'auch', 'aber', 'nach', 'wie', 'sind', 'eine', 'einen',
    'einem', 'ein', 'kein', 'keine', 'leider', 'schnell', 'schnelle', 'wirklich', 'immer', 'noch', 'nur', 'wenn', 'oder', 'auf',
    'ganz', 'gerne', 'würde', 'habe', 'wurde', 'gekauft', 'produkt', 'qualität', 'lieferung', 'zufrieden', 'schlecht',
    'verarbeitet', 'funktioniert', 'kaufen', 'jetzt', 'schon', 'mein', 'meine', 'sich', 'bei', 'zum', 'zur', 'dass', 'hier',
    // French
    'très', 'tres', 'est', 'les', 'pas', 'une', 'je', 'avec', 'mais', 'du', 'des', "c'est", 'qualité', 'qualite',
    'produit', 'bien', 'mauvais', 'mauvaise', 'trop', 'cette', 'sont', 'été', 'nous', 'vous', 'dans', 'qui', "j'ai",
    "n'est", 'livraison', 'déçu', 'déçue', 'recommande', 'merci', 'rien', 'tout', 'jamais', 'chambre',
    // Spanish
    'muy', 'que', 'pero', 'una', 'producto', 'bueno', 'buena', 'malo', 'mala', 'calidad', 'por', 'está', 'esta', 'fue',
    'más', 'recomiendo', 'excelente', 'nada', 'gracias', 'llegó', 'funciona', 'también', 'tiene', 'pésimo', 'habitación',
    // Italian
    'molto', 'è', 'il', 'che', 'prodotto', 'della', 'sono', 'ottimo', 'ottima', 'buono', 'qualità', 'anche', 'tutto', 'gli',
    'perché', 'consiglio', 'arrivato', 'funziona', 'questo', 'questa', 'niente', 'grazie',
    // Portuguese
    'muito', 'não', 'é', 'produto', 'uma', 'ótimo', 'ótima', 'qualidade', 'você', 'foi', 'recomendo', 'chegou', 'veio', 'também',
    'péssimo', 'obrigado', 'gostei',
    // Dutch
    'niet', 'het', 'een', 'zeer', 'goed', 'erg', 'maar', 'voor', 'ik', 'zijn', 'wel', 'ook', 'geen', 'mijn', 'snel',
    'tevreden', 'geleverd', 'slecht',
  ],
);

// English's commonest words, each a word none of the lists above has.
const ENGLISH_WORDS = new Set(
  [
    'the', 'and', 'is', 'it', 'was', 'this', 'i', 'to', 'of', 'a', 'not', 'for', 'with', 'but', 'very', 'my', 'you', 'they',
    'that', 'are', 'have', 'be', 'on', 'in', 'at', 'so', 'we', 'no', 'all', 'good', 'great', 'bad', 'would', 'will', 'just',
    'if', 'or', 'from', 'as', 'an', 'had', 'has', 'product', 'quality', 'fast', 'delivery', 'love', 'nice', 'well', 'do',
    "it's", "don't", "didn't", 'me', 'our', 'their', 'there', 'what', 'when', 'one', 'only', 'really', 'recommend',
  ],
);

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
